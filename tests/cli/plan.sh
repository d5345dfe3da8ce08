# mmsim plan: the exact case of an M/M/1 lock (tests/plan/mm1.json), whose
# mean wait S^2 / (A - S) for a mean hold S and interarrival A reaches 100 us
# at S = 100 us (A = 200) and S = 156.155 us (A = 400): one answer per
# combination of the other axis, each bracket holding the exact value; a
# target met above the boundary ('>'); a whole-number parameter; the whole
# range meeting the target, and none of it; the same answer twice and with
# --jobs 1; a rerun, and one after an interruption, reusing the probes; the
# files and the figure; bad input (exit 2, nothing written).
. tests/lib.sh
S=tests/plan/mm1.json
V='threads.J.loop[0].hold_us.mean'
T='mmap_sem.write.wait_us.mean < 100'
# Under the sanitizers (~50x slower): one combination, shorter runs, a coarser search.
set --
if [ "${SANITIZED:-}" = 1 ]; then
	set -- --set threads.J.interarrival_us.mean=200 --set duration_s=0.5 --set warmup_s=0.05 \
		--max-replications 8 --tolerance 0.05
fi
plan() { "$MMSIM" plan "$S" --vary "$V" --range 20:170 "$@"; }

# row FILE KEY: the plan.csv row whose first cell is KEY (or the only row with no other axis).
row() { awk -F, -v k="$2" 'NR > 1 && ($1 == k || NF == 9)' "$1"; }
# brackets NAME FILE KEY EXACT: answer_low <= EXACT <= answer_high, the search narrowed it.
brackets() {
	r=$(row "$2" "$3")
	lo=$(echo "$r" | awk -F, '{ print $(NF - 5) }') hi=$(echo "$r" | awk -F, '{ print $(NF - 4) }')
	if [ -n "$lo" ] && [ -n "$hi" ] && awk "BEGIN { exit !($lo <= $4 && $4 <= $hi && $hi < 1.15 * $lo) }"; then
		ok "$1"
	else
		fail "$1" "[$lo, $hi] does not hold $4 or is wide: $r"
	fi
}

o=$TMP/plan-exact
plan --target "$T" "$@" --out "$o" > "$TMP/plan.out" 2> "$TMP/plan.err" ||
	{ fail plan-exact-runs "$(head -3 "$TMP/plan.err")"; exit 0; }
brackets plan-exact-200 "$o/plan.csv" 200 100
if [ "${SANITIZED:-}" != 1 ]; then
	brackets plan-exact-400 "$o/plan.csv" 400 156.155
	[ "$(grep -c '^threads.J.interarrival_us.mean=[24]00: largest' "$TMP/plan.out")" = 2 ] &&
		ok plan-answer-per-combination || fail plan-answer-per-combination "$(tail -4 "$TMP/plan.out")"
fi
row "$o/plan.csv" 200 | awk -F, -v v="$V" '{ exit !($(NF - 8) == v && $(NF - 7) ~ /^(found|undecided)$/ && $(NF - 6) == "below") }' &&
	ok plan-csv-row || fail plan-csv-row "$(cat "$o/plan.csv")"
# the hold's own sweep axis (50, 100) is replaced: probes at other values, every one in summary.csv
n=$(grep -c '"outcome"' "$o/plan.json")
[ "$n" -ge 6 ] && [ "$(($(wc -l < "$o/summary.csv") - 1))" = "$n" ] && csv_cols "$o/summary.csv" "$V" | grep -qx 20 &&
	ok plan-probes-are-points || fail plan-probes-are-points "$n probes; $(cut -d, -f1-4 "$o/summary.csv" | head -3)"
label="threads.J.interarrival_us.mean=200 "
[ "${SANITIZED:-}" = 1 ] && label=""
grep -F "  $label$V=20: " "$TMP/plan.out" | grep -q ': meets$' &&
	ok plan-prints-probes || fail plan-prints-probes "$(head -4 "$TMP/plan.out")"

# The same command again, in a new folder and with --jobs 1: the same bytes.
plan --target "$T" "$@" --out "$TMP/plan-again" --jobs 1 --quiet > "$TMP/again.out" 2>&1
if cmp -s "$o/plan.csv" "$TMP/plan-again/plan.csv" && cmp -s "$o/plan.json" "$TMP/plan-again/plan.json" &&
	cmp -s "$o/summary.csv" "$TMP/plan-again/summary.csv"; then
	ok plan-deterministic
