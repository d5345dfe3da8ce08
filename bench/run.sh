#!/bin/sh
# bench/run.sh - the performance benchmark of mmsim (make bench).
#
#   sh bench/run.sh            BENCH_ROUNDS (default 5) interleaved rounds
#   sh bench/run.sh --quick    1 round, short runs (a smoke run, about 40 s)
#
# Four parts, interleaved in every round so that machine noise hits all alike:
#  1. seedbench: the long seedbench case (`--policy retry --duration 600
#     --disk-ms 18 --seed 1`, kernel 2.6.37) for mmsim (scenarios/seedbench.json),
#     the C event loop, SimPy 2 and the SimGrid reference of ../shared/bench;
#  2. scaling: bench/scaling.json with 1, 16, 256, 1024 and 4096 threads, in two
#     series: "fixed load" (one process, the N threads share 40,000 operations
#     per simulated second) and "growing load" (N / 16 processes of 16 threads,
#     each thread as busy as ever); 10,000 threads once per series after the rounds;
#  3. sweep: bench/sweep16.json (16 points) with --jobs 1 and --jobs 2;
#  4. rwbench: the contended closed system of ../shared/bench (rwbench_des.c and
#     rwbench-scenario.json: readers and writers on one 2.6.36 rwsem, every
#     acquisition likely to wait) at 20 threads (16 readers + 4 writers) and at
#     256 (192 + 64), 20 simulated s, mmsim against the C event loop (user CPU
#     time); after the rounds, both with $RW_REPS replications (seeds) at each
#     size, whose 95 % intervals must overlap.
# bench/report.py prints the tables (medians over the rounds, with min and max)
# and writes BENCH_RESULTS (default <repo>/bench/results): results.md (the
# tables the README quotes), seedbench.png, scaling.png and their data.
#
# Every run is measured by bench/rusage.c (built into the temporary directory):
# wall time fork to exit, user and system CPU time, peak RSS.
#
# Environment: BENCH_ROUNDS (5), BENCH_DURATION (seedbench simulated s, 600),
# BENCH_RESULTS, SEEDBENCH_DIR (<repo>/../shared/bench), MMSIM (<repo>/mmsim),
# PYTHON (/usr/bin/python3: Debian's, which has SimPy 2), BENCH_KEEP=1 keeps the
# temporary directory (the references are built out of tree into it).
#
# Exit status: 0 ok; 1 if a target is missed or mmsim's seedbench results differ
# from the references' (see bench/README.md); 2 on a usage or setup error.
set -eu

usage() { sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; }

ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-600}
ACQUISITIONS=1200000 # per scaling run: enough that start-up is a small part
SWEEP_DURATION=300
RW_DURATION=20 # rwbench simulated s per run
RW_REPS=5      # rwbench replications of the agreement check
QUICK=0
for a in "$@"; do
	case $a in
	--quick) ROUNDS=1; DURATION=60; ACQUISITIONS=200000; SWEEP_DURATION=40; RW_DURATION=4; RW_REPS=3; QUICK=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "run.sh: unknown argument '$a'" >&2; usage >&2; exit 2 ;;
	esac
done
case $ROUNDS in ''|*[!0-9]*|0) echo "run.sh: BENCH_ROUNDS must be a positive integer" >&2; exit 2 ;; esac
case $DURATION in ''|*[!0-9.]*) echo "run.sh: BENCH_DURATION must be a number of seconds" >&2; exit 2 ;; esac

REPO=$(cd "$(dirname "$0")/.." && pwd)
SEEDBENCH_DIR=${SEEDBENCH_DIR:-$REPO/../shared/bench}
MMSIM=${MMSIM:-$REPO/mmsim}
PYTHON=${PYTHON:-/usr/bin/python3}
RESULTS=${BENCH_RESULTS:-$REPO/bench/results}
DISK_MS=18
SEED=1

die() { echo "run.sh: $*" >&2; exit 2; }
[ -d "$SEEDBENCH_DIR" ] || die "no reference implementations at $SEEDBENCH_DIR (set SEEDBENCH_DIR)"
SEEDBENCH_DIR=$(cd "$SEEDBENCH_DIR" && pwd)
[ -x "$MMSIM" ] || die "$MMSIM not built (run 'make' first)"
for f in scenarios/seedbench.json bench/scaling.json bench/sweep16.json bench/report.py bench/rusage.c; do
	[ -f "$REPO/$f" ] || die "$REPO/$f missing"
