# The figures of 'make demo': every scenario scenarios.json names exists and
# declares figures; 'mmsim suite' on a short copy of seed-000-retry.json (its
# whole sweep, 2 s runs) draws the figures the scenario declares, in-process as
# 'mmsim plot' does (PNG, SVG, PDF, each non-empty and of its type), among them
# the CDF of the write-lock wait; a suite entry still naming gnuplot scripts
# ("plots") is refused. Skipped without gnuplot.
. tests/lib.sh
if ! command -v gnuplot > /dev/null 2>&1; then ok figures-skipped-no-gnuplot; exit 0; fi

# scenarios.json: its scenarios exist (paths relative to the top) and declare figures.
missing=$(grep -oE '"[^"]*\.json"' scenarios.json | tr -d '"' | while read -r f; do
	[ -f "$f" ] && grep -q '"figures"' "$f" || echo "$f"; done)
[ -z "$missing" ] && ok suite-files-exist || fail suite-files-exist "missing or without figures: $missing"

# The suite has no --set: a shortened copy (~1 s; under sanitizers 1 s runs, ~10 s).
dur=2
[ "${SANITIZED:-}" = 1 ] && dur=1
sed -e "s/\"duration_s\": *[0-9.]*/\"duration_s\": $dur/" -e 's/"warmup_s": *[0-9.]*/"warmup_s": 0.5/' \
	scenarios/seed-000-retry.json > "$TMP/fig-short.json"
grep -q "\"duration_s\": $dur" "$TMP/fig-short.json" || { fail figures-short-copy "no duration_s in $TMP/fig-short.json"; exit 0; }

# The old form, gnuplot scripts per entry: refused before anything runs.
printf '{ "suite": [ { "scenario": "%s", "plots": ["plots/rate-vs-disk.gp"] } ] }\n' "$TMP/fig-short.json" \
	> "$TMP/fig-plots.json"
"$MMSIM" suite "$TMP/fig-plots.json" --out "$TMP/fig-plots" --quiet > "$TMP/fig-plots.out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -qF '.suite[0].plots: error: gnuplot scripts are no more' "$TMP/fig-plots.out" &&
	[ ! -e "$TMP/fig-plots" ]; then
	ok figures-suite-plots-refused
else
	fail figures-suite-plots-refused "exit $rc: $(head -3 "$TMP/fig-plots.out")"
fi

printf '{ "suite": [ { "scenario": "%s" } ] }\n' "$TMP/fig-short.json" > "$TMP/fig-suite.json"
"$MMSIM" suite "$TMP/fig-suite.json" --out "$TMP/fig-suite" --quiet > "$TMP/fig-suite.out" 2>&1 ||
	{ fail figures-suite-runs "$(tail -5 "$TMP/fig-suite.out")"; exit 0; }
ok figures-suite-runs
out=$TMP/fig-suite/seed-000-retry
[ -s "$out/summary.csv" ] && ok figures-summary || fail figures-summary "no $out/summary.csv"
# Non-empty, and of the right type by its first bytes; with the data and the script.
for p in rate-vs-disk write-wait-cdf write-wait read-hold; do
	for t in png:PNG svg:'<svg' pdf:%PDF- dat:'# ' gp:'# '; do
		f=$out/figures/$p.${t%%:*}
		if [ -s "$f" ] && head -c 300 "$f" | grep -q "${t#*:}"; then
			ok "figure-$p-${t%%:*}"
		else
			fail "figure-$p-${t%%:*}" "$f missing, empty or not ${t%%:*}"
		fi
	done
done
# The CDF at 18 ms, one line per kernel: the 2.6.36 writer waits for a disk read.
dat=$out/figures/write-wait-cdf.dat
[ "$(grep -c '^# index [0-9]*: the CDF of mmap_sem.write.wait_us at point' "$dat")" = 3 ] &&
	ok figure-cdf-three-kernels || fail figure-cdf-three-kernels "$(grep '^# index' "$dat")"
