# Seed 004 on scenarios/seed-004-mlock-ps.json with a 256 MB region: under
# 'write' the /proc reader waits for the whole mlock (seconds); 'downgrade',
# 'read_retry' and 'outside' let it in, except that a queued mmap() writer
# makes it wait anyway: it waits for the populate's read hold, which 3.9+
# (outside) drops only at a page-lock wait, as 2.6.38 (read_retry) does
# (docs/kernel-model.md#mlock). mmap(MAP_POPULATE) populates under the write
# lock until 3.9: read_retry blocks the reader there.
. tests/lib.sh
dur=5
[ "${SANITIZED:-}" = 1 ] && dur=3
"$MMSIM" run scenarios/seed-004-mlock-ps.json --set duration_s=$dur \
	--set 'processes[0].mappings[0].size_mb=256' --quiet --out "$TMP/s4" 2> "$TMP/s4.err" ||
	{ fail seed004-runs "$(cat "$TMP/s4.err")"; exit 0; }
csv_cols "$TMP/s4/summary.csv" features.mlock_populate threads.M.count threads.ps.op_latency_us.max \
	mlock.duration_us.max > "$TMP/s4.t"
get() { awk -F, -v k="$1" -v m="$2" -v c="$3" '$1 == k && $2 == m { print $c }' "$TMP/s4.t"; }
check_awk mlock-takes-seconds "$(get write 0 4) > 1000000"
check_awk reader-waits-whole-mlock-write "$(get write 0 3) > 0.9 * $(get write 0 4)"
for s in downgrade read_retry outside; do
	check_awk "reader-not-blocked-$s" "$(get $s 0 3) < 100"
done
check_awk downgrade-caveat-queued-writer "$(get downgrade 1 3) > 1000000"
check_awk outside-with-writer-waits-as-read-retry "$(get outside 1 3) > 10000 && $(get read_retry 1 3) > 10000"
# mlockall and mmap(MAP_POPULATE) populate the same way as mlock.
for op in mlockall mmap_populate; do
	if [ $op = mlockall ]; then repl='{"op": "mlockall"}'; else repl='{"op": "mmap_populate", "mapping": "region"}'; fi
	"$MMSIM" run scenarios/seed-004-mlock-ps.json --set "threads.L.loop[0]=$repl" --set duration_s=$dur \
		--set 'processes[0].mappings[0].size_mb=256' --set threads.M.count=0 --quiet --out "$TMP/$op" \
		2> "$TMP/$op.err" || { fail "$op-runs" "$(cat "$TMP/$op.err")"; continue; }
	csv_cols "$TMP/$op/summary.csv" features.mlock_populate threads.ps.op_latency_us.max > "$TMP/$op.t"
	w=$(awk -F, '$1 == "write" { print $2 }' "$TMP/$op.t") o=$(awk -F, '$1 == "outside" { print $2 }' "$TMP/$op.t")
	r=$(awk -F, '$1 == "read_retry" { print $2 }' "$TMP/$op.t")
	check_awk "$op-write-blocks-reader" "$w > 1000000"
	if [ $op = mmap_populate ]; then
		check_awk "$op-read-retry-under-write-blocks-reader" "$r > 1000000"
	else
		check_awk "$op-read-retry-does-not" "$r < 100"
	fi
	check_awk "$op-outside-does-not" "$o < 100"
done