else
	fail plan-deterministic "$(diff "$o/plan.csv" "$TMP/plan-again/plan.csv" | head -3)"
fi
# --quiet: the answers only
[ "$(wc -l < "$TMP/again.out")" = "$(($(wc -l < "$o/plan.csv") - 1))" ] && ok plan-quiet ||
	fail plan-quiet "$(head -3 "$TMP/again.out")"

# A rerun reuses every probe (nothing runs: the manifest says skipped), same answer.
cp "$o/plan.csv" "$TMP/plan.csv.first"
plan --target "$T" "$@" --out "$o" > "$TMP/rerun.out" 2>&1
if grep -q "^plan: $n probes, .* ($n probes complete already)" "$TMP/rerun.out" &&
	[ "$(grep -c '"status": "skipped"' "$o/manifest.json")" = "$n" ] && cmp -s "$o/plan.csv" "$TMP/plan.csv.first"; then
	ok plan-rerun-reuses
else
	fail plan-rerun-reuses "$(tail -3 "$TMP/rerun.out")"
fi
# As if interrupted: the last two probes' points gone; only they run again.
for id in $(grep '"point"' "$TMP/plan-again/plan.json" | tail -2 | cut -d'"' -f4); do
	rm -rf "$TMP/plan-again/points/$id"
done
plan --target "$T" "$@" --out "$TMP/plan-again" > "$TMP/resume.out" 2>&1
grep -q "($((n - 2)) probes complete already)" "$TMP/resume.out" && cmp -s "$o/plan.csv" "$TMP/plan-again/plan.csv" &&
	ok plan-resumes || fail plan-resumes "$(tail -3 "$TMP/resume.out")"

# '>': met above the boundary, the answer is the top of the range; the boundary holds 100.
# The probes of '<' with the same value are the same points: most are reused.
g=$TMP/plan-above
cp -r "$o" "$g"
plan --target 'mmap_sem.write.wait_us.mean > 100' "$@" --out "$g" --quiet > "$TMP/above.out" 2>&1
r=$(row "$g/plan.csv" 200)
if echo "$r" | grep -q ',above,170,170,' && echo "$r" | awk -F, '{ exit !($(NF - 3) <= 100 && 100 <= $(NF - 2)) }' &&
	grep -q 'largest .* 170, the top of the range .* it holds down to' "$TMP/above.out"; then
	ok plan-above
else
	fail plan-above "$r"
fi

# A whole number: open streams J.count, S = 10 us: W = 10 c / (20 - c) < 10 up to c = 9 (10: W = 10).
if [ "${SANITIZED:-}" != 1 ]; then
	w=$TMP/plan-whole
	"$MMSIM" plan "$S" --vary threads.J.count --range 1:19 --target 'mmap_sem.write.wait_us.mean < 10' \
		--set threads.J.interarrival_us.mean=200 --set "$V=10" --set duration_s=0.5 --set warmup_s=0.1 \
		--out "$w" --quiet > /dev/null 2>&1
	r=$(row "$w/plan.csv" x)
	echo "$r" | awk -F, '{ exit !($4 == 9 && ($5 == 10 || $5 == 11)) }' && ok plan-whole-number ||
		fail plan-whole-number "$r"
fi

# The whole range meets the target (--log: geometric, a log x axis); none of it does.
a=$TMP/plan-all
plan --target 'mmap_sem.write.wait_us.mean < 1e6' --set threads.J.interarrival_us.mean=200 \
	--set duration_s=0.5 --log --out "$a" > "$TMP/all.out" 2>&1
r=$(row "$a/plan.csv" x)
[ "$r" = "$V,all,everywhere,170,170,,,2,10" ] && grep -q ': 170, the top of the range: the whole range meets it' "$TMP/all.out" &&
	ok plan-all-meet || fail plan-all-meet "$r"
plan --target 'mmap_sem.write.wait_us.mean < 0.5' --set threads.J.interarrival_us.mean=200 \
	--set duration_s=0.5 --out "$TMP/plan-none" > "$TMP/none.out" 2>&1
r=$(row "$TMP/plan-none/plan.csv" x)
[ "$r" = "$V,none,nowhere,,,,,2,10" ] && grep -F "no $V in [20, 170] meets" "$TMP/none.out" | grep -q 'it fails at both ends' &&
	ok plan-none-meets || fail plan-none-meets "$r"

