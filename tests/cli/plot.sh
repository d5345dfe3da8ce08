# mmsim plot: the figures a scenario declares, from a real run (seedbench, short)
# and from hand-made summaries in the runner's format with confidence intervals
# (tests/plot/ci-run): every format's file, of its type; the .gp re-runs on its
# own; bands where there are intervals; input errors (a missing column, a filter
# matching nothing, two rows at one x) exit 2 and write nothing; every seed
# scenario's figures draw from a short run, among them panels and CDFs; the USL
# fit of a thread-count sweep.
# Skipped without gnuplot.
. tests/lib.sh
if ! command -v gnuplot > /dev/null 2>&1; then ok plot-skipped-no-gnuplot; exit 0; fi

# expect NAME CODE CMD...: the exit status, stderr in $TMP/err.
# is_type FILE MAGIC: non-empty and MAGIC in its first bytes.
is_type() { [ -s "$1" ] && head -c 400 "$1" | grep -qF -- "$2"; }

expect plot-help 0 "$MMSIM" plot --help
expect plot-no-folder-arg 2 "$MMSIM" plot
expect plot-not-results 2 "$MMSIM" plot "$TMP/nothing"
has plot-not-results-says "$TMP/err" "no summary.csv"

# A real run; the scenario is found from its results (provenance).
sb=$TMP/plot-sb
"$MMSIM" run scenarios/seedbench.json --set duration_s=0.5 --quiet --out "$sb" 2> "$TMP/err" ||
	fail plot-run "$(head -3 "$TMP/err")"
expect plot-bad-format 2 "$MMSIM" plot "$sb" --format png,jpg
has plot-bad-format-says "$TMP/err" "unknown format 'jpg'"
expect plot-all-formats 0 "$MMSIM" plot "$sb" --format png,svg,pdf,tex
f=$sb/figures
for n in rate-vs-disk write-wait; do
	bad=""
	is_type "$f/$n.png" PNG || bad="$bad png"
	is_type "$f/$n.svg" '<svg' || bad="$bad svg"
	is_type "$f/$n.pdf" %PDF- || bad="$bad pdf"
	is_type "$f/$n-tex.pdf" %PDF- || bad="$bad tex-pdf"
	grep -qF "includegraphics" "$f/$n-tex.tex" 2> /dev/null || bad="$bad tex"
	[ -s "$f/$n.gp" ] && [ -s "$f/$n.dat" ] || bad="$bad gp-dat"
	[ -z "$bad" ] && ok "plot-files-$n" || fail "plot-files-$n" "missing, empty or wrong type:$bad"
done
left=$(ls -A "$f" | grep -c tmp)
[ "$left" = 0 ] && ok plot-no-temporary-left || fail plot-no-temporary-left "$(ls -A "$f")"
# no confidence interval in a single run: no band
grep -q filledcurves "$f/rate-vs-disk.gp" && fail plot-no-band-without-ci "filledcurves in rate-vs-disk.gp" ||
	ok plot-no-band-without-ci

# The script re-runs alone in a copy of its folder and draws the same files.
mkdir -p "$TMP/plot-copy"
cp "$f/rate-vs-disk.gp" "$f/rate-vs-disk.dat" "$TMP/plot-copy/"
if (cd "$TMP/plot-copy" && gnuplot rate-vs-disk.gp > out 2>&1) && is_type "$TMP/plot-copy/rate-vs-disk.png" PNG &&
	is_type "$TMP/plot-copy/rate-vs-disk.pdf" %PDF- && is_type "$TMP/plot-copy/rate-vs-disk-tex.pdf" %PDF-; then
	ok plot-gp-standalone
else
	fail plot-gp-standalone "$(ls "$TMP/plot-copy"; cat "$TMP/plot-copy/out")"
fi

# A missing column: exit 2, its name and a close one, no figure written.
sed 's/threads\.B\.ops_per_s/threads.B.ops_per_sec/' scenarios/seedbench.json > "$TMP/plot-typo.json"
expect plot-missing-column 2 "$MMSIM" plot "$sb" --scenario "$TMP/plot-typo.json" --dir "$TMP/plot-typo"
has plot-missing-column-names-it "$TMP/err" \
	"$TMP/plot-typo.json: .figures[0].y[0]: error: no column 'threads.B.ops_per_sec' in $sb/summary.csv, did you mean 'threads.B.ops_per_s'?"
