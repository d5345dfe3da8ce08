# Output safety and integrity (sim/outdir.h, sim/results.h): an empty or root
# --out is refused; a point folder that is a link is never followed; a
# damaged, foreign or tampered results.json is named and its point run again
# (merge skips it); two runs into one folder: the second is refused while the
# first runs; a folder of another scenario or other --set is refused; no file
# under /tmp (a full /tmp cannot fail a run); a full standard output is a
# failure (exit 1).
. tests/lib.sh
S=scenarios/seedbench.json
OPTS="--set duration_s=0.2 --jobs 2 --quiet"
# shellcheck disable=SC2086
run() { "$MMSIM" run "$S" $OPTS "$@"; }
expect() { # NAME RC WANT_RC FILE PATTERN
	if [ "$2" = "$3" ] && grep -q "$5" "$4"; then ok "$1"; else fail "$1" "exit $2 (want $3): $(head -2 "$4")"; fi
}

# 1. --out '' and the root folder: exit 2 before anything is read. (A missing scenario: an mmsim
# without the check stops at it too, instead of writing into /.)
none=$TMP/none.json
for cmd in run plan suite; do
	for out in empty:'' root:/ dotdot:/tmp/..; do
		"$MMSIM" $cmd "$none" --out "${out#*:}" 2> "$TMP/e1"; rc=$?
		if [ $rc = 2 ] && grep -q -e "a folder name expected, got ''" -e "the root folder" "$TMP/e1"; then
			ok "out-refused-$cmd-${out%%:*}"
		else
			fail "out-refused-$cmd-${out%%:*}" "exit $rc: $(cat "$TMP/e1")"
		fi
	done
done
"$MMSIM" merge "$TMP/none" --out '' 2> "$TMP/e1"
expect out-refused-merge $? 2 "$TMP/e1" "a folder name expected, got ''"

# The folder of the runs below.
o=$TMP/o
run --out "$o" 2> "$TMP/e0" || { fail safety-runs "$(cat "$TMP/e0")"; exit 0; }
cp "$o/summary.csv" "$TMP/summary.ref"
id=$(sed -n 2p "$o/summary.csv" | cut -d, -f1)
id2=$(sed -n 3p "$o/summary.csv" | cut -d, -f1)

# 2. A point folder that is a link: refused (exit 2), with --force too; the link's target intact.
mkdir -p "$TMP/victim" && echo precious > "$TMP/victim/results.json"
mv "$o/points/$id" "$TMP/moved"
ln -s "$TMP/victim" "$o/points/$id"
for f in "" --force; do
	run $f --out "$o" 2> "$TMP/e2"; rc=$?
	if [ $rc = 2 ] && [ "$(cat "$TMP/victim/results.json")" = precious ] && [ -L "$o/points/$id" ] &&
		grep -q "is not a folder (a link or a file)" "$TMP/e2"; then
		ok "point-link-refused${f:+-force}"
	else
		fail "point-link-refused${f:+-force}" "exit $rc, victim: $(ls "$TMP/victim"): $(cat "$TMP/e2")"
	fi
done
rm "$o/points/$id" && mv "$TMP/moved" "$o/points/$id"
# A link inside an unfinished point folder is removed, never followed.
rm "$o/points/$id/results.json" && ln -s "$TMP/victim" "$o/points/$id/stale"
run --out "$o" 2> "$TMP/e2"; rc=$?
if [ $rc = 0 ] && [ "$(cat "$TMP/victim/results.json")" = precious ] && [ ! -e "$o/points/$id/stale" ] &&
	cmp -s "$o/summary.csv" "$TMP/summary.ref"; then
	ok link-in-point-not-followed
else
	fail link-in-point-not-followed "exit $rc: $(cat "$TMP/e2")"
fi

# 3. Damaged results: each is named, its point run again, and the summary whole and the same.
damage() { # NAME HOW
	r=$o/points/$id/results.json
	case $2 in
	truncated) head -c 300 "$r" > "$r.x" && mv "$r.x" "$r" ;;
	empty) : > "$r" ;;
	array) echo '[]' > "$r" ;;
	no-metrics) echo '{"point": {"id": "'"$id"'"}}' > "$r" ;;
	other-point) cp "$o/points/$id2/results.json" "$r" ;;
	tampered) sed 's/"engine.events": [0-9]*/"events": 1/; s/\("events": \)\([0-9]\)/\11\2/' "$r" > "$r.x" && mv "$r.x" "$r" ;;
	esac
	run --out "$o" 2> "$TMP/e3"; rc=$?
	if [ $rc = 0 ] && grep -q "warning: $r: .*running the point again" "$TMP/e3" &&
		cmp -s "$o/summary.csv" "$TMP/summary.ref"; then
		ok "results-$2-rerun"
	else
		fail "results-$2-rerun" "exit $rc: $(cat "$TMP/e3"), $(wc -l < "$o/summary.csv") summary lines"
	fi
}
for how in truncated empty array no-metrics other-point tampered; do damage "$id" $how; done
# merge: a damaged point of a folder is named and skipped.
cp -r "$o" "$TMP/m1" && echo '{' > "$TMP/m1/points/$id/results.json"
"$MMSIM" merge "$TMP/m1" --out "$TMP/m2" --quiet 2> "$TMP/e3"; rc=$?
if [ $rc = 0 ] && grep -q "warning: $TMP/m1/points/$id/results.json: .*point skipped" "$TMP/e3" &&
	[ "$(wc -l < "$TMP/m2/summary.csv")" = 6 ] && ! grep -q "^$id," "$TMP/m2/summary.csv"; then
	ok merge-skips-damaged
