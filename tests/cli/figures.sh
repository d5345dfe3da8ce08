# The figures of 'make demo': every file scenarios.json names exists; 'mmsim
# suite' on a short copy of seed-000-retry.json (its whole sweep, 2 s runs) draws
# the 6 figure files of plots/*.gp (PNG, SVG, PDF, each non-empty and of its
# type); a missing sweep point makes write-wait-cdf.gp fail with a message.
# Skipped without gnuplot.
. tests/lib.sh
if ! command -v gnuplot > /dev/null 2>&1; then ok figures-skipped-no-gnuplot; exit 0; fi

# scenarios.json: its scenario and plot files exist (paths relative to the top).
missing=$(grep -oE '"[^"]*\.(json|gp)"' scenarios.json | tr -d '"' | while read -r f; do
	[ -f "$f" ] || echo "$f"; done)
[ -z "$missing" ] && ok suite-files-exist || fail suite-files-exist "scenarios.json names missing $missing"

# The suite has no --set: a shortened copy (~1 s; under sanitizers 1 s runs, ~10 s).
dur=2
[ "${SANITIZED:-}" = 1 ] && dur=1
sed -e "s/\"duration_s\": *[0-9.]*/\"duration_s\": $dur/" -e 's/"warmup_s": *[0-9.]*/"warmup_s": 0.5/' \
	scenarios/seed-000-retry.json > "$TMP/fig-short.json"
grep -q "\"duration_s\": $dur" "$TMP/fig-short.json" || { fail figures-short-copy "no duration_s in $TMP/fig-short.json"; exit 0; }
cat > "$TMP/fig-suite.json" <<EOF
{ "suite": [ { "scenario": "$TMP/fig-short.json",
               "plots": ["plots/rate-vs-disk.gp", "plots/write-wait-cdf.gp"] } ] }
EOF
"$MMSIM" suite "$TMP/fig-suite.json" --out "$TMP/fig-suite" --quiet > "$TMP/fig-suite.out" 2>&1 ||
	{ fail figures-suite-runs "$(tail -5 "$TMP/fig-suite.out")"; exit 0; }
ok figures-suite-runs
out=$TMP/fig-suite/seed-000-retry
[ -s "$out/summary.csv" ] && ok figures-summary || fail figures-summary "no $out/summary.csv"
# Non-empty, and of the right type by its first bytes (a failed replot leaves 0 bytes).
for p in rate-vs-disk write-wait-cdf; do
	for t in png:PNG svg:'<svg' pdf:%PDF-; do
		f=$out/figures/$p.${t%%:*}
		if [ -s "$f" ] && head -c 300 "$f" | grep -q "${t#*:}"; then
			ok "figure-$p-${t%%:*}"
		else
			fail "figure-$p-${t%%:*}" "$f missing, empty or not ${t%%:*}"
		fi
	done
done

# Without the 2.6.36 rows the CDF script must fail, say which point, draw nothing.
mkdir -p "$TMP/fig-nopoint"
grep -v ',2\.6\.36,' "$out/summary.csv" > "$TMP/fig-nopoint/summary.csv"
if gnuplot -c plots/write-wait-cdf.gp "$TMP/fig-nopoint" > "$TMP/fig-nopoint.out" 2>&1; then
	fail figure-missing-point-fails "exit 0 without the 2.6.36 point"
elif ! grep -q 'kernel=2\.6\.36' "$TMP/fig-nopoint.out" || [ -e "$TMP/fig-nopoint/figures" ]; then
	fail figure-missing-point-fails "message: $(cat "$TMP/fig-nopoint.out")"
else
	ok figure-missing-point-fails
fi