[ ! -e "$TMP/plot-typo" ] && ok plot-missing-column-writes-nothing || fail plot-missing-column-writes-nothing "$TMP/plot-typo exists"
sed 's/"threads\.B\.ops_per_s"/"threads.C.ops_per_s"/' scenarios/seedbench.json > "$TMP/plot-group.json"
expect plot-unknown-group 2 "$MMSIM" plot "$sb" --scenario "$TMP/plot-group.json" --dir "$TMP/plot-group"
has plot-unknown-group-lists-like "$TMP/err" "(columns ending in '.ops_per_s': threads.A.ops_per_s, threads.B.ops_per_s)"

# No figures declared: exit 2.
expect plot-no-figures 2 "$MMSIM" plot "$sb" --scenario tests/plot/usl.json
has plot-no-figures-says "$TMP/err" "no figures declared"

# Without gnuplot: a run-time failure (1), no partial file.
expect plot-no-gnuplot 1 env PATH=/nonexistent "$MMSIM" plot "$sb" --dir "$TMP/plot-nognuplot"
[ -z "$(ls -A "$TMP/plot-nognuplot" 2> /dev/null)" ] && ok plot-no-gnuplot-no-file ||
	fail plot-no-gnuplot-no-file "$(ls -A "$TMP/plot-nognuplot")"

# Confidence intervals (the runner's summary format): bands, bars, none; n = 1 rows have none.
ci=$TMP/plot-ci
expect plot-ci 0 "$MMSIM" plot tests/plot/ci-run --scenario tests/plot/ci.json --dir "$ci" --format png,pdf,tex
# texts for LaTeX: its special characters escaped, µ in math mode
has plot-tex-escapes "$ci/filtered-tex.tex" 'strut{}disk: 100 \% busy\_\{x\} \& \$y\$}'
has plot-tex-unit "$ci/bars-tex.tex" 'strut{}mmap\_sem.write.wait p99 ($\mu$s)}'
has plot-ci-dat-header "$ci/bands.dat" "# x y y_lo y_hi"
has plot-ci-dat-values "$ci/bands.dat" "0.1 3731.3 2798.48 4664.12"
has plot-ci-dat-n1-nan "$ci/bands.dat" "18 27.7 NaN NaN"
has plot-ci-band "$ci/bands.gp" "using 1:3:4 with filledcurves"
has plot-ci-bars "$ci/bars.gp" "using 1:2:3:4 with yerrorlines"
grep -q 'filledcurves\|yerror' "$ci/filtered.gp" && fail plot-ci-none "intervals drawn in filtered.gp" || ok plot-ci-none
# "where": the 2.6.36 rows only, by increasing x
has plot-where-filters "$ci/filtered.dat" "# index 1: threads.A.ops_per_s"
[ "$(grep -c '^[0-9]' "$ci/filtered.dat")" = 8 ] && ok plot-where-rows || fail plot-where-rows "$(cat "$ci/filtered.dat")"

# Figures that do not fit the table: exit 2 with what to change.
sed 's/"where": { "kernel": "2.6.36" }/"where": { "kernel": "2.6.38" }/' tests/plot/ci.json > "$TMP/plot-where.json"
expect plot-where-no-row 2 "$MMSIM" plot tests/plot/ci-run --scenario "$TMP/plot-where.json" --dir "$TMP/plot-w"
has plot-where-no-row-says "$TMP/err" "no row has 'kernel' = 2.6.38 (its values: 2.6.36, 2.6.37)"
sed 's/"series": "kernel",$//' tests/plot/ci.json > "$TMP/plot-dup.json"
expect plot-two-rows-one-x 2 "$MMSIM" plot tests/plot/ci-run --scenario "$TMP/plot-dup.json" --dir "$TMP/plot-d"
has plot-two-rows-says-axis "$TMP/err" "two rows at x = 0.1, which differ in 'kernel' (2.6.36, 2.6.37)"
sed 's/"x": "disk.service_ms", "y": \["threads.B.ops_per_s"\]/"x": "kernel", "y": ["threads.B.ops_per_s"]/' \
	tests/plot/ci.json > "$TMP/plot-xname.json"
