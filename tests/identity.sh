#!/bin/sh
# tests/identity.sh [BASE] - a refactor changes no result: every scenario of
# scenarios.json, run short (duration_s <= 1, warm-up a tenth of it), by the
# binary of git revision BASE (default HEAD) and by the working tree's, must
# give the same point ids and byte-identical results.json and summary.csv.
# 'make identity [BASE=rev]' runs it. Exit 0 when identical, 1 otherwise.
set -u
BASE=${1:-HEAD}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build-identity
rm -rf "$work" && mkdir -p "$work" || exit 1
trap 'git -C "$top" worktree remove --force "$work/base" > /dev/null 2>&1; rm -rf "$work"' EXIT

rev=$(git -C "$top" rev-parse --verify "$BASE^{commit}") || exit 1
git -C "$top" worktree add --detach "$work/base" "$rev" > /dev/null 2>&1 || exit 1
echo "identity: building $BASE ($(echo "$rev" | cut -c1-12)) and the working tree"
make -s -C "$work/base" all > "$work/base.log" 2>&1 || { tail -20 "$work/base.log"; exit 1; }
make -s -C "$top" all > "$work/tree.log" 2>&1 || { tail -20 "$work/tree.log"; exit 1; }

status=0
for s in $(sed -n 's/.*"scenario": *"\([^"]*\)".*/\1/p' "$top/scenarios.json"); do
	d=$(sed -n 's/^ *"duration_s": *\([0-9.]*\).*/\1/p' "$top/$s" | head -1)
	d=$(awk -v d="${d:-1}" 'BEGIN { print (d > 1 ? 1 : d) }')
	w=$(awk -v d="$d" 'BEGIN { print d / 10 }')
	for side in base tree; do
		bin=$top/mmsim
		[ $side = base ] && bin=$work/base/mmsim
		(cd "$top" && "$bin" run "$s" --set duration_s="$d" --set warmup_s="$w" --quiet \
			--out "$work/$side/$(basename "$s" .json)") > "$work/$side.out" 2>&1 ||
			{ echo "identity: $s: the $side binary failed:"; tail -3 "$work/$side.out"; status=1; }
	done
	a=$work/base/$(basename "$s" .json) b=$work/tree/$(basename "$s" .json)
	n=$(ls "$a/points" 2> /dev/null | wc -l)
	if [ "$(ls "$a/points" 2> /dev/null)" != "$(ls "$b/points" 2> /dev/null)" ]; then
		echo "identity: $s: the point ids differ"; status=1; continue
	fi
	bad=0
	for p in $(ls "$a/points"); do
		cmp -s "$a/points/$p/results.json" "$b/points/$p/results.json" || bad=$((bad + 1))
	done
	cmp -s "$a/summary.csv" "$b/summary.csv" || bad=$((bad + 1))
	if [ $bad = 0 ]; then
		echo "identity: $s: $n points, results.json and summary.csv identical"
	else
		echo "identity: $s: $bad of $n results.json (or the summary) differ"; status=1
	fi
done
[ $status = 0 ] && echo "identity: identical" || echo "identity: DIFFERENT"
exit $status
