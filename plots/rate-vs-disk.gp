# rate-vs-disk.gp RESULTS_DIR - figures/rate-vs-disk.{png,svg,pdf}: thread B's
# mmap/munmap rate (thick) and thread A's fault rate (thin dashed, same colour)
# against the mean disk service time, one colour per kernel of the sweep, with
# B's rate when it runs alone (threads.A.count = 0) as a grey reference.
# Columns are taken by name from summary.csv; the disk axis may be swept as
# disk.service_ms.mean (a distribution's mean) or disk.service_ms (a constant);
# a scenario not sweeping threads.A.count counts as A.count = 1 (no "B alone").
script = ARG0; dir = ARG1; here = system("dirname '".script."'")
load here."/common.gp"

spec = "kernel,disk.service_ms.mean|disk.service_ms,threads.A.count=1,threads.A.ops_per_s,threads.B.ops_per_s"
if (!csvcheck(spec)) { exit status 1 }
# Columns of tab: 1 kernel, 2 disk ms, 3 A threads, 4 A/s, 5 B/s.
tab = csvcols(spec)
# The kernels in sweep order; rows(k): kernel k's rows with A running, by disk
# time (filtered here: gnuplot would break the lines at NaN-filtered rows).
kernels = system(tab." | awk '!/^#/ && !seen[$1]++ { printf \"%s \", $1 }'")
if (words(kernels) == 0) { print script.": no rows in ".csv; exit status 1 }
rows(k) = "< ".tab." | awk -v k='".k."' '$1 == k && $3 > 0' | sort -g -k2,2"
# B's standalone rate: the mean over the rows without A ("" if there are none).
alone = system(tab." | awk '!/^#/ && $3 == 0 { s += $5; n++ } END { if (n) print s / n }'")

set title prefix.": B's mmap/munmap loop vs disk latency" font ",14"
set xlabel "disk service time (ms)"
set ylabel "iterations/s"
set logscale xy
set format x "%g"
set format y "%.0s%c"
set autoscale xfix
set offsets graph 0.05, graph 0.05, 0, 0
# Room below the curves for the key (down to the decade under min/3), above
# them for the "B alone" label (max * 2.7): 10 to 40000 for seed 000.
range = system(tab." | awk '!/^#/ { for (c = 4; c <= 5; c++) if ($c > 0) { \
	if (!n++ || $c < lo) lo = $c; if ($c > hi) hi = $c } } END { print lo, hi }'")
set yrange [10 ** floor(log10(word(range, 1) / 3.)):word(range, 2) * 2.7]
set key bottom left
if (alone ne "") {
	set label 1 sprintf("B alone (%.0f/s)", alone + 0) at graph 0.98, first alone * 1.3 right \
		textcolor rgb "grey40"
}

# Kernels that coincide (2.6.36-release and 2.6.37 in seed 000) stay visible:
# earlier kernels get thicker lines and bigger points under the later ones.
pt(i) = int(word("5 6 7 9 11 13", (i - 1) % 6 + 1))
lw(i) = i < 4 ? 4.2 - 0.8 * i : 1.8
ps(i) = i < 4 ? word("1.7 2.1 1.0", i) + 0 : 1.2
plot (alone ne "" ? alone + 0 : NaN) with lines lc rgb "grey60" lw 2 dt (10,5) notitle, \
	for [i=1:words(kernels)] rows(word(kernels, i)) using 2:5 with linespoints \
		lc rgb colour(i) lw lw(i) pt pt(i) ps ps(i) * psk title word(kernels, i), \
	for [i=1:words(kernels)] rows(word(kernels, i)) using 2:4 with lines \
		lc rgb colour(i) lw 1.2 dt (8,5) notitle, \
	NaN with lines lc rgb "black" lw 2.5 title "B: mmap+munmap loop", \
	NaN with lines lc rgb "black" lw 1.2 dt (8,5) title "A: random page faults"
call here."/save.gp" figs."/rate-vs-disk"
