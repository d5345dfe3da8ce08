# The command line: --help everywhere, exit codes 0 (ok), 1 (run-time or I/O
# failure), 2 (usage or input error).
. tests/lib.sh
expect() { # NAME CODE CMD...
	name=$1 code=$2; shift 2
	"$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ $rc -eq "$code" ]; then ok "$name"; else fail "$name" "exit $rc, expected $code: $(head -3 "$TMP/err")"; fi
}
expect help 0 "$MMSIM" --help
for c in run validate list suite points merge; do expect "help-$c" 0 "$MMSIM" $c --help; done
expect no-command 2 "$MMSIM"
expect unknown-command 2 "$MMSIM" frobnicate
expect unknown-option 2 "$MMSIM" run scenarios/seedbench.json --frob
expect validate-good 0 "$MMSIM" validate scenarios/seed-000-retry.json
expect validate-missing 2 "$MMSIM" validate "$TMP/nothing.json"
expect points-missing 2 "$MMSIM" points "$TMP/nothing.json"
expect merge-no-folder 2 "$MMSIM" merge
expect merge-not-output 2 "$MMSIM" merge "$TMP"
expect list 0 "$MMSIM" list
grep -q '2.6.37' "$TMP/out" && ok list-names-profiles || fail list-names-profiles "no 2.6.37 in list"
# An output folder that cannot be made is a run-time failure, and says where.
: > "$TMP/file"
expect out-not-a-folder 1 "$MMSIM" run scenarios/seedbench.json --set duration_s=0.01 --quiet --out "$TMP/file/out"
grep -q "$TMP/file" "$TMP/err" && ok out-error-names-path || fail out-error-names-path "$(cat "$TMP/err")"
# --set replaces a sweep over the same path: one point per remaining value.
"$MMSIM" run scenarios/seedbench.json --set kernel=2.6.37 --set duration_s=0.1 --quiet --out "$TMP/set" 2> "$TMP/err"
n=$(($(wc -l < "$TMP/set/summary.csv") - 1))
[ "$n" = 3 ] && ok set-replaces-sweep || fail set-replaces-sweep "$n points, expected 3"
