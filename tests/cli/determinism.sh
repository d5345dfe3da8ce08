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
# The memcg, COW and swap paths (timed waits, OOM waits) too.
for s in seed-003-cow-memcg seed-000-swap; do
	"$MMSIM" run scenarios/$s.json --set duration_s=1 --set warmup_s=0.2 --quiet --out "$TMP/l-$s" &&
		"$MMSIM" run scenarios/$s.json --set duration_s=1 --set warmup_s=0.2 --quiet --out "$TMP/n-$s" --no-lookahead
	if cmp -s "$TMP/l-$s/summary.csv" "$TMP/n-$s/summary.csv"; then
		ok "lookahead-off-same-results-$s"
	else
		fail "lookahead-off-same-results-$s" "summary.csv differs"
	fi
done
