# Timelines (mmsim run --trace): the Trace Event Format and Paje files of the
# seed-000 run keep their invariants (tests/cli/trace_check.py: every slice
# closed, proper nesting per track, flows joining slices, time monotone per
# track, the window respected), a run without --trace is unchanged by one
# with it, bad options exit 2 creating nothing, and ViTE renders the Paje file.
. tests/lib.sh
S=scenarios/seed-000-retry.json
SET="--set disk.service_ms.mean=18 --set duration_s=6"
P36=$("$MMSIM" points $S $SET | awk '$2 ~ /"2.6.36"/ && $2 ~ /count":1/ { print $1 }')
P37=$("$MMSIM" points $S $SET | awk '$2 ~ /"2.6.37"/ && $2 ~ /count":1/ { print $1 }')
check() { # NAME FORMAT FILE T0 T1 (the window in the checker's unit: µs for tef, s for paje)
	if python3 tests/cli/trace_check.py "$2" "$3" "$4" "$5" > "$TMP/check" 2>&1; then
		ok "$1"
	else
		fail "$1" "$(head -5 "$TMP/check")"
	fi
}
for k in 36:$P36 37:$P37; do
	v=${k%%:*} p=${k#*:}
	# shellcheck disable=SC2086
	"$MMSIM" run $S $SET --point "$p" --out "$TMP/o$v" --quiet --trace "$TMP/t$v.json" \
		--trace-window 3:3.5 > "$TMP/out" 2>&1 && ok "tef-run-$v" || fail "tef-run-$v" "$(head -3 "$TMP/out")"
	python3 -m json.tool "$TMP/t$v.json" > /dev/null 2>&1 && ok "tef-parses-$v" || fail "tef-parses-$v" "json.tool"
	check "tef-invariants-$v" tef "$TMP/t$v.json" 3000000 3500000
	# shellcheck disable=SC2086
	"$MMSIM" run $S $SET --point "$p" --out "$TMP/o$v" --quiet --trace "$TMP/t$v.paje" \
		--trace-window 3:3.5 --trace-format paje > "$TMP/out" 2>&1 && ok "paje-run-$v" || fail "paje-run-$v" "$(head -3 "$TMP/out")"
	check "paje-invariants-$v" paje "$TMP/t$v.paje" 3 3.5
done

# What the timeline must show: under 2.6.36 B's write waits last a disk read
# (A holds mmap_sem across it) and A's releases wake B; under 2.6.37 they do not.
python3 - "$TMP/t36.json" "$TMP/t37.json" > "$TMP/convoy" 2>&1 <<'PY' && ok convoy || fail convoy "$(cat "$TMP/convoy")"
import json, sys
def longest(path, name):
    ev = json.load(open(path))["traceEvents"]
    return max([e["dur"] for e in ev if e["ph"] == "X" and e["name"] == name] or [0])
w36, w37 = longest(sys.argv[1], "wait write"), longest(sys.argv[2], "wait write")
p36 = longest(sys.argv[1], "page wait")
assert w36 > 1000 and p36 > 1000, (w36, p36)   # ms-long: a disk read
assert w37 < 1000, w37                         # µs: the retry drops the lock
flows = [e for e in json.load(open(sys.argv[1]))["traceEvents"] if e["ph"] == "s"]
assert flows, "no wake-up flows under 2.6.36"
PY

# The whole run's results do not change with a trace.
# shellcheck disable=SC2086
"$MMSIM" run $S $SET --point "$P36" --out "$TMP/plain" --quiet > /dev/null 2>&1
python3 - "$TMP/plain/points/$P36/results.json" "$TMP/o36/points/$P36/results.json" <<'PY' > /dev/null 2>&1 &&
import json, sys
a, b = (json.load(open(f))["metrics"] for f in sys.argv[1:3])
sys.exit(a != b)
PY
	ok results-unchanged || fail results-unchanged "the metrics differ with --trace"

# Window: nothing before T0 or after T1 (the checker), and a shorter window a smaller file.
s_long=$(wc -c < "$TMP/t37.json")
# shellcheck disable=SC2086
"$MMSIM" run $S $SET --point "$P37" --out "$TMP/o37" --quiet --trace "$TMP/short.json" --trace-window 3:3.05
s_short=$(wc -c < "$TMP/short.json")
check_awk window-bounds-size "$s_short * 5 < $s_long"

# Bad options: exit 2, no file.
bad() { # NAME ARGS...
	name=$1; shift
	# shellcheck disable=SC2086
	"$MMSIM" run $S $SET --out "$TMP/bad" --quiet "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -e "$TMP/bad" ] && [ ! -e "$TMP/bad.json" ]; then ok "$name"; else fail "$name" "exit $rc: $(head -2 "$TMP/err")"; fi
}
bad bad-sweep-no-point --trace "$TMP/bad.json"
bad bad-two-points --trace "$TMP/bad.json" --point "$P36" --point "$P37"
bad bad-window --point "$P36" --trace "$TMP/bad.json" --trace-window 2:1
bad bad-window-text --point "$P36" --trace "$TMP/bad.json" --trace-window 2
bad bad-window-late --point "$P36" --trace "$TMP/bad.json" --trace-window 100:101
bad bad-format --point "$P36" --trace "$TMP/bad.json" --trace-format svg
bad bad-window-alone --point "$P36" --trace-window 1:2

# ViTE (Debian package vite) renders the Paje file headless to an image.
if ! command -v vite > /dev/null 2>&1; then
	echo "ok vite-render # SKIP: vite is not installed (apt-get install vite)"
else
	rm -f "$TMP/v.svg"
	QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$TMP timeout 120 vite -f "$TMP/t36.paje" -t 3:3.5 \
		-e "$TMP/v.svg" > "$TMP/vite.out" 2>&1
	if grep -q '^0 errors and 0 warnings' "$TMP/vite.out" && grep -q '<svg' "$TMP/v.svg" 2> /dev/null &&
		[ "$(grep -c '<rect' "$TMP/v.svg")" -gt 20 ]; then
		ok vite-render
	else
		fail vite-render "$(tail -3 "$TMP/vite.out")"
	fi
fi