# The figure: PNG and PDF, the script and data beside them, the target drawn; log x when geometric.
if command -v gnuplot > /dev/null 2>&1; then
	f=$o/figures
	if head -c 8 "$f/plan.png" | grep -q PNG && head -c 5 "$f/plan.pdf" | grep -q %PDF &&
		grep -q "^hline = 'target (< 100)'" "$f/plan.gp" && grep -q "100 with lines lc rgb '#000000' dt 2" "$f/plan.gp" &&
		grep -q "^# x y y_lo y_hi" "$f/plan.dat" && ! grep -q "logscale x" "$f/plan.gp" &&
		grep -q "set logscale x" "$a/figures/plan.gp"; then
		ok plan-figure
	else
		fail plan-figure "$(ls "$f" "$a/figures")"
	fi
fi

# Bad input: exit 2, a message, no output folder.
bad() {
	name=$1 want=$2; shift 2
	"$MMSIM" plan "$S" "$@" --out "$TMP/plan-bad" > "$TMP/bad.out" 2> "$TMP/bad.err"
	rc=$?
	if [ $rc = 2 ] && grep -qF -- "$want" "$TMP/bad.err" && [ ! -e "$TMP/plan-bad" ] && [ ! -s "$TMP/bad.out" ]; then
		ok "$name"
	else
		fail "$name" "exit $rc: $(head -2 "$TMP/bad.err")"
	fi
}
bad plan-bad-metric "mmsim: --target: unknown metric 'mmap_sem.write.wait_us.mean2' (expected a number of the results' \"metrics\", e.g. threads.J.ops_per_s)" \
	--vary "$V" --range 20:170 --target 'mmap_sem.write.wait_us.mean2 < 100'
bad plan-bad-metric-group "mmsim: --target: 'mmap_sem.write.wait_us' names a group of metrics, not one (e.g. mmap_sem.write.wait_us.mean)" \
	--vary "$V" --range 20:170 --target 'mmap_sem.write.wait_us < 100'
bad plan-bad-target "mmsim: --target: 'METRIC < VALUE' or 'METRIC > VALUE' expected, got 'mmap_sem.write.wait_us.mean <= 100'" \
	--vary "$V" --range 20:170 --target 'mmap_sem.write.wait_us.mean <= 100'
bad plan-bad-range "mmsim: --range: LO:HI (two numbers) expected, got '20-170'" --vary "$V" --range 20-170 --target "$T"
bad plan-range-reversed "mmsim: --range: LO < HI expected, got '170:20'" --vary "$V" --range 170:20 --target "$T"
bad plan-path-rejects-lo "$S: .processes[0].threads[0].loop[0].hold_us.mean: error: -5 out of range (0, 1e+12] (with --vary $V=-5)" \
	--vary "$V" --range -5:170 --target "$T"
bad plan-path-rejects-hi "$S: .processes[0].threads[0].loop[0].hold_us.mean: error: 2e+12 out of range [0, 1e+12] (with --vary $V=2e+12)" \
	--vary "$V" --range 20:2e12 --target "$T"
bad plan-unknown-path "unknown key 'hold_ms', did you mean 'hold_us'?" --vary 'threads.J.loop[0].hold_ms.mean' --range 20:170 --target "$T"
bad plan-whole-number-range "mmsim: --range: whole numbers expected (threads.J.count is a whole number), got '1:19.5'" \
	--vary threads.J.count --range 1:19.5 --target "$T"
bad plan-log-at-zero "mmsim: --log: a range above 0 expected, got '0:170'" --vary "$V" --range 0:170 --log --target "$T"
bad plan-set-and-vary "mmsim: --set $V: the parameter --vary searches (give it once)" --vary "$V" --range 20:170 --target "$T" --set "$V=5"
bad plan-needs-target "mmsim: --target 'METRIC < VALUE' is needed" --vary "$V" --range 20:170
bad plan-max-below-first "mmsim: --max-replications: at least the first replications (10) expected, got 5" \
	--vary "$V" --range 20:170 --target "$T" --replications 10 --max-replications 5
bad plan-bad-tolerance "mmsim: --tolerance: number in [1e-06, 0.5] expected, got '0'" --vary "$V" --range 20:170 --target "$T" --tolerance 0
"$MMSIM" plan --help > "$TMP/help.out" 2>&1 && grep -q "^usage: mmsim plan" "$TMP/help.out" && ok plan-help || fail plan-help "$(head -2 "$TMP/help.out")"
