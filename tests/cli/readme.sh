# The README's reference tables are what `mmsim list --markdown` prints
# (tests/readme-tables.sh regenerates them): README and code cannot drift.
. tests/lib.sh
if ! sh tests/readme-tables.sh README.md > "$TMP/readme.md" 2> "$TMP/readme.err"; then
	fail readme-tables "$(cat "$TMP/readme.err")"
elif ! diff -u README.md "$TMP/readme.md" > "$TMP/readme.diff"; then
	fail readme-tables "README.md differs from mmsim list --markdown (run: sh tests/readme-tables.sh --write): $(head -20 "$TMP/readme.diff")"
else
	ok readme-tables
fi
n=$(grep -c '^<!-- mmsim list --markdown: ' README.md)
check_awk readme-has-generated-tables "$n >= 5"
