#!/bin/sh
# bench/run.sh - time mmsim against the seedbench reference implementations.
#
#   sh bench/run.sh            the long case, BENCH_ROUNDS (default 3) interleaved rounds
#   sh bench/run.sh --quick    1 round, 60 s simulated (smoke run, ~10 s)
#
# The long case is seedbench's `--policy retry --duration 600 --disk-ms 18 --seed 1`
# (kernel 2.6.37, 18 ms disk, 600 s simulated); mmsim runs the same model from
# scenarios/seedbench.json. Each round runs mmsim, the C DES, SimPy 2 and the
# SimGrid reference in turn (round-robin, so machine noise hits all of them alike).
# See bench/README.md for how to read the output.
#
# Environment: BENCH_ROUNDS (default 3), BENCH_DURATION (simulated s, default 600),
# SEEDBENCH_DIR (default <repo>/../shared/bench), MMSIM (default <repo>/mmsim),
# PYTHON (default /usr/bin/python3: Debian's, which has SimPy 2), BENCH_KEEP=1 keeps
# the temporary directory. Writes nothing outside that temporary directory: the
# references are built out of tree into it.
#
# Exit status: 0 ok; 1 if mmsim is slower than the SimGrid reference or its results
# disagree with the references' (or the references disagree among themselves);
# 2 on a usage or setup error.
set -eu

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-600}
for a in "$@"; do
	case $a in
	--quick) ROUNDS=1; DURATION=60 ;;
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
SCENARIO=$REPO/scenarios/seedbench.json
GNU_TIME=/usr/bin/time
DISK_MS=18
SEED=1

die() { echo "run.sh: $*" >&2; exit 2; }
[ -d "$SEEDBENCH_DIR" ] || die "no reference implementations at $SEEDBENCH_DIR (set SEEDBENCH_DIR)"
SEEDBENCH_DIR=$(cd "$SEEDBENCH_DIR" && pwd)
[ -x "$MMSIM" ] || die "$MMSIM not built (run 'make' first)"
[ -f "$SCENARIO" ] || die "$SCENARIO missing"
[ -x "$GNU_TIME" ] || die "GNU time not found at $GNU_TIME (Debian package 'time')"
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
DES=$(refbin seedbench_des)
SGREF=$(refbin seedbench_simgrid)
REFARGS="--policy retry --duration $DURATION --disk-ms $DISK_MS --seed $SEED"

