# The seed 000 claims on scenarios/seed-000-retry.json at 18 ms: A ~55/s under
# every kernel; B between A/2 and A under 2.6.36; under 2.6.37 B at least 100x
# faster and within 5% of its standalone rate (threads.A.count = 0).
. tests/lib.sh
# Under sanitizers a 4 s run (2 s measured, ~100 faults): A's bounds widen.
dur=60 alo=50 ahi=60
[ "${SANITIZED:-}" = 1 ] && dur=4 alo=40 ahi=70
"$MMSIM" run scenarios/seed-000-retry.json --set disk.service_ms.mean=18 --set duration_s=$dur \
	--quiet --out "$TMP/s0" 2> "$TMP/s0.err" || { fail seed000-runs "$(cat "$TMP/s0.err")"; exit 0; }
csv_cols "$TMP/s0/summary.csv" kernel threads.A.count threads.A.ops_per_s threads.B.ops_per_s > "$TMP/s0.t"
rate() { awk -F, -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n { print $c }' "$TMP/s0.t"; }
for k in 2.6.36 2.6.36-release 2.6.37; do
	a=$(rate $k 1 3)
	check_awk "A-about-55-per-s-$k" "$a >= $alo && $a <= $ahi"
done
a=$(rate 2.6.36 1 3) b=$(rate 2.6.36 1 4)
check_awk B-slaved-to-A-2.6.36 "$b >= $a / 2 && $b <= $a"
b36=$b b37=$(rate 2.6.37 1 4) alone=$(rate 2.6.37 0 4)
check_awk B-100x-faster-2.6.37 "$b37 >= 100 * $b36"
check_awk B-near-standalone-2.6.37 "$b37 >= 0.95 * $alone && $b37 <= $alone"
check_awk B-standalone-15000-per-s "$alone > 14500 && $alone < 15500"