expect plot-x-not-number 2 "$MMSIM" plot tests/plot/ci-run --scenario "$TMP/plot-xname.json" --dir "$TMP/plot-x"
has plot-x-not-number-says "$TMP/err" "column 'kernel' holds '2.6.36', a number expected"
mkdir -p "$TMP/plot-zero"
sed 's/,[0-9.]*,\([0-9.]*\),\([0-9.]*\)$/,0,,/' tests/plot/ci-run/summary.csv > "$TMP/plot-zero/summary.csv"
expect plot-nothing-to-draw 2 "$MMSIM" plot "$TMP/plot-zero" --scenario tests/plot/ci.json --dir "$TMP/plot-z"
has plot-nothing-to-draw-says "$TMP/err" ".figures[0]: error: nothing to draw: no row has a number in x and one in y above 0 on the log axes"

# A mean of 0 on a log axis: kept in the data as a comment, and the line and its
# band break there (a blank line before the next point) instead of running down to it.
mkdir -p "$TMP/plot-gap"
sed 's/^\(a00000000002,.*\),483.6,362.7,604.5$/\1,0,0,0/' tests/plot/ci-run/summary.csv > "$TMP/plot-gap/summary.csv"
expect plot-log-zero 0 "$MMSIM" plot "$TMP/plot-gap" --scenario tests/plot/ci.json --dir "$TMP/plot-g" --format png
has plot-log-zero-commented "$TMP/plot-g/bands.dat" "# not drawn (no number, or not above 0 on a log axis): 1 0 0 0"
if awk '/^# not drawn/ { c = 1; next } c { print (/^$/ ? "gap" : "nogap"); exit }' "$TMP/plot-g/bands.dat" |
	grep -qx gap; then ok plot-log-zero-breaks; else fail plot-log-zero-breaks "$(sed -n 1,12p "$TMP/plot-g/bands.dat")"; fi

# Every seed scenario's figures draw from a short run of it (its columns exist),
# rwsem-policies with 2 of its policies (1 s of wall time a point here).
sed -e 's/"features.rwsem_policy": \[.*/"features.rwsem_policy": ["2.6.36", "5.3"],/' -e '/^ *"reader-pref",/d' \
	scenarios/rwsem-policies.json > "$TMP/rwsem-policies.json"
for s in seed-000-retry seed-000-swap seed-000-later seed-002-kvm-apf seed-003-cow-memcg seed-004-mlock-ps \
	seedbench rwsem-policies; do
	[ "${SANITIZED:-}" = 1 ] && [ "$s" != seedbench ] && [ "$s" != seed-002-kvm-apf ] && continue
	f=scenarios/$s.json
	[ "$s" = rwsem-policies ] && f=$TMP/rwsem-policies.json
	o=$TMP/plot-seed/$s
	if ! "$MMSIM" run "$f" --set duration_s=0.05 --set warmup_s=0 --quiet --out "$o" 2> "$TMP/err"; then
		fail "plot-seed-$s" "run: $(head -3 "$TMP/err")"
	elif ! "$MMSIM" plot "$o" --format png --quiet > "$TMP/out" 2> "$TMP/err"; then
		fail "plot-seed-$s" "plot: $(head -3 "$TMP/err")"
	else
		# one "name" per figure from "figures" on (its last key; panels have none)
		n=$(awk '/"figures"/ { f = 1 } f' "$f" | grep -o '"name":' | wc -l)
		p=$(ls "$o/figures/"*.png | wc -l)
		[ "$n" -ge 1 ] && [ "$p" = "$n" ] && ok "plot-seed-$s" || fail "plot-seed-$s" "$p figures of $n"
	fi
