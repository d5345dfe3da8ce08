# The metrics of issue 3 in summary.csv: page lock (all, per file, swap
# cache), swap-ins and per-process faults (memcg.<cgroup>.* only with cgroups).
# On seed-000-retry at 18 ms under 2.6.36, A's fault waits in lock_page for its
# read: the page-lock wait is of the order of the disk time; under 2.6.37 it
# waits in wait_on_page_locked, then takes the lock on the retry.
. tests/lib.sh
run() {
	"$MMSIM" run scenarios/seed-000-retry.json --set duration_s=2 --set warmup_s=0.5 \
		--set disk.service_ms.mean=18 --set threads.A.count=1 --quiet "$@"
}
run --set kernel=2.6.36 --out "$TMP/m36" 2> "$TMP/m36.err" || { fail metrics-runs "$(cat "$TMP/m36.err")"; exit 0; }
run --set kernel=2.6.37 --out "$TMP/m37" 2> "$TMP/m37.err" || { fail metrics-runs "$(cat "$TMP/m37.err")"; exit 0; }
csv=$TMP/m36/summary.csv
missing=""
for s in page_lock.wait_us page_lock.hold_us page_lock.files.data.wait_us page_lock.files.data.hold_us \
	page_lock.swap.wait_us page_lock.swap.hold_us swap.latency_us processes.P.faults.latency_us; do
	for q in mean p50 p90 p99 p999 max; do
		csv_cols "$csv" "$s.$q" > /dev/null 2>&1 || missing="$missing $s.$q"
	done
done
for c in page_lock.waits page_lock.acquisitions swap.ins swap.readahead_pages \
	processes.P.faults.major processes.P.faults.minor processes.P.faults.retries; do
	csv_cols "$csv" "$c" > /dev/null 2>&1 || missing="$missing $c"
done
[ -z "$missing" ] && ok metrics-columns || fail metrics-columns "no column$missing"
if head -1 "$csv" | tr , '\n' | grep -q '^memcg\.'; then
	fail metrics-no-memcg-without-cgroups "$(head -1 "$csv" | tr , '\n' | grep '^memcg\.' | head -3)"
else
	ok metrics-no-memcg-without-cgroups
fi

v=$(csv_cols "$csv" page_lock.wait_us.mean page_lock.files.data.wait_us.mean page_lock.waits \
	page_lock.acquisitions faults.major processes.P.faults.major faults.retries swap.ins)
IFS=, read -r wait fwait waits acq major pmajor retries ins <<EOF
$v
EOF
check_awk page-lock-wait-is-disk-time-2.6.36 "$wait > 1000 && $acq > 0"
check_awk page-lock-one-file-2.6.36 "$fwait == $wait"
check_awk page-lock-only-lock-waits-2.6.36 "$waits == $acq && $retries == 0"
check_awk process-faults-are-all-faults "$pmajor == $major && $major > 0"
check_awk no-swap-ins "$ins == 0"

v=$(csv_cols "$TMP/m37/summary.csv" page_lock.wait_us.mean page_lock.waits page_lock.acquisitions \
	faults.retries processes.P.faults.retries page_lock.hold_us.max)
IFS=, read -r wait waits acq retries pretries hold <<EOF
$v
EOF
check_awk page-lock-retry-waits-2.6.37 "$waits > $acq && $retries > 0 && $pretries == $retries"
check_awk page-lock-held-briefly-2.6.37 "$hold < 100 && $wait > 1000"
