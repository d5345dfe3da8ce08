# The limits that hold (README "Limits"): input files are regular files of at
# most 64 MiB (a FIFO or /dev/zero is refused at once, exit 2), a suite is
# checked whole before anything runs, a swept-over value is still checked,
# --set kernel=5.3 names a profile, -0.0 and 0 are one point, a name too long
# for a folder is refused, and validate stays small on a large sweep.
. tests/lib.sh
expect() { # NAME CODE CMD...
	name=$1 code=$2; shift 2
	timeout 60 "$@" > "$TMP/lim.out" 2> "$TMP/lim.err"
	rc=$?
	if [ $rc -eq "$code" ]; then ok "$name"; else fail "$name" "exit $rc, expected $code: $(head -3 "$TMP/lim.err")"; fi
}
says() { # NAME TEXT: the last command's stderr holds TEXT
	grep -qF -- "$2" "$TMP/lim.err" && ok "$1" || fail "$1" "no '$2' in: $(head -3 "$TMP/lim.err")"
}
L=$TMP/limits
mkdir -p "$L"
cat > "$L/one.json" <<'EOS'
{ "name": "one", "duration_s": 0.01, "kernel": "2.6.37",
  "processes": [ { "name": "P", "threads": [ { "name": "A", "loop": [ { "op": "think", "time_us": 5 } ] } ] } ] }
EOS

# Scenario files: never-ending, blocking, too large, not a file.
expect scenario-dev-zero 2 "$MMSIM" validate /dev/zero
says scenario-dev-zero-says "a regular file expected, got a character device"
mkfifo "$L/fifo.json"
expect scenario-fifo 2 "$MMSIM" validate "$L/fifo.json"
says scenario-fifo-says "a regular file expected, got a FIFO"
expect scenario-directory 2 "$MMSIM" run "$L" --out "$L/out-dir"
says scenario-directory-says "a regular file expected, got a directory"
: > "$L/huge.json"
truncate -s 65M "$L/huge.json" # sparse: nothing is written
expect scenario-too-big 2 "$MMSIM" validate "$L/huge.json"
says scenario-too-big-says "68157440 bytes, more than the 64 MiB an input file may hold"
# the empirical reader: a FIFO (tests/bad has /dev/zero, a directory, a NUL byte)
sed 's|"time_us": 5|"time_us": { "dist": "empirical", "file": "fifo.json" }|' "$L/one.json" > "$L/emp.json"
expect empirical-fifo 2 "$MMSIM" validate "$L/emp.json"
says empirical-fifo-says "cannot read '$L/fifo.json': a regular file expected, got a FIFO"
# the suite reader
expect suite-fifo 2 "$MMSIM" suite "$L/fifo.json" --out "$L/out-fifo"
says suite-fifo-says "cannot read the suite: a regular file expected, got a FIFO"

# A suite is checked whole: the second scenario's error, or the gone "plots"
# key, stops it before the first runs (no folder).
sed 's|"kernel": "2.6.37"|"kernel": "9.9.9"|; s|"one"|"two"|' "$L/one.json" > "$L/two.json"
printf '{ "suite": [ { "scenario": "%s" }, { "scenario": "%s" } ] }\n' "$L/one.json" "$L/two.json" > "$L/suite.json"
expect suite-second-invalid 2 "$MMSIM" suite "$L/suite.json" --out "$L/out-suite" --quiet
says suite-second-invalid-says "unknown kernel profile '9.9.9'"
[ ! -e "$L/out-suite" ] && ok suite-second-invalid-no-folder || fail suite-second-invalid-no-folder "$L/out-suite created"
printf '{ "suite": [ { "scenario": "%s", "plots": ["%s/nothing.gp"] } ] }\n' "$L/one.json" "$L" > "$L/suite-plot.json"
expect suite-plot-missing 2 "$MMSIM" suite "$L/suite-plot.json" --out "$L/out-suite-plot" --quiet
says suite-plot-missing-says ".suite[0].plots: error: gnuplot scripts are no more: the scenario declares its \"figures\""
[ ! -e "$L/out-suite-plot" ] && ok suite-plot-missing-no-folder || fail suite-plot-missing-no-folder "$L/out-suite-plot created"
printf '{ "suite": [ { "scenario": "%s" } ] }\n' "$L/one.json" > "$L/suite-good.json"
expect suite-good 0 "$MMSIM" suite "$L/suite-good.json" --out "$L/out-suite-good" --quiet
[ -f "$L/out-suite-good/one/summary.csv" ] && ok suite-good-ran || fail suite-good-ran "no summary.csv"

