# The swap half of seed 000 on scenarios/seed-000-swap.json at 18 ms: swap-in
# faults slave the mmap/munmap thread B under 2.6.36 and 2.6.36-release (seed
# 001 left do_swap_page alone), not under 2.6.37.
. tests/lib.sh
dur=30 alo=50 ahi=60
[ "${SANITIZED:-}" = 1 ] && dur=4 alo=40 ahi=70
"$MMSIM" run scenarios/seed-000-swap.json --set disk.service_ms.mean=18 --set duration_s=$dur \
	--quiet --out "$TMP/sw" 2> "$TMP/sw.err" || { fail seed000swap-runs "$(cat "$TMP/sw.err")"; exit 0; }
csv_cols "$TMP/sw/summary.csv" kernel threads.A.count threads.A.ops_per_s threads.B.ops_per_s swap.ins > "$TMP/sw.t"
rate() { awk -F, -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n { print $c }' "$TMP/sw.t"; }
for k in 2.6.36 2.6.36-release 2.6.37; do
	check_awk "swap-A-about-55-per-s-$k" "$(rate $k 1 3) >= $alo && $(rate $k 1 3) <= $ahi"
	check_awk "swap-ins-$k" "$(rate $k 1 5) > 0"
done
for k in 2.6.36 2.6.36-release; do
	check_awk "swap-B-slaved-to-A-$k" "$(rate $k 1 4) >= $(rate $k 1 3) / 2 && $(rate $k 1 4) <= $(rate $k 1 3)"
done
b37=$(rate 2.6.37 1 4) alone=$(rate 2.6.37 0 4)
check_awk swap-B-100x-faster-2.6.37 "$b37 >= 100 * $(rate 2.6.36-release 1 4)"
check_awk swap-B-near-standalone-2.6.37 "$b37 >= 0.95 * $alone && $b37 <= $alone"
