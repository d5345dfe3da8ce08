# The seedbench model of ../shared/bench/README.md, specified to the nanosecond:
# A and B iterations/s of all six rows must equal the reference table exactly
# (to its printed precision), and the event counts the two published ones.
. tests/lib.sh
if [ "${SANITIZED:-}" = 1 ]; then
	dur=2 golden=tests/golden/seedbench-2s.csv
else
	dur=60 golden=tests/golden/seedbench-60s.csv
fi
if ! "$MMSIM" run scenarios/seedbench.json --set duration_s=$dur --quiet --out "$TMP/sb" 2> "$TMP/sb.err"; then
	fail seedbench-runs "$(cat "$TMP/sb.err")"
	exit 0
fi
csv_cols "$TMP/sb/summary.csv" kernel disk.service_ms threads.A.ops_per_s threads.B.ops_per_s |
	awk -F, '{ printf "%s,%s,%.3f,%.3f\n", $1, $2, $3, $4 }' > "$TMP/sb.table"
if diff -u "$golden" "$TMP/sb.table" > "$TMP/sb.diff"; then
	ok "seedbench-table-${dur}s"
else
	fail "seedbench-table-${dur}s" "$(cat "$TMP/sb.diff")"
fi
if [ $dur = 60 ]; then
	ev=$(csv_cols "$TMP/sb/summary.csv" kernel disk.service_ms engine.events | grep ',18,' | tr '\n' ' ')
	if [ "$ev" = "2.6.36,18,24957 2.6.37,18,2721631 " ]; then
		ok seedbench-events
	else
		fail seedbench-events "got $ev"
	fi
fi