# A value the sweep replaces is checked (tests/bad/swept-base-invalid), but a
# swept key the file leaves out is not missing.
sed 's|"kernel": "2.6.37",||; s|"processes"|"sweep": { "kernel": ["2.6.36", "2.6.37"] }, "processes"|' \
	"$L/one.json" > "$L/swept-only.json"
expect swept-key-absent 0 "$MMSIM" validate "$L/swept-only.json"

# --set kernel=5.3 and 3.10 name profiles (as JSON numbers 3.10 would be 3.1).
expect set-kernel-number 0 "$MMSIM" validate "$L/one.json" --set kernel=5.3
a=$("$MMSIM" points "$L/one.json" --set kernel=3.10)
b=$("$MMSIM" points "$L/one.json" --set 'kernel="3.10"')
[ -n "$a" ] && [ "$a" = "$b" ] && ok set-kernel-3.10 || fail set-kernel-3.10 "'$a' vs '$b'"

# -0.0 and 0 are one value: one point id.
a=$("$MMSIM" points "$L/one.json" --set machine.wakeup_us=-0.0 | cut -d' ' -f1)
b=$("$MMSIM" points "$L/one.json" --set machine.wakeup_us=0 | cut -d' ' -f1)
[ -n "$a" ] && [ "$a" = "$b" ] && ok negative-zero-id || fail negative-zero-id "$a vs $b"

# A name too long for a folder: exit 2 at validation, no out/ left behind.
long=$(printf '%0300d' 0 | tr 0 n)
sed "s|\"one\"|\"$long\"|" "$L/one.json" > "$L/long.json"
mkdir -p "$L/cwd"
case $MMSIM in /*) M=$MMSIM ;; *) M=$PWD/$MMSIM ;; esac
(cd "$L/cwd" && timeout 60 "$M" run ../long.json --quiet > /dev/null 2>&1; echo $? > ../long.rc)
[ "$(cat "$L/long.rc")" = 2 ] && [ ! -e "$L/cwd/out" ] && ok name-too-long-no-out ||
	fail name-too-long-no-out "exit $(cat "$L/long.rc"), out/ $(ls "$L/cwd")"

# validate of a 30000-point sweep: every point checked, in bounded memory
# (before: 355 MB peak here, 2 GB for 1e5 points; after: 63 MB).
if [ -z "$SANITIZED" ]; then
	v1=$(seq 1 300 | paste -sd, -)
	v2=$(seq 1 100 | paste -sd, -)
	sed "s|\"processes\"|\"sweep\": { \"machine.wakeup_us\": [$v1], \"threads.A.loop[0].time_us\": [$v2] }, \"processes\"|" \
		"$L/one.json" > "$L/sweep.json"
	(ulimit -v 200000; timeout 120 "$MMSIM" validate "$L/sweep.json" > "$L/sweep.out" 2> "$L/sweep.err"; echo $? > "$L/sweep.rc")
	[ "$(cat "$L/sweep.rc")" = 0 ] && [ "$(wc -l < "$L/sweep.out")" = 30001 ] && ok validate-large-sweep ||
		fail validate-large-sweep "exit $(cat "$L/sweep.rc"): $(head -2 "$L/sweep.err")"
fi

# The largest mapping runs (2^32 - 256 pages; a page is drawn in 32 bits).
sed 's|"processes": \[ { "name": "P",|"processes": [ { "name": "P", "mappings": [ { "name": "f", "type": "file", "size_mb": 16777215 } ],|; s|{ "op": "think", "time_us": 5 }|{ "op": "fault", "mapping": "f" }|' \
	"$L/one.json" > "$L/bigmap.json"
expect largest-mapping-runs 0 "$MMSIM" run "$L/bigmap.json" --out "$L/out-bigmap" --quiet --jobs 1

# The most threads run (slow: about 30 s; MMSIM_SLOW_TESTS=1).
if [ -n "$MMSIM_SLOW_TESTS" ] && [ -z "$SANITIZED" ]; then
	expect most-threads-run 0 "$MMSIM" run "$L/one.json" --set threads.A.count=32000 \
		--set duration_s=0.001 --out "$L/out-threads" --quiet --jobs 1
fi