else
	fail merge-skips-damaged "exit $rc: $(cat "$TMP/e3")"
fi

# 4. Two runs into one folder: the second is refused while the first holds it; the first ends whole.
OPTS="--set duration_s=3 --jobs 1 --quiet"
run --out "$TMP/busy" 2> "$TMP/e4a" &
first=$!
i=0
while [ ! -e "$TMP/busy/origin.json" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run --out "$TMP/busy" --force 2> "$TMP/e4"; rc=$?
wait $first; rc1=$?
if [ $rc = 1 ] && grep -q "is in use by another mmsim" "$TMP/e4" && [ $rc1 = 0 ] &&
	[ "$(grep -c '"status": "ok"' "$TMP/busy/manifest.json")" = 6 ]; then
	ok second-run-refused
else
	fail second-run-refused "exit $rc, first $rc1: $(cat "$TMP/e4" "$TMP/e4a")"
fi
# Another scenario, or other --set, into the folder: refused, the folder untouched.
"$MMSIM" run tests/validation/mm1.json --quiet --out "$o" 2> "$TMP/e4"; rc=$?
expect other-scenario-refused $rc 2 "$TMP/e4" "holds the results of scenario 'seedbench'"
OPTS="--set duration_s=0.3 --quiet"
run --out "$o" 2> "$TMP/e4"; rc=$?
expect other-set-refused $rc 2 "$TMP/e4" "with --set duration_s=0.2; this is a run of .* with --set duration_s=0.3"
if cmp -s "$o/summary.csv" "$TMP/summary.ref" && [ "$(ls "$o/points" | wc -l)" = 6 ]; then
	ok refused-folder-untouched
else
	fail refused-folder-untouched "$(ls "$o/points")"
fi
# A folder of an older mmsim (no origin.json): its points' scenario is checked instead.
rm "$o/origin.json"
"$MMSIM" run tests/validation/mm1.json --quiet --out "$o" 2> "$TMP/e4"; rc=$?
expect unmarked-other-scenario-refused $rc 2 "$TMP/e4" "holds the results of scenario 'seedbench'"

# 8. A full /tmp (a private mount of 4 KiB, filled): runs as usual (nothing is written there);
# the output goes beside the binary, off /tmp.
full=$(dirname "$MMSIM")/safety-fulltmp
rm -rf "$full"
mmsim_abs=$(cd "$(dirname "$MMSIM")" && pwd)
case "$PWD:$mmsim_abs" in
/tmp/*|*:/tmp/*) echo "skip full-tmp-runs: the tree is under /tmp, which the test mounts over" ;;
*) if ! unshare -m true 2> /dev/null; then
	echo "skip full-tmp-runs: no private mounts here (unshare -m)"
   else
	unshare -m sh -c 'mount -t tmpfs -o size=4k tmpfs /tmp && cat /dev/zero > /tmp/fill 2> /dev/null;
		"$0" run "$1" --set duration_s=0.2 --quiet --out "$2" --point "$3"' \
		"$MMSIM" "$S" "$full" "$id" 2> "$TMP/e8"; rc=$?
	if [ $rc = 0 ] && [ -s "$full/points/$id/results.json" ]; then
		ok full-tmp-runs
	else
		fail full-tmp-runs "exit $rc: $(head -3 "$TMP/e8")"
	fi
   fi ;;
esac
rm -rf "$full"

# 9. A full standard output: exit 1 and a message, whatever the command.
for cmd in "points $S" "validate $S" "list" "--help" "run $S --set duration_s=0.2 --out $TMP/o9"; do
	# shellcheck disable=SC2086
	"$MMSIM" $cmd > /dev/full 2> "$TMP/e9"; rc=$?
	name=stdout-full-$(echo "$cmd" | cut -d' ' -f1 | tr -d -)
	expect "$name" $rc 1 "$TMP/e9" 'cannot write to standard output'
done
