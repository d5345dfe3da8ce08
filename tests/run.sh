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
for s in tests/cli/*.sh; do
	[ -e "$s" ] || continue
	sh "$s" > "$TMP/cli.out" 2>&1
	PASSED=$((PASSED + $(grep -c '^ok ' "$TMP/cli.out")))
	f=$(grep -c '^FAIL ' "$TMP/cli.out")
	FAILED=$((FAILED + f))
	grep '^FAIL ' "$TMP/cli.out"
	if [ "$f" -eq 0 ] && ! grep -q '^ok ' "$TMP/cli.out"; then
		fail "$s ran no test"; tail -5 "$TMP/cli.out"
	fi
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
