#!/bin/sh
# make calibrate: measure the running kernel (mmsim probe), run the seed-000
# experiment on it for real (mmsim probe --experiment seed-000), predict it
# (scenarios/host-seed-000.json with the machine file just measured) and
# write docs/calibration.md (measured against predicted, relative errors) and
# its figure docs/calibration.png.
#
# usage: sh docs/calibrate.sh MMSIM OUT [SECONDS [REPETITIONS [ROUNDS]]]
#   OUT: where the machine file, the experiment and the prediction go
#   SECONDS: each probe measurement and each experiment phase (default 5)
#   REPETITIONS: of each experiment phase in a round, interleaved (default 1); a rate is
#   their median
#   ROUNDS: probe and experiment, one after the other, this many times (default 4); each
#   round's experiment is compared with the prediction from its own probe
#   CALIBRATE_REUSE=1: keep the machine files and the experiments already in OUT/round-*
#   (only the predictions and the document are made again: a change of the model)
# Needs jq and gnuplot.
set -eu
MMSIM=$1
OUT=$2
SECONDS_EACH=${3:-5}
REPETITIONS=${4:-1}
ROUNDS=${5:-4}
DOC=docs/calibration.md
FIG=docs/calibration.png

mkdir -p "$OUT/scratch"
OUT=$(cd "$OUT" && pwd) # the scenario includes the machine file from another folder

# measured JQ: a number of the round's experiment (sim/probe_experiment.c:
# .phases.PHASE.THREAD.ops_per_s, .latency.p50, ...), or "?" (not measured).
measured() {
	if [ -s "$experiment" ]; then
		jq -r "($1) as \$v | if (\$v | type) == \"number\" then \$v else \"?\" end" "$experiment" \
			2> /dev/null || echo "?"
	else
		echo "?"
	fi
}
# a rate: the median of the repetitions (one the host slowed down moves the mean, not it)
rate() { measured ".phases.$1.$2.ops_per_s_median"; }  # PHASE THREAD
latency() { measured ".phases.$1.$2.latency.$3"; }     # PHASE THREAD QUANTILE

# predicted A B R COLUMN: the column of the round's prediction at the point of those thread counts.
predicted() {
	awk -F, -v a="$1" -v b="$2" -v r="$3" -v col="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["threads.A.count"] == a && $c["threads.B.count"] == b &&
		$c["threads.reader.count"] == r { print $c[col]; exit }' "$round/prediction/summary.csv"
}

# round R: the probe, then the experiment, then (CPU only) the prediction from that probe.
# A host that takes CPU away for minutes at a time moves the probe and the experiment
# alike within a round: each round's experiment is compared with its own prediction.
measure_round() {
	round=$OUT/round-$1 machine=$OUT/round-$1/machine.json
	experiment=$OUT/round-$1/experiment-seed-000.json
	mkdir -p "$round"
	if [ "${CALIBRATE_REUSE:-0}" = 1 ] && [ -s "$machine" ]; then
		echo "calibrate: round $1: reusing $machine"
	else
		echo "calibrate: round $1: mmsim probe -> $machine"
		rm -f "$machine"
		"$MMSIM" probe --dir "$OUT/scratch" --out "$machine" --seconds "$SECONDS_EACH" |
			tee "$round/probe.txt"
		# the pipe's status is tee's (no pipefail in sh): the probe failed if it wrote nothing
		[ -s "$machine" ] || { echo "calibrate: round $1: mmsim probe failed" >&2; exit 1; }
	fi
	if [ "${CALIBRATE_REUSE:-0}" = 1 ] && [ -s "$experiment" ]; then
		echo "calibrate: round $1: reusing $experiment"
	else
		echo "calibrate: round $1: mmsim probe --experiment seed-000 -> $experiment"
		rm -f "$experiment"
		"$MMSIM" probe --experiment seed-000 --dir "$OUT/scratch" --out "$experiment" \
			--seconds "$SECONDS_EACH" --repetitions "$REPETITIONS" 2> "$round/experiment.err" ||
			echo "calibrate: round $1: the experiment did not run: $(tail -1 "$round/experiment.err")"
	fi
}

predict_round() {
	round=$OUT/round-$1 machine=$OUT/round-$1/machine.json
	experiment=$OUT/round-$1/experiment-seed-000.json
	# A's think: the experiment's own work per fault (evicting, checking residency: its loop
	# time less its fault time), from its A_alone phase: the harness around the fault, not a
	# kernel path mmsim models.
	harness_us=$(measured '1e6 / .phases.A_alone.A.loop_ops_per_s_median - 1e6 / .phases.A_alone.A.ops_per_s_median')
	[ "$harness_us" = "?" ] && harness_us=0
	echo "calibrate: round $1: the prediction (A's harness $harness_us us a fault) -> $round/prediction"
	rm -rf "$round/prediction"
	"$MMSIM" run scenarios/host-seed-000.json --set "include=$machine" \
		--set "threads.A.loop[0].time_us=$harness_us" --out "$round/prediction" --quiet --jobs 2
	round_rows > "$round/rows.dat"
}

