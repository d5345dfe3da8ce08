# Parallel and distributed sweeps: a 9-point sweep of 3 replications gives a
# byte-identical summary.csv with --jobs 1, with --jobs 2, and through GNU
# parallel in 3 shards merged with 'mmsim merge'; 'mmsim points' lists the
# points of the run in its order; --point runs one; a complete point is
# skipped unless --force; merge refuses another scenario and skips a point
# whose results were edited.
. tests/lib.sh
dur=3
[ "${SANITIZED:-}" = 1 ] && dur=1
S=scenarios/seed-000-retry.json
set -- --set kernel=2.6.36 --set threads.A.count=1 --set replications=3 --set duration_s=$dur \
	--set warmup_s=0.5
run() { "$MMSIM" run "$S" "$@" --quiet; }
run "$@" --jobs 1 --out "$TMP/j1" 2> "$TMP/j1.err" || { fail parallel-jobs1-runs "$(cat "$TMP/j1.err")"; exit 0; }
run "$@" --jobs 2 --out "$TMP/j2" 2> "$TMP/j2.err" || { fail parallel-jobs2-runs "$(cat "$TMP/j2.err")"; exit 0; }
if cmp -s "$TMP/j1/summary.csv" "$TMP/j2/summary.csv"; then
	ok parallel-jobs-1-2-identical
else
	fail parallel-jobs-1-2-identical "$(diff "$TMP/j1/summary.csv" "$TMP/j2/summary.csv" | head -3)"
fi
v=$(csv_cols "$TMP/j1/summary.csv" replications threads.B.ops_per_s threads.B.ops_per_s.ci_lo \
	threads.B.ops_per_s.ci_hi | awk -F, '$1 == 3 && $3 < $2 && $2 < $4' | wc -l)
check_awk parallel-ci-columns "$v == 9"

# GNU parallel: 3 shards into 3 folders, then merged into a fourth.
if ! command -v parallel > /dev/null 2>&1; then
	fail parallel-gnu-parallel "GNU parallel is missing: run 'make deps'"
else
	parallel --will-cite -j 3 "$MMSIM" run "$S" "$@" --jobs 1 --quiet --shard {}/3 \
		--out "$TMP/shard-{}" ::: 1 2 3 2> "$TMP/par.err"
	"$MMSIM" merge "$TMP/shard-1" "$TMP/shard-2" "$TMP/shard-3" --out "$TMP/merged" \
		> "$TMP/merge.out" 2>&1
	if cmp -s "$TMP/j1/summary.csv" "$TMP/merged/summary.csv"; then
		ok parallel-shards-merged-identical
	else
		fail parallel-shards-merged-identical "$(cat "$TMP/par.err" "$TMP/merge.out" | head -5)"
	fi
	n1=$(ls "$TMP/shard-1/points" | wc -l) n3=$(ls "$TMP/shard-3/points" | wc -l)
	check_awk parallel-shards-split "$n1 == 3 && $n3 == 3"
fi

# mmsim points: the ids of the run, in sweep order, with the swept values.
"$MMSIM" points "$S" "$@" > "$TMP/points.txt"
if [ "$(cut -d' ' -f1 "$TMP/points.txt")" = "$(cut -d, -f1 "$TMP/j1/summary.csv" | tail -n +2)" ] &&
	grep -q '^[0-9a-f]\{12\} {"disk.service_ms.mean":18}$' "$TMP/points.txt"; then
	ok points-lists-run-ids
else
	fail points-lists-run-ids "$(head -3 "$TMP/points.txt")"
fi

# --point: one point, one row.
id=$(sed -n 8p "$TMP/points.txt" | cut -d' ' -f1)
run "$@" --point "$id" --out "$TMP/one" 2> /dev/null
if [ "$(ls "$TMP/one/points")" = "$id" ] && [ "$(wc -l < "$TMP/one/summary.csv")" = 2 ] &&
	grep -q "^$id," "$TMP/one/summary.csv"; then
	ok point-runs-one
else
	fail point-runs-one "$(ls "$TMP/one/points")"
fi

# A complete point is skipped (said on stderr), --force runs it again.
"$MMSIM" run "$S" "$@" --out "$TMP/j1" > /dev/null 2> "$TMP/skip.err"
if grep -q '9 points already complete' "$TMP/skip.err" && cmp -s "$TMP/j1/summary.csv" "$TMP/j2/summary.csv" &&
	[ "$(grep -c '"status": "skipped"' "$TMP/j1/manifest.json")" = 9 ]; then
	ok complete-points-skipped
else
	fail complete-points-skipped "$(cat "$TMP/skip.err")"
fi
run "$@" --out "$TMP/j1" --point "$id" --force 2> "$TMP/force.err"
if [ ! -s "$TMP/force.err" ] && grep -q '"status": "ok"' "$TMP/j1/manifest.json" &&
	cmp -s "$TMP/j1/summary.csv" "$TMP/j2/summary.csv"; then
	ok force-runs-again
else
	fail force-runs-again "$(cat "$TMP/force.err")"
fi

# merge refuses another scenario, and a point with other results; nothing is copied then.
"$MMSIM" run scenarios/seedbench.json --set duration_s=0.1 --quiet --out "$TMP/other"
"$MMSIM" merge "$TMP/j1" "$TMP/other" --out "$TMP/refused" 2> "$TMP/refuse.err"
rc=$?
if [ $rc = 2 ] && grep -q 'different scenarios' "$TMP/refuse.err" && [ ! -e "$TMP/refused" ]; then
	ok merge-refuses-other-scenario
else
	fail merge-refuses-other-scenario "exit $rc: $(cat "$TMP/refuse.err")"
fi
mkdir -p "$TMP/dup/points"
cp -r "$TMP/j2/points/$id" "$TMP/dup/points/"
sed -i 's/"n": 3/"n": 4/' "$TMP/dup/points/$id/results.json"
# edited by hand, its checksum fails: skipped with a warning (conflicting sealed results,
# as another version makes them, are refused: tests/unit/test_merge.c)
"$MMSIM" merge "$TMP/j1" "$TMP/dup" --out "$TMP/dupmerged" --quiet 2> "$TMP/dup.err"
rc=$?
if [ $rc = 0 ] && grep -q "$id/results.json: its content does not match" "$TMP/dup.err" &&
	cmp -s "$TMP/j1/summary.csv" "$TMP/dupmerged/summary.csv"; then
	ok merge-skips-tampered-duplicate
else
	fail merge-skips-tampered-duplicate "exit $rc: $(cat "$TMP/dup.err")"
fi
