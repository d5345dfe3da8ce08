# write-wait-cdf.gp RESULTS_DIR - figures/write-wait-cdf.{png,svg,pdf}: the CDF
# of the wait for mmap_sem's write lock (B's mmap/munmap) before (2.6.36) and
# after (2.6.37) the patch, at one sweep point: disk service time 18 ms, one
# thread A. The points are found in summary.csv by those column values (by
# name), their CDFs read from points/<id>/mmap_sem.write.wait_us.cdf.dat.
script = ARG0; dir = ARG1; here = system("dirname '".script."'")
load here."/common.gp"

before = "2.6.36"; after = "2.6.37"; disk_ms = 18; a_count = 1
spec = "point,kernel,disk.service_ms.mean|disk.service_ms,threads.A.count=1"
if (!csvcheck(spec)) { exit status 1 }
# The point id of kernel k at disk_ms and a_count ("" if none; the first if several).
point(k) = system(sprintf("%s | awk -v k='%s' '$2 == k && $3 == %g && $4 == %d { print $1; exit }'", \
	csvcols(spec), k, disk_ms, a_count))
cdf(id) = dir."/points/".id."/mmap_sem.write.wait_us.cdf.dat"
do for [k in before." ".after] {
	id = point(k)
	if (id eq "") {
		print sprintf("%s: %s has no sweep point with kernel=%s, disk service %g ms, threads.A.count=%d", \
			script, csv, k, disk_ms, a_count)
		exit status 1
	}
	if (system("test -r '".cdf(id)."' && echo y") ne "y") { print script.": cannot read ".cdf(id); exit status 1 }
}
id1 = point(before); id2 = point(after)

# A log axis has no 0: waits below lo (0 = the lock was free; the clock counts
# ns) are drawn at lo = 0.01 us, with a first point (lo, 0) so that the jump of
# those zero waits shows as a vertical step there, its tic reading "≤0.01".
lo = 0.01
steps(id) = sprintf("< awk -v lo=%g 'BEGIN { print lo, 0 } !/^#/ { print ($1 < lo ? lo : $1), $2 }' '%s'", lo, cdf(id))
zero(id) = system(sprintf("awk '!/^#/ { print ($1 < %g ? $2 : 0); exit }' '%s'", lo, cdf(id))) + 0

set title sprintf("%s: B's wait for mmap_sem's write lock (disk %g ms)", prefix, disk_ms) font ",14"
set xlabel "write-lock wait (µs)"
set ylabel "fraction of write locks with wait ≤ x"
set logscale x
set xrange [lo / 2:*]
set autoscale xfixmax
set offsets 0, graph 0.04, 0, 0
# Tics as decades (unicode superscripts: the terminals are 'noenhanced').
set xtics ("≤0.01" lo, "0.1" 0.1, "1" 1, "10" 10, "100" 100, "1000" 1000, "10⁴" 1e4, \
	"10⁵" 1e5, "10⁶" 1e6, "10⁷" 1e7)
set mxtics 10
set yrange [0:1.05]
set ytics 0, 0.2, 1
# After first in the key, drawn last: its zero-wait step stays visible on the other's.
set key bottom right invert
set label 1 sprintf("no wait: %.0f%% (%s), %.1f%% (%s)", 100 * zero(id1), before, 100 * zero(id2), after) \
	at lo * 1.6, 0.5 left textcolor rgb "grey30"

plot steps(id2) using 1:2 with steps lc rgb colour(3) lw 2.5 title after." (lock_page_or_retry)", \
	steps(id1) using 1:2 with steps lc rgb colour(1) lw 2.5 title before." (fault holds mmap_sem across disk read)"
call here."/save.gp" figs."/write-wait-cdf"