# run_one IMPL ROUND CMD...: wall time from date +%s.%N around the child (GNU
# time's %e only has 10 ms resolution), max RSS from GNU time; appends a line
# "impl round wall_s maxrss_kb result_file" to $TMP/runs.
run_one() {
	impl=$1 round=$2
	shift 2
	f=$TMP/run/$impl.$round
	t0=$(date +%s.%N)
	if ! (cd "$TMP/run" && "$GNU_TIME" -f '%e %M' -o "$f.time" "$@" >"$f.out" 2>"$f.err"); then
		echo "run.sh: $impl failed: $*" >&2
		tail -n 20 "$f.err" >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
	rss=$(tail -n 1 "$f.time" | awk '{ print $2 }')
	res=$f.out
	[ "$impl" = mmsim ] && res=$(ls "$f.mmsim"/points/*/results.json)
	echo "$impl $round $wall $rss $res" >>"$TMP/runs"
	echo "# round $round/$ROUNDS $impl: $wall s, max RSS $((rss / 1024)) MB" >&2
}

echo "# mmsim bench: retry (2.6.37), D = $DISK_MS ms, $DURATION s simulated, seed $SEED," \
	"$ROUNDS interleaved round(s); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
r=1
while [ "$r" -le "$ROUNDS" ]; do
	run_one mmsim "$r" "$MMSIM" run "$SCENARIO" --set kernel=2.6.37 \
		--set disk.service_ms=$DISK_MS --set duration_s="$DURATION" --seed $SEED \
		--quiet --out "$TMP/run/mmsim.$r.mmsim"
	# shellcheck disable=SC2086
	run_one des "$r" "$DES" $REFARGS
	# shellcheck disable=SC2086
	run_one simpy "$r" "$PYTHON" "$SEEDBENCH_DIR/seedbench_simpy.py" $REFARGS
	# shellcheck disable=SC2086
	run_one simgrid "$r" "$SGREF" $REFARGS --platform "$SEEDBENCH_DIR/seedbench_platform.xml"
	r=$((r + 1))
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

rc=0
"$PYTHON" - "$TMP/runs" "$DURATION" "$ROUNDS" "$DISK_MS" "$SEED" "$LOAD_END" <<'EOF' || rc=$?
import json, math, os, statistics, sys

runs_file, duration, rounds, disk_ms, seed, load_end = sys.argv[1:]
duration, disk_ms, seed = float(duration), float(disk_ms), int(seed)
NAMES = {"mmsim": "mmsim", "des": "C DES (ref)", "simpy": "SimPy 2 (ref)",
         "simgrid": "SimGrid (ref)"}
problems = []


def load(impl, path):
    """The run's result as (a_iters, b_iters, a_per_s, b_per_s, events)."""
    if impl == "mmsim":
        with open(path) as f:
            d = json.load(f)
        p, m = d["parameters"], d["metrics"]
        if (d["kernel"] != "2.6.37" or p["duration_s"] != duration
                or p["disk"]["service_ms"] != disk_ms or d["seed"] != seed):
            problems.append(f"mmsim ran another configuration: {path}")
        a, b = m["threads"]["A"], m["threads"]["B"]
        return (a["ops"], b["ops"], a["ops_per_s"], b["ops_per_s"], m["engine"]["events"])
    with open(path) as f:
        d = json.loads(f.read().strip().splitlines()[-1])
    if (d["policy"] != "retry" or d["duration_s"] != duration
            or d["disk_ms"] != disk_ms or d["seed"] != seed):
        problems.append(f"{impl} ran another configuration: {path}")
    return (d["a_iters"], d["b_iters"], d["a_per_s"], d["b_per_s"], d["events"])


runs = {i: [] for i in NAMES}
with open(runs_file) as f:
    for line in f:
        impl, rnd, wall, rss, path = line.split(maxsplit=4)
        runs[impl].append((float(wall), int(rss) / 1024, load(impl, path.strip())))

res = {}
for impl, rs in runs.items():
    outs = {r[2] for r in rs}
    if len(outs) != 1:
        problems.append(f"{NAMES[impl]} is not deterministic across rounds: {sorted(outs)}")
    res[impl] = rs[0][2]

wall = {i: statistics.median(r[0] for r in rs) for i, rs in runs.items()}
print(f"mmsim bench: seedbench long case, policy retry (kernel 2.6.37), D = {disk_ms:g} ms, "
      f"{duration:g} s simulated, seed {seed}; {rounds} interleaved round(s) "
      f"(mmsim, C DES, SimPy, SimGrid, ...); load average at end: {load_end}")
print("wall = process wall time (fork to exit) in s; events/s = events / median wall; "
      "vs mmsim = median wall / mmsim's median wall; max RSS = median of GNU time's %M\n")
hdr = ("implementation", "median wall s", "min wall s", "events", "events/s",
       "vs mmsim", "max RSS MB")
rows = []
for impl, rs in runs.items():
    ev = res[impl][4]
    rows.append((NAMES[impl], f"{wall[impl]:.3f}", f"{min(r[0] for r in rs):.3f}", f"{ev:,}",
                 f"{ev / wall[impl] / 1e6:,.2f} M", f"{wall[impl] / wall['mmsim']:.2f}x",
                 f"{statistics.median(r[1] for r in rs):.1f}"))
w = [max(len(x[k]) for x in rows + [hdr]) for k in range(len(hdr))]
fmt = lambda row: "  ".join([row[0].ljust(w[0])] + [c.rjust(w[k + 1]) for k, c in enumerate(row[1:])])
print(fmt(hdr))
print("  ".join("-" * n for n in w))
for row in rows:
    print(fmt(row))
print("\nall runs (s): " + "; ".join(
    f"{NAMES[i]} " + " ".join(f"{r[0]:.2f}" for r in rs) for i, rs in runs.items()))

# Agreement: the three references with each other, mmsim with them.
print("\nresults (round 1):")
hdr2 = ("implementation", "A iters", "B iters", "A it/s", "B it/s", "events")
rows2 = [(NAMES[i], str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]))
         for i, r in res.items()]
w = [max(len(x[k]) for x in rows2 + [hdr2]) for k in range(len(hdr2))]
print(fmt(hdr2))
for row in rows2:
    print(fmt(row))
ref = res["des"]
for i in ("simpy", "simgrid"):
    if res[i] != ref:
        problems.append(f"references disagree: {NAMES[i]} {res[i]} vs C DES {ref}")
m = res["mmsim"]
close = lambda x, y: math.isclose(x, y, rel_tol=1e-7)
same_rates = m[0] == ref[0] and m[1] == ref[1] and close(m[2], ref[2]) and close(m[3], ref[3])
verdict = "equal" if same_rates else "DIFFERENT"
print(f"A it/s: mmsim {m[2]}, references {ref[2]}: {verdict}")
print(f"B it/s: mmsim {m[3]}, references {ref[3]}: {verdict}")
print("  (equal = identical A and B iteration counts, and rates equal to 1e-7: "
      "mmsim prints 9 significant digits, the references 6 decimals)")
if not same_rates:
    problems.append("mmsim's A/B iterations differ from the references'")
if m[4] == ref[4]:
    print(f"events: mmsim's own count (results.json metrics.engine.events) = the references' "
          f"({m[4]:,})")
else:
    print(f"note: mmsim counts {m[4]:,} events, the references {ref[4]:,}; mmsim's events/s "
          f"uses its own count, so the events/s column is not like for like")

speedup = wall["simgrid"] / wall["mmsim"]
print()
if speedup >= 1:
    print(f"mmsim vs SimGrid reference: {speedup:.2f}x faster")
else:
    print(f"mmsim vs SimGrid reference: {1 / speedup:.2f}x slower")
    problems.append("mmsim is slower than the SimGrid reference")
for p in problems:
    print(f"FAIL: {p}")
print("verdict: " + ("FAIL" if problems else "OK"))
sys.exit(1 if problems else 0)
EOF
exit $rc
