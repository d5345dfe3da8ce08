#!/bin/sh
# make calibrate: measure the running kernel (mmsim probe), run the seed-000
# experiment on it for real (mmsim probe --experiment seed-000), predict it
# (scenarios/host-seed-000.json with the machine file just measured) and
# write docs/calibration.md (measured against predicted, relative errors) and
# its figure docs/calibration.png.
#
# usage: sh docs/calibrate.sh MMSIM OUT [SECONDS [REPETITIONS]]
#   OUT: where the machine file, the experiment and the prediction go
#   SECONDS: each probe measurement and each experiment phase (default 5)
#   REPETITIONS: of each experiment phase, interleaved (default 5); a rate is their median
#   CALIBRATE_REUSE=1: keep the machine file and the experiment already in OUT (only
#   the prediction and the document are made again: a change of the model)
# Needs jq and gnuplot.
set -eu
MMSIM=$1
OUT=$2
SECONDS_EACH=${3:-5}
REPETITIONS=${4:-5}
DOC=docs/calibration.md
FIG=docs/calibration.png

mkdir -p "$OUT/scratch"
OUT=$(cd "$OUT" && pwd) # the scenario includes the machine file from another folder
machine=$OUT/machine.json
experiment=$OUT/experiment-seed-000.json

# measured JQ: a number of the experiment's results (sim/probe_experiment.c:
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

if [ "${CALIBRATE_REUSE:-0}" = 1 ] && [ -s "$machine" ]; then
	echo "calibrate: reusing $machine"
else
	echo "calibrate: mmsim probe -> $machine"
	"$MMSIM" probe --dir "$OUT/scratch" --out "$machine" --seconds "$SECONDS_EACH" | tee "$OUT/probe.txt"
fi

if [ "${CALIBRATE_REUSE:-0}" = 1 ] && [ -s "$experiment" ]; then
	echo "calibrate: reusing $experiment"
	experiment_status="measured"
elif echo "calibrate: mmsim probe --experiment seed-000 -> $experiment" && rm -f "$experiment" &&
	"$MMSIM" probe --experiment seed-000 --dir "$OUT/scratch" --out "$experiment" \
	--seconds "$SECONDS_EACH" --repetitions "$REPETITIONS" 2> "$OUT/experiment.err"; then
	experiment_status="measured"
else
	experiment_status="pending: $(tail -1 "$OUT/experiment.err")"
	echo "calibrate: the experiment did not run ($experiment_status); its columns stay pending"
fi

# A's think: the experiment's own work per fault (evicting, checking residency: its loop
# time less its fault time), from its A_alone phase: the harness around the fault, not a
# kernel path mmsim models.
harness_us=$(measured '1e6 / .phases.A_alone.A.loop_ops_per_s_median - 1e6 / .phases.A_alone.A.ops_per_s_median')
[ "$harness_us" = "?" ] && harness_us=0
echo "calibrate: the prediction (scenarios/host-seed-000.json, A's harness $harness_us us a fault) -> $OUT/prediction"
rm -rf "$OUT/prediction"
"$MMSIM" run scenarios/host-seed-000.json --set "include=$machine" \
	--set "threads.A.loop[0].time_us=$harness_us" --out "$OUT/prediction" --quiet

# predicted A B R COLUMN: the column of summary.csv at the point of those thread counts.
predicted() {
	awk -F, -v a="$1" -v b="$2" -v r="$3" -v col="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["threads.A.count"] == a && $c["threads.B.count"] == b &&
		$c["threads.reader.count"] == r { print $c[col]; exit }' "$OUT/prediction/summary.csv"
}

rows=$OUT/rows.dat
# A's faults/s: per second spent faulting (the experiment's A.ops_per_s; mmsim: 1e6 / the mean
# fault latency); A's loop/s: faults per second of the whole loop, harness included.
fault_rate() { awk -v l="$(predicted "$@" threads.A.op_latency_us.mean)" 'BEGIN { print (l > 0 ? 1e6 / l : "?") }'; }
{
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
} > "$rows"

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
awk -F'|' 'NR > 1 { printf "\"%s\" %s %s\n", $1, $3, $4 }' "$rows" > "$OUT/figure.dat"
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

table=$(awk -F'|' 'NR > 1 {
	m = $3; p = $4
	if (m == "?" || m == "") { err = "pending"; ms = "pending" }
	else { ms = sprintf("%.1f", m); err = m != 0 ? sprintf("%+.1f %%", 100 * (p - m) / m) : "-" }
	tgt = $5 != "" ? sprintf("within %s %%", $5) : "-"
	met = (m == "?" || $5 == "") ? "" : ((p - m) / m <= $5 / 100 && (m - p) / m <= $5 / 100 ? " (met)" : " (missed)")
	printf "| %s | %s | %s | %.1f | %s | %s%s |\n", $1, $2, ms, p, err, tgt, met }' "$rows")

cat > "$DOC" << EOF
# Calibration: mmsim against the running kernel

Written by \`make calibrate\` (docs/calibrate.sh) on $(host date): \`mmsim probe\` measured the
machine, \`mmsim probe --experiment seed-000\` ran the seed-000 experiment on it for real
(experiment: $experiment_status), and \`scenarios/host-seed-000.json\` predicted the same
experiment with the machine file just measured, on the profile of the running kernel.

| Machine | |
|---|---|
| kernel | $(host kernel_release) (profile \`$(host kernel_profile)\`) |
| CPUs | $(host cpus) |
| disk under the scratch folder | $(host device), scheduler $(host device_scheduler), read_ahead_kb $(host device_read_ahead_kb), max_sectors_kb $(host device_max_sectors_kb), rotational $(host device_rotational) |
| device reads | $(host device_read_method) |
| each measurement | $(host seconds) s, scratch file $(host file_mb) MiB |

## Measured against predicted

| Quantity | Unit | Measured | Predicted | Error (predicted − measured) | Target |
|---|---|---|---|---|---|
$table

![Measured and predicted, per quantity](calibration.png)

"Per CPU-second": the experiment's rate had the thread had a CPU to itself (its operations over
its time on a CPU, schedstat), for a machine shared with other load, which mmsim does not model.
The predicted values are the points of \`out/calibrate/prediction\` with the threads of each phase
(\`threads.A.count\`, \`threads.B.count\`, \`threads.reader.count\`): A alone (1, 0, 0), B alone
(0, 1, 0), A and B (1, 1, 0), A and the reader (1, 0, 1).

## The experiment, phase by phase

Each phase ran $(measured .seconds) s, $(measured .repetitions) times, interleaved; a rate is the
median of the repetitions (their range beside it; a repetition the host slowed down moves the
mean, not the median), here and in the table above. A's rate is per second spent faulting; A reads \`read KiB\` per fault (\`/proc/self/io\`); the last two columns are the
shares of the thread's time on a CPU and runnable but waiting for one (schedstat).

| Phase | Thread | ops/s | range | p50 (µs) | p99 (µs) | read KiB | on CPU | waiting for a CPU |
|---|---|---|---|---|---|---|---|---|
$experiment_rows

## The probe's measurements (µs)

| Measurement | n | p50 | p90 | p99 | Calibrates |
|---|---|---|---|---|---|
$probe_rows

The machine file (\`mmsim probe --out\`), without its \`measured\` record:

\`\`\`json
$params
\`\`\`

$(cat docs/calibration-notes.md)
EOF
echo "calibrate: wrote $DOC and $FIG"
