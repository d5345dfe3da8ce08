# Issue 15 on the command line: a closed loop whose device is busy all the
# time with a standing queue is flagged saturated (results.json and stderr),
# a lightly loaded one is not.
. tests/lib.sh
dur=2
[ -n "$SANITIZED" ] && dur=0.5

# The issue's example: a database of 32 faulting threads on an "NVMe" disk of
# one request at a time (service 0.08 ms): utilisation 1, a queue of ~31.
cat > "$TMP/nvme32.json" <<'JSON'
{ "name": "nvme32", "duration_s": 2, "warmup_s": 0.2, "seed": 1, "kernel": "2.6.37",
  "machine": { "page_cache_mb": 1024 },
  "disk": { "service_ms": { "dist": "exp", "mean": 0.08 } },
  "processes": [ { "name": "DB",
    "mappings": [ { "name": "data", "type": "file", "size_mb": 65536, "advice": "random" } ],
    "threads": [ { "name": "Q", "count": 32, "loop": [
      { "op": "think", "time_us": { "dist": "exp", "mean": 50 } },
      { "op": "fault", "mapping": "data", "pattern": "random", "access": "read" } ] } ] } ] }
JSON
"$MMSIM" run "$TMP/nvme32.json" --set duration_s=$dur --out "$TMP/busy" --quiet 2> "$TMP/busy.err" ||
	{ fail busy-runs "$(cat "$TMP/busy.err")"; exit 0; }
IFS=, read -r u q busy sat growth all <<CSV
$(csv_cols "$TMP/busy/summary.csv" disk.utilization disk.queue_len_mean checks.saturation.disk.busy \
	checks.saturation.disk.saturated checks.saturation.disk.backlog_growth checks.saturated)
CSV
# a closed loop: the backlog does not grow, yet the device is the bound
check_awk closed-loop-busy-device "$u > 0.99 && $q > 25 && $growth < 10 && $growth > -10"
check_awk closed-loop-flagged "$busy == 1 && $sat == 1 && $all == 1"
if grep -q 'warning: the disk is saturated: busy' "$TMP/busy.err"; then ok closed-loop-warning; else
	fail closed-loop-warning "stderr: $(cat "$TMP/busy.err")"; fi

# One thread: the disk is idle between its faults, nothing waits.
"$MMSIM" run "$TMP/nvme32.json" --set duration_s=$dur --set threads.Q.count=1 --out "$TMP/light" \
	--quiet 2> "$TMP/light.err" || { fail light-runs "$(cat "$TMP/light.err")"; exit 0; }
IFS=, read -r u sat all <<CSV
$(csv_cols "$TMP/light/summary.csv" disk.utilization checks.saturation.disk.saturated checks.saturated)
CSV
check_awk light-load-not-flagged "$u < 0.9 && $sat == 0 && $all == 0"
if head -1 "$TMP/light/summary.csv" | grep -q 'checks.saturation.disk.busy'; then
	fail light-load-no-busy-key "$(head -1 "$TMP/light/summary.csv")"; else ok light-load-no-busy-key; fi
if [ -s "$TMP/light.err" ]; then fail light-load-no-warning "$(cat "$TMP/light.err")"; else
	ok light-load-no-warning; fi
