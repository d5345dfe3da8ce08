# Helpers of the command-line tests (tests/cli/*.sh), sourced by them.
# Environment: MMSIM (the binary), TMP (a scratch folder), SANITIZED=1 under
# ASan+UBSan with thread contexts, where runs are ~50x slower: tests then use
# short runs and compare with goldens made by the normal build.
MMSIM=${MMSIM:-./mmsim}
TMP=${TMP:-$(mktemp -d)}
ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

# csv_cols FILE COL... : the named columns of a CSV file with a header row, comma-separated.
csv_cols() {
	f=$1; shift
	awk -F, -v want="$*" '
		NR == 1 { n = split(want, w, " ");
			  for (i = 1; i <= n; i++) for (j = 1; j <= NF; j++) if ($j == w[i]) c[i] = j;
			  for (i = 1; i <= n; i++) if (!c[i]) { print "no column " w[i] > "/dev/stderr"; exit 1 }
			  next }
		{ s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") $(c[i]); print s }' "$f"
}

# check NAME CONDITION_TEXT: ok if the awk expression holds, FAIL with it otherwise.
check_awk() {
	name=$1 expr=$2
	if awk "BEGIN { exit !($expr) }"; then ok "$name"; else fail "$name" "not ($expr)"; fi
}

# expect NAME CODE CMD...: ok if CMD exits CODE (its output in $TMP/out, $TMP/err).
# (limits.sh and safety.sh define their own, with a timeout and a pattern.)
expect() {
	name=$1 code=$2; shift 2
	"$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ $rc -eq "$code" ]; then ok "$name"; else fail "$name" "exit $rc, expected $code: $(head -3 "$TMP/err")"; fi
}

# has NAME FILE TEXT: ok if FILE holds TEXT (fixed string).
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1" "no '$3' in $2: $(head -3 "$2")"; fi
}