# A's faults/s: per second spent faulting (the experiment's A.ops_per_s; mmsim: 1e6 / the mean
# fault latency); A's loop/s: faults per second of the whole loop, harness included.
fault_rate() { awk -v l="$(predicted "$@" threads.A.op_latency_us.mean)" 'BEGIN { print (l > 0 ? 1e6 / l : "?") }'; }
round_rows() {
	echo "# quantity|unit|measured|predicted|target"
	echo "A's faults/s, A alone|1/s|$(rate A_alone A)|$(fault_rate 1 0 0)|15"
	echo "A's faults/s beside B|1/s|$(rate A_and_B A)|$(fault_rate 1 1 0)|"
	echo "A's fault p50, A alone|µs|$(latency A_alone A p50)|$(predicted 1 0 0 threads.A.op_latency_us.p50)|"
	echo "A's loop/s, A alone|1/s|$(measured .phases.A_alone.A.loop_ops_per_s_median)|$(predicted 1 0 0 threads.A.ops_per_s)|"
	echo "B's it/s, B alone|1/s|$(rate B_alone B)|$(predicted 0 1 0 threads.B.ops_per_s)|15"
	echo "B's it/s alone, per CPU-second|1/s|$(measured .phases.B_alone.B.ops_per_cpu_s)|$(predicted 0 1 0 threads.B.ops_per_s)|"
	echo "B's it/s beside A|1/s|$(rate A_and_B B)|$(predicted 1 1 0 threads.B.ops_per_s)|25"
	echo "B's it/s beside A, per CPU-second|1/s|$(measured .phases.A_and_B.B.ops_per_cpu_s)|$(predicted 1 1 0 threads.B.ops_per_s)|"
	echo "reader's p50 beside A|µs|$(latency A_and_reader reader p50)|$(predicted 1 0 1 threads.reader.op_latency_us.p50)|25"
	echo "reader's p99 beside A|µs|$(latency A_and_reader reader p99)|$(predicted 1 0 1 threads.reader.op_latency_us.p99)|"
	echo "reader's p50 alone|µs|$(latency reader_alone reader p50)|$(predicted 0 0 1 threads.reader.op_latency_us.p50)|"
}

i=1
while [ "$i" -le "$ROUNDS" ]; do
	measure_round "$i"
	i=$((i + 1))
done
i=1
while [ "$i" -le "$ROUNDS" ]; do
	predict_round "$i"
	i=$((i + 1))
done

# Each quantity over the rounds: the median of the measured values and of the predicted
# ones, and the median, min and max of the rounds' own errors (predicted - measured) / measured.
rows=$OUT/rows.dat
awk -F'|' '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	FNR == 1 { next }
	{ k = FNR; name[k] = $1; unit[k] = $2; target[k] = $5; last = k > last ? k : last
	  if ($3 != "?" && $3 != "" && $4 != "?" && $4 != "") {
		n[k]++; m[k, n[k]] = $3; p[k, n[k]] = $4; e[k, n[k]] = $3 != 0 ? ($4 - $3) / $3 : 0 } }
	END {
		for (k = 2; k <= last; k++) {
			if (!n[k]) { printf "%s|%s|?|?|%s|?|?|?|0\n", name[k], unit[k], target[k]; continue }
			for (i = 1; i <= n[k]; i++) { am[i] = m[k, i]; ap[i] = p[k, i]; ae[i] = e[k, i] }
			em = median(ae, n[k]); lo = ae[1]; hi = ae[n[k]]
			printf "%s|%s|%s|%s|%s|%s|%s|%s|%d\n", name[k], unit[k], median(am, n[k]),
				median(ap, n[k]), target[k], em, lo, hi, n[k]
		}
	}' "$OUT"/round-*/rows.dat > "$rows"

# The detail tables: round 1's probe and experiment.
machine=$OUT/round-1/machine.json experiment=$OUT/round-1/experiment-seed-000.json

