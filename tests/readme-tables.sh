#!/bin/sh
# The README's reference tables, generated: every block between
# "<!-- mmsim list --markdown: NAME -->" and "<!-- end -->" is replaced by the
# table NAME of `mmsim list --markdown`, so the README cannot drift from the code.
#
#   sh tests/readme-tables.sh [README]          the README regenerated, on stdout
#   sh tests/readme-tables.sh --write [README]  rewrites it in place
#
# Environment: MMSIM (the binary, default ./mmsim). Exit 1 if the README names a
# table mmsim does not print, or a block is not closed.
MMSIM=${MMSIM:-./mmsim}
write=
if [ "$1" = --write ]; then
	write=1
	shift
fi
readme=${1:-README.md}
tables=$(mktemp) || exit 1
out=$(mktemp) || exit 1
trap 'rm -f "$tables" "$out"' EXIT
"$MMSIM" list --markdown > "$tables" || exit 1

awk -v file="$readme" '
	# the first file: the tables mmsim prints, by name
	FNR == NR {
		if (match($0, /^<!-- mmsim list --markdown: [a-z0-9-]+ -->$/)) {
			name = $5
			in_table = 1
			next
		}
		if ($0 == "<!-- end -->") { in_table = 0; next }
		if (in_table) table[name] = table[name] $0 "\n"
		next
	}
	# the README: its blocks replaced
	inside && $0 != "<!-- end -->" { next }
	inside { inside = 0 }
	/^<!-- mmsim list --markdown: / {
		if (!($5 in table)) {
			printf "%s:%d: mmsim list --markdown prints no table %s\n", file, FNR, $5 > "/dev/stderr"
			bad = 1
		}
		print
		printf "%s", table[$5]
		inside = 1
		next
	}
	{ print }
	END {
		if (inside) { printf "%s: a block is not closed by <!-- end -->\n", file > "/dev/stderr"; bad = 1 }
		exit bad
	}' "$tables" "$readme" > "$out" || exit 1

if [ -n "$write" ]; then
	cat "$out" > "$readme"
else
	cat "$out"
fi
