# rwsem-policies-panels.gp - the six panels of rwsem-policies.gp, 'load'ed once per
# output format (multiplot cannot be replotted). Uses its variables.
set multiplot title "Every mmap_sem policy: p99 wait and throughput" font ",14"
# Panel (row r, column c) of the 2 x 3 grid above the key's strip.
panel(r, c) = sprintf("set origin %g, %g; set size %g, %g", (c - 1) / 3., 0.12 + (2 - r) * 0.42, 1 / 3., 0.42)
set logscale x 2
set logscale y
set format y "%.0s%c"
set key off

set xlabel "threads"
set ylabel "reader p99 wait (µs)"
set title sprintf("readers, writer share %g %%", share * 100)
eval panel(1, 1)
plot for [i=1:words(policies)] by_threads(word(policies, i)) using 3:4 with linespoints \
	lc rgb pc(i) dt pdt(i) pt ppt(i) ps 0.8 * psk lw plw(i) notitle
set ylabel "writer p99 wait (µs)"
set title sprintf("writers, writer share %g %%", share * 100)
eval panel(1, 2)
plot for [i=1:words(policies)] by_threads(word(policies, i)) using 3:5 with linespoints \
	lc rgb pc(i) dt pdt(i) pt ppt(i) ps 0.8 * psk lw plw(i) notitle
set ylabel "operations/s (all threads)"
set title "throughput"
eval panel(1, 3)
plot for [i=1:words(policies)] by_threads(word(policies, i)) using 3:6 with linespoints \
	lc rgb pc(i) dt pdt(i) pt ppt(i) ps 0.8 * psk lw plw(i) notitle

unset logscale x
set logscale x 10
set format x "%g"
set xlabel "writer share (mmap per operation)"
set ylabel "reader p99 wait (µs)"
set title sprintf("readers, %d threads", nthreads)
eval panel(2, 1)
plot for [i=1:words(policies)] by_share(word(policies, i)) using 2:4 with linespoints \
	lc rgb pc(i) dt pdt(i) pt ppt(i) ps 0.8 * psk lw plw(i) notitle
set ylabel "writer p99 wait (µs)"
set title sprintf("writers, %d threads", nthreads)
eval panel(2, 2)
plot for [i=1:words(policies)] by_share(word(policies, i)) using 2:5 with linespoints \
	lc rgb pc(i) dt pdt(i) pt ppt(i) ps 0.8 * psk lw plw(i) notitle
set ylabel "operations/s (all threads)"
set title "throughput"
eval panel(2, 3)
plot for [i=1:words(policies)] by_share(word(policies, i)) using 2:6 with linespoints \
	lc rgb pc(i) dt pdt(i) pt ppt(i) ps 0.8 * psk lw plw(i) notitle
# The key: a plot of its own across the bottom.
set origin 0, 0
set size 1, 0.11
unset border
unset tics
unset grid
unset logscale
unset xlabel
unset ylabel
unset title
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 2 samplen 3 width 2 font ",12" nobox
plot for [i=1:words(policies)] NaN with linespoints lc rgb pc(i) dt pdt(i) pt ppt(i) \
	ps 0.8 * psk lw plw(i) title word(policies, i)
unset multiplot
