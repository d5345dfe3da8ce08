# mmsim probe: a short probe of the running kernel (0.2 s a measurement, a
# 16 MiB scratch file) writes a machine file whose every measurement is
# positive or skipped with its reason (a kernel or filesystem that does not
# allow it: no eviction, no O_DIRECT), which a scenario includes: its costs
# reach the ops through op_defaults, its empirical files are found from
# another folder; the scratch file is gone afterwards; bad options exit 2.
. tests/lib.sh

expect probe-help 0 "$MMSIM" probe --help
expect probe-operand 2 "$MMSIM" probe extra
expect probe-seconds-zero 2 "$MMSIM" probe --seconds 0
has probe-seconds-says "$TMP/err" "--seconds: a number in (0, 3600] expected, got '0'"
expect probe-seconds-word 2 "$MMSIM" probe --seconds soon
expect probe-file-mb-negative 2 "$MMSIM" probe --file-mb -1
expect probe-repetitions-fraction 2 "$MMSIM" probe --experiment seed-000 --repetitions 2.5
has probe-repetitions-fraction-says "$TMP/err" "--repetitions: a whole number expected, got '2.5'"
expect probe-repetitions-zero 2 "$MMSIM" probe --experiment seed-000 --repetitions 0
expect probe-unknown-experiment 2 "$MMSIM" probe --experiment seed-999
has probe-unknown-experiment-says "$TMP/err" "unknown experiment 'seed-999' (expected: seed-000)"
expect probe-no-dir 1 "$MMSIM" probe --dir "$TMP/none" --out "$TMP/none.json" --quiet
has probe-no-dir-says "$TMP/err" "cannot create a scratch file in $TMP/none"
[ ! -e "$TMP/none.json" ] && ok probe-no-dir-writes-nothing || fail probe-no-dir-writes-nothing "$TMP/none.json"

# The probe itself, its scratch file under $TMP/scratch.
mkdir -p "$TMP/m" "$TMP/scratch" "$TMP/s"
m=$TMP/m/machine.json
expect probe-runs 0 "$MMSIM" probe --dir "$TMP/scratch" --out "$m" --seconds 0.2 --file-mb 16
has probe-table "$TMP/out" "machine file: $m"
left=$(ls -A "$TMP/scratch")
[ -z "$left" ] && ok probe-scratch-gone || fail probe-scratch-gone "left: $left"

# measurement NAME: the record of that measurement in the machine file.
measurement() {
	awk -v n="\"$1\"" '/^  "measured"/ { in_m = 1 } in_m && $1 == n":" { on = 1 }
		on { print } on && /^    }/ { exit }' "$m"
}

# Every measurement: a positive distribution; those the disk or its file system may not
# allow (O_DIRECT, eviction) may instead be skipped with their reason (said, not failed).
for name in device_read_4k device_read_readahead fault_major fault_major_readaround fault_minor \
	anon_first_touch mmap munmap proc_maps_read proc_cmdline_read futex_wakeup; do
	block=$(measurement "$name")
	case $name in device_read_* | fault_major*) may_skip=1 ;; *) may_skip= ;; esac
	if [ -n "$may_skip" ] && echo "$block" | grep -q '"skipped"'; then
		echo "skip $name: $(echo "$block" | sed -n 's/.*"skipped": "\(.*\)",*$/\1/p')"
		ok "probe-$name-skipped-with-reason"
	elif echo "$block" | awk '/"(min|p50|p99|max|mean)":/ { gsub(/,/, ""); if ($2 + 0 <= 0) bad = 1; n++ }
		END { exit !(n == 5 && !bad) }'; then
		ok "probe-$name-positive"
	else
		fail "probe-$name-positive" "$(echo "$block" | head -12)"
	fi
done
cpus=$(nproc)
grep -q "\"cpus\": $cpus," "$m" && ok probe-cpus || fail probe-cpus "no \"cpus\": $cpus in $m"
# the device's largest request, in the model's range (sysfs max_sectors_kb, 1024 if unknown)
kb=$(sed -n 's/^    "max_sectors_kb": \([0-9]*\),*$/\1/p' "$m")
[ -n "$kb" ] && [ "$kb" -ge 4 ] && [ "$kb" -le 4096 ] && ok probe-max-sectors-kb ||
	fail probe-max-sectors-kb "disk.max_sectors_kb '$kb' in $m"
# read-around, when measured, read more than the faulted page
ppf=$(sed -n 's/^ *"pages_read_per_fault": \([0-9.e+]*\),*$/\1/p' "$m")
if [ -z "$ppf" ]; then
	measurement fault_major_readaround | grep -q '"skipped"' && ok probe-readaround-pages-skipped ||
		fail probe-readaround-pages-skipped "fault_major_readaround measured without pages_read_per_fault"
