# Per-call-site mmap_sem metrics (mmap_sem.{read,write}.by_site.<site>.*): on
# seed-000-retry, the sites' acquisitions add up to the totals; the retry site
# (fault_retry) takes the lock under 2.6.37 only.
. tests/lib.sh
run() {
	"$MMSIM" run scenarios/seed-000-retry.json --set duration_s=1 --set warmup_s=0.2 \
		--set disk.service_ms.mean=18 --set threads.A.count=1 --quiet "$@"
}
run --set kernel=2.6.36 --out "$TMP/st36" 2> "$TMP/st36.err" || { fail sites-runs "$(cat "$TMP/st36.err")"; exit 0; }
run --set kernel=2.6.37 --out "$TMP/st37" 2> "$TMP/st37.err" || { fail sites-runs "$(cat "$TMP/st37.err")"; exit 0; }
# sites_sum CSV MODE: "total,sum of the sites" per row
sites_sum() {
	awk -F, -v mode="$2" '
		NR == 1 { for (j = 1; j <= NF; j++) {
				if ($j == "mmap_sem." mode ".acquisitions") t = j
				if ($j ~ "^mmap_sem\\." mode "\\.by_site\\.[a-z_]+\\.acquisitions$") s[++n] = j } next }
		{ x = 0; for (i = 1; i <= n; i++) x += $(s[i]); print $t "," x "," n }' "$1"
}
bad=""
for k in 36 37; do
	for mode in read write; do
		sites_sum "$TMP/st$k/summary.csv" $mode > "$TMP/st$k.$mode"
		[ -s "$TMP/st$k.$mode" ] || bad="$bad $k/$mode:no-rows"
		awk -F, '$1 != $2 || $3 < 2 { exit 1 }' "$TMP/st$k.$mode" || bad="$bad $k/$mode:$(head -1 "$TMP/st$k.$mode")"
	done
done
[ -z "$bad" ] && ok sites-sum-to-totals || fail sites-sum-to-totals "total,sites,nr_sites:$bad"
r36=$(csv_cols "$TMP/st36/summary.csv" mmap_sem.read.by_site.fault_retry.acquisitions | sort -u | tr '\n' ' ')
r37=$(csv_cols "$TMP/st37/summary.csv" mmap_sem.read.by_site.fault_retry.acquisitions | sort -n | tail -1)
[ "$r36" = "0 " ] && ok sites-no-retry-2.6.36 || fail sites-no-retry-2.6.36 "fault_retry acquisitions: $r36"
check_awk sites-retry-2.6.37 "${r37:-0} > 0"
f=$(csv_cols "$TMP/st36/summary.csv" mmap_sem.read.by_site.fault.hold_us.max mmap_sem.read.hold_us.max | head -1)
check_awk sites-fault-holds-disk-2.6.36 "${f%,*} == ${f#*,} && ${f%,*} > 1000"
