# Seed 003 on scenarios/seed-003-cow-memcg.json: a COW charge that waits for
# the cgroup's OOM holds the page lock of the shared ld-so page under 2.6.39,
# so the shell outside the cgroup waits too (and stops when the build
# live-locks); with 3.1's cow_prealloc it stays at microseconds.
. tests/lib.sh
dur=8
[ "${SANITIZED:-}" = 1 ] && dur=4
: > "$TMP/s3.t"
for point in "56 8" "52 16"; do
	set -- $point
	"$MMSIM" run scenarios/seed-003-cow-memcg.json --set duration_s=$dur \
		--set "cgroups[0].usage_mb=$1" --set "processes[0].count=$2" \
		--quiet --out "$TMP/s3-$1" 2> "$TMP/s3.err" || { fail seed003-runs "$(cat "$TMP/s3.err")"; exit 0; }
	csv_cols "$TMP/s3-$1/summary.csv" kernel threads.sh.ops_per_s threads.sh.op_latency_us.p99 \
		page_lock.hold_us.max memcg.build.oom_waits threads.sh.blocked_at_end_max_us | sed "s/,/,$1,$2,/" >> "$TMP/s3.t"
done
get() { awk -F, -v k="$1" -v u="$2" -v n="$3" -v c="$4" '$1 == k && $2 == u && $3 == n { print $c }' "$TMP/s3.t"; }
check_awk memcg-oom-waits-2.6.39 "$(get 2.6.39 56 8 7) > 0"
check_awk shell-waits-for-oom-2.6.39 "$(get 2.6.39 56 8 5) > 1000"
check_awk page-lock-held-across-oom-2.6.39 "$(get 2.6.39 56 8 6) > 10000"
check_awk memcg-oom-waits-3.1 "$(get 3.1 56 8 7) > 0"
check_awk shell-unaffected-3.1 "$(get 3.1 56 8 5) < 100"
check_awk page-lock-short-3.1 "$(get 3.1 56 8 6) < 100"
check_awk shell-live-locked-2.6.39 "$(get 2.6.39 52 16 4) < 50 && $(get 2.6.39 52 16 8) > 1000000"
check_awk shell-runs-3.1 "$(get 3.1 52 16 4) > 400 && $(get 3.1 52 16 8) < 1000"