# The probe's measurements: name|n|p50|p99|what it calibrates.
probe_rows=$(jq -r '.measured | to_entries[] | select(.key != "host") |
	if .value.distribution then
		"| \(.key) | \(.value.distribution.n) | \(.value.distribution.p50 * 100 | round / 100) | \(.value.distribution.p90 * 100 | round / 100) | \(.value.distribution.p99 * 100 | round / 100) | \(.value.calibrates) |"
	else "| \(.key) | - | - | - | - | skipped: \(.value.skipped) |" end' "$machine")
host() { jq -r ".measured.host.$1" "$machine"; }
# The experiment's phases: what each thread did, and where its time went.
experiment_rows=$(if [ -s "$experiment" ]; then jq -r '
	def r: if . == null then "-" else (. * 10 | round / 10 | tostring) end;
	.phases | to_entries[] | .key as $p | .value | to_entries[] | select(.value | type == "object") |
	"| \($p) | \(.key) | \(.value.ops_per_s_median | r) | \(.value.ops_per_s_min | r)-\(.value.ops_per_s_max | r) | \(.value.latency.p50 | r) | \(.value.latency.p99 | r) | \(.value.read_kib_per_fault | r) | \(.value.sched.on_cpu_fraction | r) | \(.value.sched.runqueue_fraction | r) |"' "$experiment"
	else echo "| pending | | | | | | | | |"; fi)
params=$(jq 'del(.measured)' "$machine")

# The figure: measured and predicted side by side, one pair per quantity (log scale).
awk -F'|' '{ printf "\"%s\" %s %s\n", $1, $3, $4 }' "$rows" > "$OUT/figure.dat"
cat > "$OUT/figure.gp" << EOF
set terminal pngcairo size 1400,700 font 'Sans,12'
set output '$FIG'
set datafile missing '?'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel 'measured and predicted (1/s or µs)'
set xtics rotate by -20 scale 0
set key top right
set title 'seed 000 on $(host kernel_release) ($(host cpus) CPUs, $(host device) $(host device_scheduler)): measured against predicted'
plot '$OUT/figure.dat' using 2:xtic(1) title 'measured (mmsim probe --experiment seed-000)' lc rgb '#3060a0', \
     '' using 3 title 'predicted (scenarios/host-seed-000.json, kernel 6.18)' lc rgb '#d08030'
EOF
gnuplot "$OUT/figure.gp"

table=$(awk -F'|' '{
	if ($9 == 0) { printf "| %s | %s | pending | pending | pending | - |\n", $1, $2; next }
	tgt = $5 != "" ? sprintf("within %s %%", $5) : "-"
	met = $5 == "" ? "" : ($6 <= $5 / 100 && -$6 <= $5 / 100 ? " (met)" : " (missed)")
	printf "| %s | %s | %.1f | %.1f | %+.1f %% (%+.1f to %+.1f) | %s%s |\n", $1, $2, $3, $4,
		100 * $6, 100 * $7, 100 * $8, tgt, met }' "$rows")
cat > "$DOC" << EOF
# Calibration: mmsim against the running kernel

Written by \`make calibrate\` (docs/calibrate.sh) on $(host date), in $ROUNDS rounds: each ran
\`mmsim probe\` (the machine file), then \`mmsim probe --experiment seed-000\` (the seed-000
experiment, for real), and \`scenarios/host-seed-000.json\` predicted the experiment from that
round's machine file, on the profile of the running kernel. A host that takes CPU away for minutes
at a time (a VM) moves a round's probe and experiment alike: each round's experiment is compared
with its own prediction, and the table gives the median over the rounds.

| Machine | |
|---|---|
| kernel | $(host kernel_release) (profile \`$(host kernel_profile)\`) |
| CPUs | $(host cpus) |
| disk under the scratch folder | $(host device), scheduler $(host device_scheduler), read_ahead_kb $(host device_read_ahead_kb), max_sectors_kb $(host device_max_sectors_kb), rotational $(host device_rotational) |
| device reads | $(host device_read_method) |
| each measurement | $(host seconds) s, scratch file $(host file_mb) MiB |

## Measured against predicted

| Quantity | Unit | Measured | Predicted | Error (predicted − measured): median (rounds' range) | Target |
|---|---|---|---|---|---|
$table

![Measured and predicted, per quantity](calibration.png)

Measured and predicted: the medians over the rounds; the error: the median of the rounds' own
errors, their smallest and largest in brackets; a target is met when the median error is within it.
"Per CPU-second": the experiment's rate had the thread had a CPU to itself (its operations over
its time on a CPU, schedstat), for a machine shared with other load, which mmsim does not model.
The predicted values are the points of \`out/calibrate/round-N/prediction\` with the threads of
each phase (\`threads.A.count\`, \`threads.B.count\`, \`threads.reader.count\`): A alone
(1, 0, 0), B alone (0, 1, 0), A and B (1, 1, 0), A and the reader (1, 0, 1).

## The experiment, phase by phase

Round 1 of $ROUNDS. Each phase ran $(measured .seconds) s, $(measured .repetitions) time(s),
interleaved; a rate is the median of the repetitions (their range beside it). A's rate is per
second spent faulting; A reads \`read KiB\` per fault (\`/proc/self/io\`); the last two columns are
the shares of the thread's time on a CPU and runnable but waiting for one (schedstat).

| Phase | Thread | ops/s | range | p50 (µs) | p99 (µs) | read KiB | on CPU | waiting for a CPU |
|---|---|---|---|---|---|---|---|---|
$experiment_rows

## The probe's measurements (µs), round 1

| Measurement | n | p50 | p90 | p99 | Calibrates |
|---|---|---|---|---|---|
$probe_rows

Round 1's machine file (\`mmsim probe --out\`), without its \`measured\` record:

\`\`\`json
$params
\`\`\`

$(cat docs/calibration-notes.md)
EOF
echo "calibrate: wrote $DOC and $FIG"