else
	awk -v p="$ppf" 'BEGIN { exit !(p > 1) }' && ok probe-readaround-pages ||
		fail probe-readaround-pages "pages_read_per_fault $ppf"
fi
grep -qF "\"kernel_release\": \"$(uname -r)\"" "$m" && ok probe-uname || fail probe-uname "$(uname -r)"

# A scenario in another folder includes it: the empirical files are found, the ops
# take their costs from op_defaults (mmap, munmap, fault and proc_read set none).
cat > "$TMP/s/host.json" << 'EOF'
{ "include": "../m/machine.json", "duration_s": 0.05, "kernel": "6.18",
  "processes": [ { "name": "P",
    "mappings": [ { "name": "f", "type": "file", "size_mb": 64 } ],
    "threads": [ { "name": "A", "loop": [ { "op": "fault", "mapping": "f", "pattern": "uncached" } ] },
                 { "name": "B", "loop": [ { "op": "mmap" }, { "op": "munmap" } ] },
                 { "name": "R", "loop": [ { "op": "proc_read", "kind": "maps" } ] } ] } ] }
EOF
expect probe-machine-loads 0 "$MMSIM" run "$TMP/s/host.json" --quiet --out "$TMP/run"
p=$(ls "$TMP/run/points" | head -1)
grep -q "\"cpus\": $cpus," "$TMP/run/points/$p/results.json" && ok probe-machine-cpus-used ||
	fail probe-machine-cpus-used "machine.cpus is not $cpus in the results"
expect probe-host-scenario-validates 0 "$MMSIM" validate scenarios/host-seed-000.json --set "include=$m"

# A folder on no disk (tmpfs, whose pages cannot be evicted): the device reads and the
# major fault are skipped, said why, and the rest measured.
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ]; then
	expect probe-tmpfs-runs 0 "$MMSIM" probe --dir /dev/shm --out "$TMP/m/shm.json" --seconds 0.1 --file-mb 4
	has probe-tmpfs-no-disk "$TMP/err" "device_read_4k skipped: /dev/shm is on no block device"
	has probe-tmpfs-no-eviction "$TMP/err" "fault_major skipped: no eviction: the pages stayed resident"
	has probe-tmpfs-no-readaround "$TMP/err" "fault_major_readaround skipped: no eviction"
	grep -q '"service_ms"' "$TMP/m/shm.json" && fail probe-tmpfs-no-service "service_ms set without a read" ||
		ok probe-tmpfs-no-service
else
	echo "skip probe-tmpfs: no writable tmpfs at /dev/shm"
	ok probe-tmpfs-skipped
fi

# The merge rules, on a hand-made machine file in a folder of its own: the scenario's keys win
# (machine.cpus; a constant over the included distribution), objects merge key by key (its
# wakeup_us, found from the scenario's folder), op_defaults fill only the keys an op lacks,
# --set changes the merged scenario.
mkdir -p "$TMP/inc/m"
printf '5\n5\n' > "$TMP/inc/m/w.txt"
cat > "$TMP/inc/m/machine.json" << 'EOF2'
{ "machine": { "cpus": 2, "wakeup_us": { "dist": "empirical", "file": "w.txt" } },
  "disk": { "service_ms": { "dist": "exp", "mean": 3 }, "page_transfer_us": 4 },
  "op_defaults": { "mmap": { "hold_us": 7 }, "think": { "time_us": 9 } },
  "measured": { "anything": [1, 2] } }
EOF2
cat > "$TMP/inc/s.json" << 'EOF2'
{ "include": "m/machine.json", "duration_s": 0.01, "kernel": "6.18",
  "machine": { "cpus": 4 }, "disk": { "service_ms": 1 },
  "processes": [ { "name": "P", "threads": [ { "name": "T", "loop": [
    { "op": "mmap" }, { "op": "mmap", "hold_us": 2 }, { "op": "think" } ] } ] } ] }
EOF2
if command -v jq > /dev/null 2>&1; then
	expect include-merge-runs 0 "$MMSIM" run "$TMP/inc/s.json" --quiet --out "$TMP/inc/o" --set disk.page_transfer_us=6
	r=$TMP/inc/o/points/$(ls "$TMP/inc/o/points" | head -1)/results.json
	got=$(jq -c '[.parameters.machine.cpus, .parameters.machine.wakeup_us.file, .parameters.disk.service_ms,
		.parameters.disk.page_transfer_us, [.parameters.processes[0].threads[0].loop[] | (.hold_us // .time_us)]]' "$r")
	[ "$got" = '[4,"m/w.txt",1,6,[7,2,9]]' ] && ok include-merge-rules ||
		fail include-merge-rules "got $got, expected [4,\"m/w.txt\",1,6,[7,2,9]]"
else
	echo "skip include-merge-rules: no jq to read the results"
	ok include-merge-rules-skipped
fi
