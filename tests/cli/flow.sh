# Flow balance of mmap_sem at the run's end: a lock handed to a sleeping
# waiter is its from the hand-off on (the holders' count says so), so its
# grant is recorded then, even when the run ends before the waiter's wake-up
# (1 ms here). Two writers hand the lock to each other every 1.1 ms; the run
# ends while the last one handed it sleeps. Found by the property tests.
. tests/lib.sh
cat > "$TMP/handoff.json" <<'JSON'
{ "name": "handoff-at-end", "duration_s": 0.0105, "kernel": "2.6.36",
  "machine": { "wakeup_us": 1000 },
  "processes": [ { "name": "P",
    "threads": [ { "name": "W", "count": 2, "loop": [ { "op": "mmap", "hold_us": 100 } ] } ] } ] }
JSON
if ! "$MMSIM" run "$TMP/handoff.json" --quiet --out "$TMP/handoff" 2> "$TMP/handoff.err"; then
	fail flow-handoff-runs "$(cat "$TMP/handoff.err")"
	exit 0
fi
v=$(csv_cols "$TMP/handoff/summary.csv" checks.flow.mmap_sem.write.holders_start \
	checks.flow.mmap_sem.write.acquisitions checks.flow.mmap_sem.write.releases \
	checks.flow.mmap_sem.write.holders_end)
IFS=, read -r start acq rel end <<EOF
$v
EOF
check_awk flow-handoff-at-end "$start + $acq == $rel + $end && $end == 1"
