# make install and uninstall: the binary, its man page and its bash completion
# where packagers expect them (DESTDIR, PREFIX); the page renders, the completion
# completes. The binary under test is copied into a folder of its own and taken
# as built (make -o): nothing is compiled, the build under test is not touched.
. tests/lib.sh
o=$TMP/install-build root=$TMP/install-root
mkdir -p "$o" && cp "$MMSIM" "$o/mmsim" || { fail install-copy "cannot copy $MMSIM"; exit 0; }
imake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s O="$o" -o "$o/mmsim" "$@"; }
if imake install DESTDIR="$root" PREFIX=/usr > "$TMP/install.out" 2>&1; then
	ok install
else
	fail install "$(tail -3 "$TMP/install.out")"
fi
bin=$root/usr/bin/mmsim page=$root/usr/share/man/man1/mmsim.1
completion=$root/usr/share/bash-completion/completions/mmsim
[ -x "$bin" ] && [ -s "$page" ] && [ -s "$completion" ] && ok install-files ||
	fail install-files "$(find "$root" -type f)"
"$bin" --version > "$TMP/version" 2>&1 && ok installed-runs || fail installed-runs "$(cat "$TMP/version")"

# The page renders with no warning and tells of every command (groff: make deps
# installs groff-base; without it this check could not fail, so it fails).
if command -v groff > /dev/null; then
	groff -man -Tascii -P-cbou -ww "$page" > "$TMP/page.txt" 2> "$TMP/page.err"
else
	echo "no groff to render the page (make deps installs groff-base)" > "$TMP/page.err"
fi
missing=$(for c in run validate points merge list suite plot plan help; do
	grep -q "mmsim $c" "$TMP/page.txt" || echo "$c"; done)
[ ! -s "$TMP/page.err" ] && [ -z "$missing" ] && grep -q '^\.TH MMSIM 1' "$page" && ok man-renders ||
	fail man-renders "$(head -3 "$TMP/page.err") missing: $missing"

# The completion, sourced in bash: COMPREPLY for the words typed so far.
complete_words() { # WORD... (the last one is completed)
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mmsim
		echo "${COMPREPLY[*]}"' sh "$completion" "$@" 2> "$TMP/complete.err"
}
if command -v bash > /dev/null; then
	w=$(complete_words mmsim r)
	[ "$w" = "run report" ] && ok complete-command || fail complete-command "'mmsim r' gave '$w' $(cat "$TMP/complete.err")"
	w=$(complete_words mmsim run --qu)
	[ "$w" = --quiet ] && ok complete-option || fail complete-option "'mmsim run --qu' gave '$w'"
	w=$(complete_words mmsim plot --j)
	[ -z "$w" ] && ok complete-not-an-option || fail complete-not-an-option "'mmsim plot --j' gave '$w'"
	w=$(complete_words mmsim validate scenarios/seed-000-re)
	[ "$w" = scenarios/seed-000-retry.json ] && ok complete-scenario || fail complete-scenario "gave '$w'"
	w=$(complete_words mmsim help pl)
	[ "$w" = "plot plan" ] && ok complete-help || fail complete-help "'mmsim help pl' gave '$w'"
fi

imake uninstall DESTDIR="$root" PREFIX=/usr > "$TMP/uninstall.out" 2>&1
left=$(find "$root" -type f)
[ -z "$left" ] && ok uninstall || fail uninstall "left: $left"
