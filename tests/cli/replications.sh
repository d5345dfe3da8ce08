# Replications: sequential stopping ("until") stops where its rule says and
# runs the same number of replications whatever --jobs; MSER-5 finds the
# start-up transient of a cold page cache; Ctrl-C keeps the finished points,
# complete, and nothing partial; the progress line shows on a terminal only.
. tests/lib.sh
dur=3 big=20
[ "${SANITIZED:-}" = 1 ] && dur=1 big=4
S=scenarios/seed-000-retry.json
until='{"metric":"threads.B.ops_per_s","relative_half_width":0.05,"max_replications":8}'
set -- --set kernel=2.6.36 --set threads.A.count=1 --set duration_s=$dur --set warmup_s=0.5 \
	--set "until=$until" --quiet
"$MMSIM" run "$S" "$@" --jobs 1 --out "$TMP/u1" 2> "$TMP/u1.err" &&
	"$MMSIM" run "$S" "$@" --jobs 2 --out "$TMP/u2" 2> "$TMP/u2.err" ||
	{ fail until-runs "$(cat "$TMP/u1.err" "$TMP/u2.err")"; exit 0; }
if cmp -s "$TMP/u1/summary.csv" "$TMP/u2/summary.csv"; then
	ok until-same-with-any-jobs
else
	fail until-same-with-any-jobs "$(diff "$TMP/u1/summary.csv" "$TMP/u2/summary.csv" | head -3)"
fi
# Each point: 2 to 8 replications; below 8 only when the half-width is within 5% of the mean.
csv_cols "$TMP/u1/summary.csv" replications threads.B.ops_per_s threads.B.ops_per_s.ci_lo \
	threads.B.ops_per_s.ci_hi > "$TMP/u1.t"
bad=$(awk -F, '$1 < 2 || $1 > 8 || ($1 < 8 && ($4 - $3) / 2 > 0.05 * $2 * 1.000001)' "$TMP/u1.t")
more=$(awk -F, '$1 > 2' "$TMP/u1.t" | wc -l) less=$(awk -F, '$1 < 8' "$TMP/u1.t" | wc -l)
if [ -z "$bad" ] && [ "$more" -gt 0 ] && [ "$less" -gt 0 ]; then
	ok until-stops-by-its-rule
else
	fail until-stops-by-its-rule "rows n,mean,lo,hi: $(tr '\n' ' ' < "$TMP/u1.t")"
fi
# The replications run and kept are those counted (speculative ones deleted).
id=$(awk -F, 'NR > 1 && $2 == 18 { print $1 }' "$TMP/u2/summary.csv")
n=$(csv_cols "$TMP/u2/summary.csv" point replications | awk -F, -v id="$id" '$1 == id { print $2 }')
dirs=$(ls "$TMP/u2/points/$id/replications" | wc -l)
check_awk until-keeps-its-replications "$dirs == $n"

# MSER-5: random reads of a cold 4 MB file (1024 pages, 1 ms each when missed)
# fill the page cache in about 1.2 s, then every fault is minor.
cat > "$TMP/cold.json" <<EOF2
{ "name": "cold-cache", "duration_s": $big, "warmup_s": "mser5", "kernel": "2.6.37",
  "disk": { "service_ms": 1 },
  "processes": [ { "name": "P",
    "mappings": [ { "name": "data", "type": "file", "size_mb": 4, "cached_fraction": 0, "advice": "random" } ],
    "threads": [ { "name": "R", "loop": [ { "op": "think", "time_us": 20 },
      { "op": "fault", "mapping": "data", "pattern": "random" } ] } ] } ] }
EOF2
"$MMSIM" run "$TMP/cold.json" --set replications=2 --quiet --out "$TMP/cold" 2> "$TMP/cold.err" ||
	{ fail mser-runs "$(cat "$TMP/cold.err")"; exit 0; }
d=$(csv_cols "$TMP/cold/summary.csv" warmup.detected_s)
r0=$(grep -A2 '"warmup"' "$TMP/cold/points/"*/replications/0/results.json | tr -d ' \n')
check_awk mser-detects-cold-cache "$d > 0.8 && $d < 2"
case $r0 in
*'"detected_s":'"$d"*'"method":"mser5"'*) ok mser-reported-in-replications ;;
*) fail mser-reported-in-replications "$r0 (summary: $d)" ;;
esac

# Ctrl-C once the first point is written: exit 130, finished points complete, nothing partial.
"$MMSIM" run "$S" --set duration_s=$big --set replications=2 --jobs 2 --quiet --out "$TMP/int" \
	2> "$TMP/int.err" &
pid=$!
i=0
while ! ls "$TMP"/int/points/*/results.json > /dev/null 2>&1 && [ $i -lt 3000 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
pts=$(ls "$TMP/int/points" | wc -l)
complete=$(ls "$TMP"/int/points/*/results.json | wc -l)
rows=$(($(wc -l < "$TMP/int/summary.csv") - 1))
partial=$(find "$TMP/int" -name '*.tmp.*' | wc -l)
if [ $rc = 130 ] && [ "$pts" -ge 1 ] && [ "$pts" -lt 54 ] && [ "$pts" = "$complete" ] &&
	[ "$rows" = "$pts" ] && [ "$partial" = 0 ] && grep -q "interrupted: $pts of 54" "$TMP/int.err" &&
	[ "$(grep -c '"status": "ok"' "$TMP/int/manifest.json")" = "$pts" ]; then
	ok interrupt-keeps-finished-points
else
	fail interrupt-keeps-finished-points "exit $rc, $pts folders, $complete complete, $rows rows, $partial temporary: $(cat "$TMP/int.err")"
fi

# Progress: on a terminal (script(1) gives one), not with --quiet nor into a file.
if command -v script > /dev/null 2>&1; then
	script -qc "$MMSIM run $S --set kernel=2.6.37 --set duration_s=$dur --set warmup_s=0.5 --out $TMP/pr" \
		/dev/null > "$TMP/pr.tty" 2>&1
	script -qc "$MMSIM run $S --set kernel=2.6.37 --set duration_s=$dur --set warmup_s=0.5 --out $TMP/pr --force --quiet" \
		/dev/null > "$TMP/prq.tty" 2>&1
	if grep -q 'mmsim: points [0-9]*/18, replications [0-9]*/18, elapsed [0-9:]*, ETA' "$TMP/pr.tty" && ! grep -q 'points' "$TMP/prq.tty"; then
		ok progress-on-terminal
	else
		fail progress-on-terminal "$(tr '\r' '\n' < "$TMP/pr.tty" | tail -3)"
	fi
fi
"$MMSIM" run "$S" --set kernel=2.6.37 --set duration_s=$dur --set warmup_s=0.5 --out "$TMP/pr" \
	--force > /dev/null 2> "$TMP/pr.err"
[ ! -s "$TMP/pr.err" ] && ok no-progress-off-terminal || fail no-progress-off-terminal "$(head -c 200 "$TMP/pr.err")"
