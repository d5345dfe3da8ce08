#!/bin/sh
# The test runner of 'make check': unit tests (C), then the command-line tests
# (tests/cli/*.sh and the bad-input cases of tests/bad/). Prints one line per
# failure and closes with "N passed, N failed". Environment: MMSIM (the
# binary), UNIT_TESTS (the unit test binaries).
MMSIM=${MMSIM:-./mmsim}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-tests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
export MMSIM TMP

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }

# Unit tests print "ok NAME" or "FAIL NAME: why" per case.
for t in $UNIT_TESTS; do
	"$t" > "$TMP/unit.out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$TMP/unit.out")
	f=$(grep -c '^FAIL ' "$TMP/unit.out")
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	grep '^FAIL ' "$TMP/unit.out"
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		fail "$t exited with $rc"; tail -5 "$TMP/unit.out"
	fi
done

# Bad input: tests/bad/NAME.json [+ NAME.args] must exit 2 with exactly NAME.err on
# stderr, print nothing on stdout and create no output folder.
for j in tests/bad/*.json; do
	[ -e "$j" ] || continue
	name=${j%.json}
	args=""
	[ -f "$name.args" ] && args=$(cat "$name.args")
	out="$TMP/bad-out"
	# shellcheck disable=SC2086
	"$MMSIM" run "$j" --out "$out" $args > "$TMP/stdout" 2> "$TMP/stderr"
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$j: exit $rc, expected 2"; cat "$TMP/stderr"
	elif ! diff -u "$name.err" "$TMP/stderr" > "$TMP/diff"; then
		fail "$j: unexpected message"; cat "$TMP/diff"
	elif [ -s "$TMP/stdout" ] || [ -e "$out" ]; then
		fail "$j: printed to stdout or created $out"
	else
		pass
	fi
	rm -rf "$out"
done

# Command-line tests: each tests/cli/*.sh prints "ok NAME" / "FAIL NAME: why".
# They run TEST_JOBS at a time (default: the number of cores), each in a scratch
# folder of its own, the longest first; their results are counted in name order.
LONGEST="validation property determinism plan plot replications"
scripts=""
for n in $LONGEST; do scripts="$scripts tests/cli/$n.sh"; done
for s in tests/cli/*.sh; do
	case " $scripts " in *" $s "*) ;; *) scripts="$scripts $s" ;; esac
done
# shellcheck disable=SC2086
printf '%s\n' $scripts | xargs -P "${TEST_JOBS:-$(nproc)}" -I{} sh -c '
	n=$(basename "$1" .sh)
	mkdir -p "$TMP/cli-$n" && TMP="$TMP/cli-$n" sh "$1" > "$TMP/cli-$n.out" 2>&1' sh {}
for s in tests/cli/*.sh; do
	[ -e "$s" ] || continue
	out="$TMP/cli-$(basename "$s" .sh).out"
	PASSED=$((PASSED + $(grep -c '^ok ' "$out")))
	f=$(grep -c '^FAIL ' "$out")
	FAILED=$((FAILED + f))
	grep '^FAIL ' "$out"
	if [ "$f" -eq 0 ] && ! grep -q '^ok ' "$out"; then
		fail "$s ran no test"; tail -5 "$out"
	fi
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