done
# The README's figures: panels (a multiplot, one key under them), a CDF per kernel
# at one sweep point with a marked p99, the key's title and lines renamed.
sp=$TMP/plot-seed
if [ "${SANITIZED:-}" != 1 ]; then
	is_type "$sp/rwsem-policies/figures/rwsem-policies.png" PNG && ok plot-rwsem-policies ||
		fail plot-rwsem-policies "no rwsem-policies.png: $(ls "$sp/rwsem-policies/figures")"
	has plot-panels-multiplot "$sp/rwsem-policies/figures/rwsem-policies.gp" "set multiplot title 'Every mmap_sem policy"
	has plot-panels-six "$sp/rwsem-policies/figures/rwsem-policies.gp" "# panel 6"
	has plot-panels-key "$sp/rwsem-policies/figures/rwsem-policies.gp" "set key title 'policy'"
	# 2 policies a panel, 6 panels: blocks 0 to 11
	has plot-panels-blocks "$sp/rwsem-policies/figures/rwsem-policies.dat" "# index 11: threads.T.ops_per_s"
	c=$sp/seed-000-retry/figures
	is_type "$c/write-wait-cdf.png" PNG && ok plot-cdf-png || fail plot-cdf-png "no write-wait-cdf.png"
	has plot-cdf-block "$c/write-wait-cdf.dat" "# index 2: the CDF of mmap_sem.write.wait_us at point"
	has plot-cdf-steps "$c/write-wait-cdf.gp" "using 1:2 with steps"
	has plot-cdf-renamed "$c/write-wait-cdf.gp" "'2.6.37 (lock_page_or_retry)'"
	has plot-hline "$c/write-wait-cdf.gp" "0.99 with lines lc rgb '#000000' dt 2"
	has plot-key-title "$c/rate-vs-disk.gp" "set key title 'kernel'"
	has plot-y-renamed "$c/rate-vs-disk.gp" "'2.6.36, B: mmap+munmap loop'"
	# a CDF file gone: exit 2 naming it, nothing written
	id=$(sed -n 's/^# index 0: the CDF of .* at point \([0-9a-f]*\).*/\1/p' "$c/write-wait-cdf.dat")
	rm -f "$sp/seed-000-retry/points/$id/mmap_sem.write.wait_us.cdf.dat"
	expect plot-cdf-missing 2 "$MMSIM" plot "$sp/seed-000-retry" --dir "$TMP/plot-nocdf"
	has plot-cdf-missing-says "$TMP/err" ".figures[1]: error: cannot read $sp/seed-000-retry/points/$id/mmap_sem.write.wait_us.cdf.dat"
	[ ! -e "$TMP/plot-nocdf" ] && ok plot-cdf-missing-writes-nothing || fail plot-cdf-missing-writes-nothing "$TMP/plot-nocdf exists"
fi

# A thread-count sweep: the USL fit (usl.csv, a line per fit) and its figure.
ur=$TMP/plot-usl
"$MMSIM" run tests/plot/usl-run.json --quiet --out "$ur" 2> "$TMP/err" || fail plot-usl-run "$(head -3 "$TMP/err")"
expect plot-usl 0 "$MMSIM" plot "$ur" --format png
has plot-usl-prints "$TMP/out" "usl: threads.W.ops_per_s against threads.W.count"
if [ -s "$ur/usl.csv" ]; then
	# saturation at one write hold + wake-up (25 us, 40000/s): contention, R^2 near 1
	check_awk plot-usl-fit "$(csv_cols "$ur/usl.csv" group sigma r2 x_star | awk -F, 'NR == 1 {
		printf "\"%s\" == \"W\" && %s > 0 && %s > 0.95 && %s > 30000 && %s < 60000", $1, $2, $3, $4, $4 }')"
else
	fail plot-usl-fit "no $ur/usl.csv"
fi
is_type "$ur/figures/throughput.png" PNG && ok plot-usl-figure || fail plot-usl-figure "no throughput.png"
# --quiet: nothing on stdout, the fit still written
rm -f "$ur/usl.csv"
expect plot-usl-quiet 0 "$MMSIM" plot "$ur" --format png --quiet
[ ! -s "$TMP/out" ] && [ -s "$ur/usl.csv" ] && ok plot-usl-quiet-silent ||
	fail plot-usl-quiet-silent "stdout: $(head -2 "$TMP/out"); usl.csv: $(ls "$ur")"