done
for f in rwbench_des.c rwbench-scenario.json; do
	[ -f "$SEEDBENCH_DIR/$f" ] || die "$SEEDBENCH_DIR/$f missing (the contended reference)"
done
command -v gnuplot >/dev/null || die "gnuplot not found (Debian package gnuplot-nox)"
"$PYTHON" -c 'import SimPy.Simulation' 2>/dev/null ||
	die "$PYTHON cannot import SimPy 2 (Debian package python3-simpy; or set PYTHON)"
export PYTHONDONTWRITEBYTECODE=1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	trap 'echo "run.sh: kept $TMP" >&2' EXIT
else
	trap 'rm -rf "$TMP"' EXIT
	trap 'exit 130' INT TERM
fi

# Build the references out of tree: the reference Makefile runs in $TMP/ref with
# VPATH pointing at the sources, so its binaries land here and never in
# $SEEDBENCH_DIR (make only reuses a binary there if it is already up to date).
# The parent make's flags (e.g. CFLAGS=... on 'make bench') must not leak in.
mkdir -p "$TMP/ref" "$TMP/run"
if ! (cd "$TMP/ref" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u CFLAGS \
	make -s -f "$SEEDBENCH_DIR/Makefile" VPATH="$SEEDBENCH_DIR" all) >"$TMP/ref/build.log" 2>&1; then
	cat "$TMP/ref/build.log" >&2
	die "building the references failed"
fi
refbin() {
	if [ -x "$TMP/ref/$1" ]; then echo "$TMP/ref/$1"
	elif [ -x "$SEEDBENCH_DIR/$1" ]; then echo "$SEEDBENCH_DIR/$1"
	else die "reference binary $1 not built (libsimgrid-dev missing?)"; fi
}
# rwbench_des and the measuring instrument: no Makefile rule, built here as the reference README says
if ! cc -O2 -o "$TMP/ref/rwbench_des" "$SEEDBENCH_DIR/rwbench_des.c" -lm >>"$TMP/ref/build.log" 2>&1 ||
	! cc -O2 -std=c11 -o "$TMP/ref/rusage" "$REPO/bench/rusage.c" >>"$TMP/ref/build.log" 2>&1; then
	cat "$TMP/ref/build.log" >&2
	die "building rwbench_des or bench/rusage.c failed"
fi
RUSAGE=$TMP/ref/rusage
RWDES=$TMP/ref/rwbench_des
RWSCEN=$SEEDBENCH_DIR/rwbench-scenario.json
DES=$(refbin seedbench_des)
SGREF=$(refbin seedbench_simgrid)
REFARGS="--policy retry --duration $DURATION --disk-ms $DISK_MS --seed $SEED"

# run_one PART WHAT ROUND CMD...: measured by rusage (wall, user and system
# CPU time, max RSS); appends "part what round wall_s user_s sys_s maxrss_kb
# output" to $TMP/runs, where output is the child's stdout file, or its --out
# folder for mmsim.
run_one() {
	part=$1 what=$2 round=$3
	shift 3
	f=$TMP/run/$part.$what.$round
	if ! (cd "$TMP/run" && "$RUSAGE" "$f.time" "$@" >"$f.out" 2>"$f.err"); then
		echo "run.sh: $part $what failed: $*" >&2
		tail -n 20 "$f.err" >&2
		exit 1
	fi
	read -r wall user sys rss <"$f.time"
	out=$f.out
	[ -d "$f.mmsim" ] && out=$f.mmsim
	echo "$part $what $round $wall $user $sys $rss $out" >>"$TMP/runs"
	echo "# round $round/$ROUNDS $part $what: $wall s wall, $user s user, max RSS $((rss / 1024)) MB" >&2
}

# rwbench SIZE ROUND [SEED] [REPS]: the C loop and mmsim on the contended case,
# SIZE 20 (16 readers + 4 writers) or 256 (192 + 64). With REPS: the agreement
# runs (part rwcheck): REPS seeds of the C loop, REPS replications of mmsim.
rw_threads() { if [ "$1" = 20 ]; then echo "16 4"; else echo "192 64"; fi; }
rwbench() {
	size=$1 round=$2 seed=${3:-$SEED} reps=${4:-}
	# shellcheck disable=SC2046 # two words: the readers and the writers
	set -- $(rw_threads "$size")
	nr=$1 nw=$2 part=rw$size
	[ -n "$reps" ] && part=rwcheck$size
	run_one "$part" des "$round" "$RWDES" "$nr" 300 50 "$nw" 1000 20 "$RW_DURATION" "$seed"
	[ -n "$reps" ] && [ "$round" -gt 1 ] && return 0
	# shellcheck disable=SC2046
	run_one "$part" mmsim "$round" "$MMSIM" run "$RWSCEN" --set duration_s="$RW_DURATION" \
		--set threads.R.count="$nr" --set threads.W.count="$nw" --seed "$seed" \
		$([ -n "$reps" ] && echo "--set replications=$reps") \
		--quiet --out "$TMP/run/$part.mmsim.$round.mmsim"
}

