# Same scenario and seed: byte-identical files; another seed (random
# distributions): different numbers; look-ahead off: the same results.
. tests/lib.sh
dur=5
[ "${SANITIZED:-}" = 1 ] && dur=1
run() {
	"$MMSIM" run scenarios/seed-000-retry.json --set kernel=2.6.36 --set disk.service_ms.mean=1 \
		--set threads.A.count=1 --set duration_s=$dur --set warmup_s=0.5 --quiet "$@"
}
run --out "$TMP/d1" && run --out "$TMP/d2" && run --out "$TMP/d3" --seed 2 &&
	run --out "$TMP/d4" --no-lookahead || { fail determinism-runs "a run failed"; exit 0; }
res() { echo "$1"/points/*/results.json; }
if cmp -s "$(res "$TMP/d1")" "$(res "$TMP/d2")" && cmp -s "$TMP/d1/summary.csv" "$TMP/d2/summary.csv" &&
	cmp -s "$TMP/d1/points/"*/mmap_sem.write.wait_us.cdf.dat "$TMP/d2/points/"*/mmap_sem.write.wait_us.cdf.dat; then
	ok same-seed-identical-files
else
	fail same-seed-identical-files "two runs with seed 1 differ"
fi
a1=$(csv_cols "$TMP/d1/summary.csv" threads.A.ops threads.B.ops mmap_sem.write.wait_us.mean)
a3=$(csv_cols "$TMP/d3/summary.csv" threads.A.ops threads.B.ops mmap_sem.write.wait_us.mean)
if [ "$a1" != "$a3" ] && grep -q '"seed": 2' "$(res "$TMP/d3")"; then
	ok other-seed-other-numbers
else
	fail other-seed-other-numbers "seed 1 and seed 2 both gave $a1"
fi
if cmp -s "$TMP/d1/summary.csv" "$TMP/d4/summary.csv"; then
	ok lookahead-off-same-results
else
	fail lookahead-off-same-results "$(diff "$TMP/d1/summary.csv" "$TMP/d4/summary.csv" | head -5)"
fi
# The look-ahead on and off give byte-identical results.json for every point,
# on every path: memcg, COW and swap (timed waits, OOM waits), KVM, spinning and
# stealing rwsem policies, per-VMA locks, open groups (jobs arriving).
same_points() { # DIR1 DIR2: every results.json of DIR1 equal to DIR2's
	for f in "$1"/points/*/results.json; do
		cmp -s "$f" "$2/${f#"$1"/}" || return 1
	done
}
lookahead_pair() { # NAME SCENARIO ARGS...
	name=$1 scen=$2
	shift 2
	"$MMSIM" run "$scen" --quiet --out "$TMP/l-$name" "$@" &&
		"$MMSIM" run "$scen" --quiet --out "$TMP/n-$name" --no-lookahead "$@" ||
		{ fail "lookahead-off-same-results-$name" "a run failed"; return; }
	if same_points "$TMP/l-$name" "$TMP/n-$name"; then
		ok "lookahead-off-same-results-$name"
	else
		fail "lookahead-off-same-results-$name" "results.json differ"
	fi
}
# The look-ahead is plain engine code: under the sanitizers (thread contexts,
# ~50x slower) two short pairs run it (memory errors are what that pass looks
# for); the normal build runs every pair.
if [ "${SANITIZED:-}" = 1 ]; then
	lookahead_pair seed-003-cow-memcg scenarios/seed-003-cow-memcg.json --set duration_s=0.25 \
		--set warmup_s=0.05
	lookahead_pair open tests/validation/mm1.json --set duration_s=0.25 --set warmup_s=0.05 \
		--set replications=1
	exit 0
fi
for s in seed-003-cow-memcg seed-000-swap seed-002-kvm-apf; do
	lookahead_pair "$s" scenarios/$s.json --set duration_s=1 --set warmup_s=0.05
done
lookahead_pair policies scenarios/rwsem-policies.json --set duration_s=0.1 --set warmup_s=0.01 \
	--set threads.T.count=16 --set threads.T.loop[1].probability=0.1 # every policy
lookahead_pair later scenarios/seed-000-later.json --set duration_s=1 --set warmup_s=0.05 \
	--set disk.service_ms.mean=0.05 --set threads.A.count=1
lookahead_pair open tests/validation/mm1.json --set duration_s=1 --set warmup_s=0.05 --set replications=1
