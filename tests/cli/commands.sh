# The command line: --help everywhere, exit codes 0 (ok), 1 (run-time or I/O
# failure), 2 (usage or input error).
. tests/lib.sh
expect help 0 "$MMSIM" --help
for c in run validate list suite points merge plot plan help; do
	expect "help-$c" 0 "$MMSIM" $c --help
	"$MMSIM" help $c > "$TMP/help-cmd" 2>&1
	cmp -s "$TMP/out" "$TMP/help-cmd" && ok "help-command-$c" || fail "help-command-$c" "'mmsim help $c' differs from '$c --help'"
done
expect help-command 0 "$MMSIM" help
grep -q '^  plan SCENARIO.json' "$TMP/out" && ok help-lists-commands || fail help-lists-commands "$(head -3 "$TMP/out")"
expect help-unknown-command 2 "$MMSIM" help frobnicate
expect version 0 "$MMSIM" --version
grep -q '^mmsim [0-9]' "$TMP/out" && grep -q '^SimGrid [0-9]' "$TMP/out" && ok version-text || fail version-text "$(cat "$TMP/out")"
expect no-command 2 "$MMSIM"
expect unknown-command 2 "$MMSIM" frobnicate
expect unknown-option 2 "$MMSIM" run scenarios/seedbench.json --frob
expect unknown-main-option 2 "$MMSIM" --frob
# A command refuses an option it does not take (once ignored), naming it and itself.
refuse() { # NAME OPTION CMD ARGS...
	name=$1 opt=$2; shift 2
	expect "$name" 2 "$MMSIM" "$@"
	grep -q -- "$opt" "$TMP/err" && grep -q "mmsim $1 --help" "$TMP/err" && [ ! -s "$TMP/out" ] &&
		ok "$name-message" || fail "$name-message" "$(cat "$TMP/err")"
}
refuse suite-set --set suite scenarios.json --set kernel=3.0
refuse validate-out --out validate scenarios/seed-000-retry.json --out "$TMP/v"
refuse list-bogus --bogus list --bogus
refuse plot-jobs --jobs plot "$TMP" --jobs 2
refuse points-quiet --quiet points scenarios/seed-000-retry.json --quiet
refuse merge-force --force merge "$TMP" --force
refuse run-abbreviated --qui run scenarios/seedbench.json --qui
refuse flag-with-value --quiet run scenarios/seedbench.json --quiet=yes
refuse value-missing --out run scenarios/seedbench.json --out
refuse extra-operand other.json validate scenarios/seed-000-retry.json other.json
refuse list-operand extra list extra
refuse operand-missing SCENARIO.json run --quiet
[ ! -e "$TMP/v" ] && ok refused-makes-nothing || fail refused-makes-nothing "$TMP/v made"
# --opt=value is --opt value; options and operands in any order; '--' ends the options.
"$MMSIM" points scenarios/seedbench.json --set kernel=3.0 --seed 7 > "$TMP/p1" 2>&1
"$MMSIM" points --seed=7 --set=kernel=3.0 scenarios/seedbench.json > "$TMP/p2" 2>&1
"$MMSIM" points --seed=7 --set=kernel=3.0 -- scenarios/seedbench.json > "$TMP/p3" 2>&1
[ -s "$TMP/p1" ] && cmp -s "$TMP/p1" "$TMP/p2" && cmp -s "$TMP/p1" "$TMP/p3" && ok opt-equals-value ||
	fail opt-equals-value "$(diff "$TMP/p1" "$TMP/p2" | head -3)"
# A repeated --set applies in order: the last one wins.
a=$("$MMSIM" points scenarios/seedbench.json --set kernel=3.0 --set kernel=2.6.37)
b=$("$MMSIM" points scenarios/seedbench.json --set kernel=2.6.37)
[ -n "$a" ] && [ "$a" = "$b" ] && ok set-repeated-in-order || fail set-repeated-in-order "$a / $b"
# Each command's usage (its synopsis and its option lines) names every option the
# command takes, and no other.
"$MMSIM" help --bash-completion > "$TMP/completion" 2>&1
for c in run validate list suite points merge plot plan help; do
	table=$(sed -n "s/^	$c) operand='[a-z]*' opts='\(.*\)' ;;$/\1/p" "$TMP/completion" | tr ' ' '\n' | grep -v -- --help | sort -u)
	usage=$("$MMSIM" $c --help | grep -E '^usage:|^ +\[|^ +--' | grep -o -- '--[a-z][a-z-]*' |
		grep -v -- --help | sort -u)
	[ "$table" = "$usage" ] && ok "usage-options-$c" ||
		fail "usage-options-$c" "table: $(echo $table), usage: $(echo $usage)"
done
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