# scaling SERIES N ROUND: one run of bench/scaling.json. "fixed": one process of
# N threads, each thinking N x 25 us (40,000 operations per simulated second in
# all), 30 simulated seconds; "growing": N / 16 processes of 16 threads thinking
# 400 us, for as long as about $ACQUISITIONS acquisitions take.
scaling() {
	series=$1 n=$2 round=$3
	if [ "$series" = fixed ]; then
		dur=$(awk -v a="$ACQUISITIONS" 'BEGIN { printf "%.6g", a / 40000 }')
		set -- --set threads.T.count="$n" --set "threads.T.loop[0].time_us.mean=$((n * 25))"
	else
		dur=$(awk -v a="$ACQUISITIONS" -v n="$n" 'BEGIN { printf "%.6g", a / (2500 * n) }')
		if [ "$n" -ge 16 ]; then
			set -- --set processes.P.count=$((n / 16)) --set threads.T.count=16
		else
			set -- --set threads.T.count="$n"
		fi
	fi
	run_one "$series" "$n" "$round" "$MMSIM" run "$REPO/bench/scaling.json" "$@" \
		--set duration_s="$dur" --quiet --out "$TMP/run/$series.$n.$round.mmsim"
}

echo "# mmsim bench: $ROUNDS interleaved round(s); load average at start:" \
	"$(cut -d' ' -f1-3 /proc/loadavg)" >&2
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
r=1
while [ "$r" -le "$ROUNDS" ]; do
	run_one seedbench mmsim "$r" "$MMSIM" run "$REPO/scenarios/seedbench.json" --set kernel=2.6.37 \
		--set disk.service_ms=$DISK_MS --set duration_s="$DURATION" --seed $SEED \
		--quiet --out "$TMP/run/seedbench.mmsim.$r.mmsim"
	# shellcheck disable=SC2086
	run_one seedbench des "$r" "$DES" $REFARGS
	# shellcheck disable=SC2086
	run_one seedbench simpy "$r" "$PYTHON" "$SEEDBENCH_DIR/seedbench_simpy.py" $REFARGS
	# shellcheck disable=SC2086
	run_one seedbench simgrid "$r" "$SGREF" $REFARGS --platform "$SEEDBENCH_DIR/seedbench_platform.xml"
	for n in 1 16 256 1024 4096; do
		scaling fixed "$n" "$r"
		scaling growing "$n" "$r"
	done
	for jobs in 1 2; do
		run_one sweep "$jobs" "$r" "$MMSIM" run "$REPO/bench/sweep16.json" --jobs "$jobs" \
			--set duration_s=$SWEEP_DURATION --quiet --out "$TMP/run/sweep.$jobs.$r.mmsim"
	done
	rwbench 20 "$r"
	rwbench 256 "$r"
	r=$((r + 1))
done
# The agreement of the contended case: the C loop with seeds 1..RW_REPS (round
# = seed), mmsim with RW_REPS replications in one run.
for size in 20 256; do
	k=1
	while [ "$k" -le "$RW_REPS" ]; do
		rwbench "$size" "$k" "$k" "$RW_REPS"
		k=$((k + 1))
	done
done
scaling fixed 10000 1
scaling growing 10000 1
if [ "$QUICK" = 1 ] && [ -z "${BENCH_RESULTS:-}" ]; then
	RESULTS=$TMP/results # a smoke run does not replace the committed results
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

"$PYTHON" "$REPO/bench/report.py" --runs "$TMP/runs" --rounds "$ROUNDS" --duration "$DURATION" \
	--disk-ms $DISK_MS --seed $SEED --load "$LOAD_START" "$LOAD_END" --quick $QUICK \
	--nproc "$(nproc)" --results "$RESULTS" --rw-duration "$RW_DURATION" --rw-reps "$RW_REPS"
