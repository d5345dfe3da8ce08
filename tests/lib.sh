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
