# reader-vs-mlock.gp RESULTS_DIR - figures/reader-vs-mlock.{png,svg,pdf}: seed 004.
# The longest wait of a /proc/pid/cmdline reader (threads.ps) against the size
# of the region another thread mlocks, one colour per populate strategy; solid
# without, dashed with a thread doing mmap() meanwhile (threads.M.count = 1),
# which shows the caveat of 'downgrade': a queued writer blocks new readers.
script = ARG0; dir = ARG1; here = system("dirname '".script."'")
load here."/common.gp"

spec = "features.mlock_populate,processes[0].mappings[0].size_mb,threads.M.count=0,threads.ps.op_latency_us.max"
if (!csvcheck(spec)) { exit status 1 }
# Columns of tab: 1 strategy, 2 region MB, 3 mmap threads, 4 reader max wait (us).
tab = csvcols(spec)
strategies = system(tab." | awk '!/^#/ && !seen[$1]++ { printf \"%s \", $1 }'")
if (words(strategies) == 0) { print script.": no rows in ".csv; exit status 1 }
rows(k, m) = "< ".tab." | awk -v k='".k."' -v m='".m."' '$1 == k && $3 == m' | sort -g -k2,2"

set title prefix.": a ps reader while another thread mlocks a region" font ",14"
set xlabel "mlocked region (MB, 90 % cached)"
set ylabel "reader's longest operation (µs)"
set logscale xy
set format x "%g"
set format y "%.0s%c"
set yrange [0.5:1e13]
set xrange [40:6500]

set key top left maxrows 4
pt(i) = word("7 5 9 11 13", (i - 1) % 5 + 1) + 0
plot for [i=1:words(strategies)] rows(word(strategies, i), 0) using 2:4 with linespoints \
		lc rgb colour(i) lw 2.2 pt pt(i) ps 1.3 * psk title word(strategies, i), \
	for [i=1:words(strategies)] rows(word(strategies, i), 1) using 2:4 with linespoints \
		lc rgb colour(i) lw 1.6 dt (8,5) pt pt(i) ps 1.0 * psk title word(strategies, i)." + mmap thread"
call here."/save.gp" figs."/reader-vs-mlock"
