# mmsim report and the results table: the kernel tools' layouts (lock_stat,
# perf lock contention, bpftrace hist) agree with results.json and with each
# other, show the 2.6.36 convoy (read holds of a disk read) and its absence
# under 2.6.37; the table's --format, --columns, intervals and warnings.
. tests/lib.sh
dur=6
[ "${SANITIZED:-0}" = 1 ] && dur=4
s0="scenarios/seed-000-retry.json --set disk.service_ms.mean=18 --set duration_s=$dur"
# the point of kernel $1 with A on, among those of the scenario with options $2...
pid() { k=$1; shift; "$MMSIM" points "$@" | awk -v k="\"$k\"" 'index($2, "\"kernel\":" k ",") && index($2, "\"threads.A.count\":1}") { print $1 }'; }
# shellcheck disable=SC2086
old=$(pid 2.6.36 $s0) new=$(pid 2.6.37 $s0)
# shellcheck disable=SC2086
"$MMSIM" run $s0 --point $old --point $new --out "$TMP/r" --quiet 2> "$TMP/r.err" ||
	{ fail report-run "$(cat "$TMP/r.err")"; exit 0; }
res() { python3 -c "import json,sys; r=json.load(open('$TMP/r/points/$1/results.json'))
v=r['metrics']
for k in '$2'.split('.'): v=v[k]
print(v)"; }

# results.json is what it was: histograms.json is a file of its own
if [ -f "$TMP/r/points/$old/histograms.json" ] &&
	! grep -q '_bins' "$TMP/r/points/$old/results.json"; then ok report-histograms-apart
else fail report-histograms-apart "$(ls "$TMP/r/points/$old")"; fi

# lockstat: the kernel's header, a -W and a -R line, numbers that are results.json's
"$MMSIM" report "$TMP/r" --point $old --format lockstat > "$TMP/ls" 2> "$TMP/ls.err"
hdr='                              class name    con-bounces    contentions   waittime-min   waittime-max waittime-total   waittime-avg    acq-bounces   acquisitions   holdtime-min   holdtime-max holdtime-total   holdtime-avg'
if sed -n 4p "$TMP/ls" | grep -qxF "$hdr" && sed -n 3p "$TMP/ls" | grep -qx -- '-\{221\}' &&
	grep -q '^lock_stat version 0.4$' "$TMP/ls"; then ok report-lockstat-header
else fail report-lockstat-header "$(head -5 "$TMP/ls") $(cat "$TMP/ls.err")"; fi
lsf() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$TMP/ls"; }
wacq=$(res $old mmap_sem.write.acquisitions) wmean=$(res $old mmap_sem.write.wait_us.mean)
rhold=$(res $old mmap_sem.read.hold_us.mean)
check_awk report-lockstat-write-total \
	"$(lsf mmap_sem-W: 6) > 0 && ($(lsf mmap_sem-W: 6) - $wacq * $wmean)^2 < (0.001 * $wacq * $wmean)^2 + 1"
check_awk report-lockstat-write-acquisitions "$(lsf mmap_sem-W: 9) == $wacq || $(lsf mmap_sem-W: 9) == $wacq - 1"
check_awk report-lockstat-read-hold-avg "($(lsf mmap_sem-R: 13) - $rhold)^2 < 0.02^2 + (0.0001 * $rhold)^2"
check_awk report-lockstat-contended-some "$(lsf mmap_sem-W: 3) > 0 && $(lsf mmap_sem-W: 3) < $wacq"
# the call sites add up to the class: contentions and acquisitions
sites=$(awk '$1 ~ /^mmap_sem@.*-W:$/ { c += $3; a += $9 } END { print c, a }' "$TMP/ls")
check_awk report-lockstat-sites-add-up "\"$sites\" == \"$(lsf mmap_sem-W: 3) $(lsf mmap_sem-W: 9)\""
check_awk report-lockstat-contention-points "$(grep -c '\[<fault:R>\] fault$' "$TMP/ls") == 1"

# the convoy: under 2.6.36 a read hold lasts a disk read, under 2.6.37 tens of us
"$MMSIM" report "$TMP/r" --point $new --format lockstat > "$TMP/ls7"
h7=$(awk '$1 == "mmap_sem-R:" { print $13 }' "$TMP/ls7")
check_awk report-lockstat-convoy "$(lsf mmap_sem-R: 13) > 5000 && $h7 < 100"

# perf lock contention: header, rows by total wait, CSV totals in ns = lock_stat's in us
"$MMSIM" report "$TMP/r" --point $old --format perf-lock > "$TMP/pl"
if sed -n 2p "$TMP/pl" | grep -qxF ' contended   total wait     max wait     min wait     avg wait         type   caller' &&
	grep -q '  rwsem:R   fault$' "$TMP/pl"; then ok report-perf-lock-layout
else fail report-perf-lock-layout "$(head -5 "$TMP/pl")"; fi
"$MMSIM" report "$TMP/r" --point $old --format perf-lock-csv > "$TMP/pc"
if sed -n 2p "$TMP/pc" | grep -qxF '# output: contended, total wait, max wait, min wait, avg wait, type, caller'
then ok report-perf-lock-csv-header; else fail report-perf-lock-csv-header "$(head -3 "$TMP/pc")"; fi
sorted=$(awk -F', ' 'NR > 2 { print $2 }' "$TMP/pc" | sort -c -n -r 2>&1 && echo yes)
check_awk report-perf-lock-sorted "\"$sorted\" == \"yes\""
csvw=$(awk -F', ' '$6 == "rwsem:W" { s += $2 } END { printf "%.0f", s }' "$TMP/pc")
check_awk report-perf-lock-csv-total "($csvw / 1000 - $(lsf mmap_sem-W: 6))^2 < 0.02^2"

# hist: bpftrace's layout; the counts are every write acquisition, [0] the CDF file's zeros
"$MMSIM" report "$TMP/r" --point $old --format hist > "$TMP/h"
n=$(awk '/^@mmap_sem_write_wait_ns: $/ { on = 1; next } on && /^$/ { on = 0 }
	on { s += substr($0, 17, 8) } END { print s }' "$TMP/h")
check_awk report-hist-counts "$n == $wacq"
bad=$(awk '/^\[/ && (length($0) != 79 || substr($0, 25, 2) != " |" || substr($0, 79) != "|")' "$TMP/h" | head -2)
[ -z "$bad" ] && ok report-hist-rows || fail report-hist-rows "$bad"
zeros=$(awk '/^@mmap_sem_write_wait_ns: $/ { on = 1; next } on && /^\[0\]/ { print $2; exit }' "$TMP/h")
f0=$(awk 'NR == 2 && $1 == 0 { print $2 }' "$TMP/r/points/$old/mmap_sem.write.wait_us.cdf.dat")
check_awk report-hist-exact-zeros "$zeros == int($f0 * $wacq + 0.5)"
grep -q '^\[16M, 32M) ' "$TMP/h" && ok report-hist-labels || fail report-hist-labels "$(head -20 "$TMP/h")"
"$MMSIM" report "$TMP/r" --point $old --format hist --columns 'mmap_sem.*.by_site.fault.hold_us' > "$TMP/h2"
check_awk report-hist-columns "$(grep -c '^@' "$TMP/h2") == 2"

# cdf: nondecreasing to 1
"$MMSIM" report "$TMP/r" --point $old --format cdf > "$TMP/c"
cdf=$(awk '/^[0-9]/ { if ($2 < last) bad = 1; last = $2 } END { print (bad ? "bad" : last) }' "$TMP/c")
check_awk report-cdf "\"$cdf\" == \"1\""

# the table: names unquoted, columns by glob, csv and json lines
"$MMSIM" report "$TMP/r" > "$TMP/t"
if grep -q "^$old *2\.6\.36 " "$TMP/t" && ! grep -q '"' "$TMP/t" &&
	head -1 "$TMP/t" | grep -q 'wr_wait_p99_us' && head -1 "$TMP/t" | grep -q 'B_ops_per_s'
then ok report-table-default; else fail report-table-default "$(cat "$TMP/t")"; fi
"$MMSIM" report "$TMP/r" --format csv --columns 'threads.*.ops_per_s,mmap_sem.write.wait_us.p9*' > "$TMP/csv" 2> /dev/null
if head -1 "$TMP/csv" | grep -qx 'point,kernel,threads.A.count,threads.A.ops_per_s,threads.B.ops_per_s,mmap_sem.write.wait_us.p90,mmap_sem.write.wait_us.p99,mmap_sem.write.wait_us.p999' &&
	[ "$(wc -l < "$TMP/csv")" = 3 ]; then ok report-table-csv-globs
else fail report-table-csv-globs "$(cat "$TMP/csv")"; fi
"$MMSIM" report "$TMP/r" --format json --columns threads.B.ops_per_s > "$TMP/json"
if python3 -c "import json,sys
rows=[json.loads(l) for l in open('$TMP/json')]
assert [r['point'] for r in rows] == ['$old', '$new'], rows
assert abs(rows[0]['threads.B.ops_per_s'] - $(res $old threads.B.ops_per_s)) < 1e-6" 2> "$TMP/json.err"
then ok report-table-json; else fail report-table-json "$(cat "$TMP/json.err" "$TMP/json")"; fi
# run prints the same table with the same options
# shellcheck disable=SC2086
"$MMSIM" run $s0 --point $old --point $new --out "$TMP/r" --format csv \
	--columns 'threads.*.ops_per_s,mmap_sem.write.wait_us.p9*' > "$TMP/runcsv" 2> /dev/null
cmp -s "$TMP/runcsv" "$TMP/csv" && ok report-run-same-table || fail report-run-same-table "$(diff "$TMP/csv" "$TMP/runcsv")"

# replications: intervals as "v ± h", and .ci_lo/.ci_hi in CSV
# shellcheck disable=SC2086
"$MMSIM" run $s0 --set duration_s=2 --set warmup_s=0.5 --set replications=3 --set kernel=2.6.36 --set threads.A.count=1 \
	--out "$TMP/reps" > "$TMP/reps.t" 2> "$TMP/reps.err"
# (the header and the row as wide in characters: '±' is one column, two bytes)
if sed -n 2p "$TMP/reps.t" | grep -q '[0-9] ± [0-9]' &&
	sed -n '1,2{s/±/+/g;p}' "$TMP/reps.t" | awk 'NR == 1 { w = length($0) } NR == 2 { exit (length($0) != w) }' &&
	"$MMSIM" report "$TMP/reps" --format csv | head -1 | grep -q 'threads.B.ops_per_s.ci_lo,threads.B.ops_per_s.ci_hi'
then ok report-table-intervals; else fail report-table-intervals "$(cat "$TMP/reps.t" "$TMP/reps.err")"; fi

# warnings: a p99 from too few samples; groups that completed nothing (a 20 s disk read)
# shellcheck disable=SC2086
thin=$(pid 2.6.36 $s0 --set duration_s=0.6 --set warmup_s=0.1)
# shellcheck disable=SC2086
"$MMSIM" run $s0 --set duration_s=0.6 --set warmup_s=0.1 --point $thin --out "$TMP/thin" > "$TMP/thin.t" 2> "$TMP/thin.err"
if grep -q "point $thin: warning: wr_wait_p99_us is from [0-9]* samples, too few for a p99 (100)" "$TMP/thin.err" &&
	sed -n 2p "$TMP/thin.t" | grep -q '[0-9]\*$'; then ok report-warn-thin-percentile
else fail report-warn-thin-percentile "$(cat "$TMP/thin.t" "$TMP/thin.err")"; fi
"$MMSIM" run scenarios/seed-000-retry.json --set 'sweep={}' --set kernel=2.6.36 --set duration_s=2 \
	--set warmup_s=0.2 --set 'disk.service_ms={"dist":"const","value":20000}' --out "$TMP/stuck" \
	> "$TMP/stuck.t" 2> "$TMP/stuck.err"
if grep -q 'warning: group A completed no operation after the warm-up: 1 of its 1 threads blocked at the end' "$TMP/stuck.err" &&
	sed -n 2p "$TMP/stuck.t" | grep -q ' blocked  *blocked '; then ok report-warn-blocked-group
else fail report-warn-blocked-group "$(cat "$TMP/stuck.t" "$TMP/stuck.err")"; fi

# bad use: exit 2, nothing on stdout
bad() {
	name=$1 want=$2; shift 2
	"$MMSIM" report "$@" > "$TMP/bad.out" 2> "$TMP/bad.err"
	rc=$?
	if [ $rc = 2 ] && [ ! -s "$TMP/bad.out" ] && grep -q "$want" "$TMP/bad.err"; then ok "report-bad-$name"
	else fail "report-bad-$name" "exit $rc: $(cat "$TMP/bad.err" "$TMP/bad.out" | head -3)"; fi
}
bad folder 'not an output folder' "$TMP/nowhere"
bad format "got 'xml'" "$TMP/r" --format xml
bad columns 'matches no metric' "$TMP/r" --columns nothing.here
bad point "no complete point '000000000000'" "$TMP/r" --point 000000000000
bad columns-lockstat 'goes with table' "$TMP/r" --format lockstat --columns threads.A.ops
bad columns-hist 'matches no metric' "$TMP/r" --format hist --columns 'mmap_sem.write.nothing'
