# The validation suite (tests/validation/validate.c): every simulated mean of
# its cases holds the exact queueing-theory value inside its confidence
# interval. Under the sanitizers, a quick run of the same code paths only.
. tests/lib.sh
VALIDATE=${VALIDATE:-build/validate}
if [ -n "$SANITIZED" ]; then
	"$VALIDATE" --mmsim "$MMSIM" --quick > "$TMP/validation.md" 2> "$TMP/validation.err" &&
		ok validation-quick-run || fail validation-quick-run "$(tail -5 "$TMP/validation.err")"
	exit 0
fi
"$VALIDATE" --mmsim "$MMSIM" > "$TMP/validation.md" 2> "$TMP/validation.err"
rc=$?
# section TITLE_PART: the rows of the report's case whose title holds it
section() {
	awk -v c="$1" '/^## / { on = index($0, c) > 0; next } on' "$TMP/validation.md"
}
for c in "Readers only" "Closed machine-repairman" "M/M/1" "M/D/1" "M/G/1" "Processor sharing"; do
	name="validation-$(echo "$c" | tr ' /' '--')"
	if ! grep -q "^## .*$c" "$TMP/validation.md"; then
		fail "$name" "no such case in the report (exit $rc): $(tail -3 "$TMP/validation.err")"
	elif ! section "$c" | grep -q '| yes |'; then
		fail "$name" "no comparison in the case"
	elif section "$c" | grep -q '[*][*]no[*][*]'; then
		fail "$name" "$(section "$c" | grep '[*][*]no[*][*]')"
	else
		ok "$name"
	fi
done
[ $rc -eq 0 ] && ok validation-exit-status || fail validation-exit-status "exit $rc"
