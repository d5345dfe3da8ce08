# Named devices ("devices"): a file mapping on an NVMe device is served by it
# (its requests counted there, none on the disk); two devices serve in
# parallel (two faulting threads on devices of 10 ms each get twice what they
# get sharing one); swap on a named device reads from it.
. tests/lib.sh
dur=2
[ "${SANITIZED:-}" = 1 ] && dur=1
cat > "$TMP/named.json" <<JSON
{
  "duration_s": $dur,
  "kernel": "2.6.37",
  "machine": { "wakeup_us": 0 },
  "disk": { "service_ms": 10 },
  "devices": [
    { "name": "nvme0", "type": "nvme", "service_ms": 0.08, "channels": 32, "queue_depth": 1024 },
    { "name": "a", "service_ms": 10 },
    { "name": "b", "service_ms": 10 }
  ],
  "swap": { "device": "disk", "page_cluster": 0 },
  "processes": [
    { "name": "P",
      "mappings": [ { "name": "fa", "type": "file", "size_mb": 1024, "advice": "random", "device": "a" },
                    { "name": "heap", "type": "anon", "size_mb": 64, "swapped_fraction": 1 } ],
      "threads": [ { "name": "A", "loop": [ { "op": "fault", "mapping": "fa", "pattern": "uncached" } ] } ] },
    { "name": "Q",
      "mappings": [ { "name": "fb", "type": "file", "size_mb": 1024, "advice": "random", "device": "b" } ],
      "threads": [ { "name": "B", "loop": [ { "op": "fault", "mapping": "fb", "pattern": "uncached" } ] } ] }
  ]
}
JSON
run() { # NAME --set...
	n=$1; shift
	"$MMSIM" run "$TMP/named.json" --quiet --out "$TMP/$n" "$@" 2> "$TMP/$n.err" ||
		{ fail "named-$n-runs" "$(tail -3 "$TMP/$n.err")"; return 1; }
	csv_cols "$TMP/$n/summary.csv" disk.requests swap.device.requests devices.nvme0.requests \
		devices.nvme0.service_us.mean devices.a.requests devices.b.requests \
		devices.a.utilization devices.b.utilization checks.little.a.rel_error > "$TMP/$n.t"
}
get() { awk -F, -v c="$2" 'NR == 1 { print $c }' "$TMP/$1.t"; }
# the columns: 1 disk, 2 swap.device, 3 nvme0, 4 its service, 5 a, 6 b, 7-8 utilisations, 9 Little
run nvme --set 'processes[0].mappings[0].device="nvme0"' --set 'processes[1].mappings[0].device="nvme0"' &&
	check_awk named-nvme-serves-its-files "$(get nvme 3) > 1000 && $(get nvme 1) == 0 && $(get nvme 4) == 80 && $(get nvme 5) == 0"
# A swaps in from the heap, B reads its file: both from nvme0, nothing from the disk
run swap --set swap.device=nvme0 --set 'processes[0].threads[0].loop[0].mapping="heap"' \
	--set 'processes[1].mappings[0].device="nvme0"' &&
	check_awk named-swap-on-nvme "$(get swap 3) > 1000 && $(get swap 1) == 0 && $(get swap 2) == 0 && $(get swap 5) == 0"
run two && run one --set 'processes[1].mappings[0].device="a"' &&
	check_awk named-devices-in-parallel "$(get two 5) + $(get two 6) > 1.9 * $(get one 5) && $(get one 6) == 0 && $(get two 7) > 0.99 && $(get two 8) > 0.99 && $(get two 9) < 0.01 && $(get two 1) == 0"
