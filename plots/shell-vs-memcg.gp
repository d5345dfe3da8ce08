# shell-vs-memcg.gp RESULTS_DIR - figures/shell-vs-memcg.{png,svg,pdf}: seed 003.
# The p99 latency of the outside process's page faults (threads.sh) against the
# memory already used in the build's cgroup (the pressure), one colour per
# kernel, one line style per number of build jobs. A point where the shell
# completed no fault (blocked behind the live-locked build) is drawn as a cross
# at the top of the plot: its latency is unbounded.
script = ARG0; dir = ARG1; here = system("dirname '".script."'")
load here."/common.gp"

spec = "kernel,cgroups[0].usage_mb,processes[0].count=1,threads.sh.ops,threads.sh.op_latency_us.p99"
if (!csvcheck(spec)) { exit status 1 }
# Columns of tab: 1 kernel, 2 usage MB, 3 jobs, 4 shell faults done, 5 p99 us.
tab = csvcols(spec)
kernels = system(tab." | awk '!/^#/ && !seen[$1]++ { printf \"%s \", $1 }'")
jobs = system(tab." | awk '!/^#/ && !seen[$3]++ { printf \"%s \", $3 }'")
if (words(kernels) == 0) { print script.": no rows in ".csv; exit status 1 }
rows(k, n) = "< ".tab." | awk -v k='".k."' -v n='".n."' '$1 == k && $3 == n' | sort -g -k2,2"
top = 1e6

set title prefix.": a shell outside the cgroup vs the build's memory pressure" font ",14"
set xlabel "memory already used in the 64 MB cgroup (MB)"
set ylabel "shell page fault p99 (µs)"
set logscale y
set format y "%.0s%c"
set yrange [1:top * 3000]
set offsets graph 0.04, graph 0.04, 0, 0
set key top left maxrows 3
set label 1 "× = shell blocked: no fault completed" at graph 0.98, graph 0.7 right textcolor rgb "grey30"
dt(j) = word("1 2 3 4 5", (j - 1) % 5 + 1) + 0
pt(j) = word("7 5 9 11 13", (j - 1) % 5 + 1) + 0
plot for [i=1:words(kernels)] for [j=1:words(jobs)] rows(word(kernels, i), word(jobs, j)) \
		using 2:($4 > 0 ? $5 : top) with linespoints lc rgb colour(i) lw 2.2 dt dt(j) \
		pt pt(j) ps 1.3 * psk title word(kernels, i).", ".word(jobs, j)." jobs", \
	for [i=1:words(kernels)] for [j=1:words(jobs)] rows(word(kernels, i), word(jobs, j)) \
		using 2:($4 > 0 ? NaN : top) with points lc rgb colour(i) pt 2 ps 3 * psk lw 3 notitle
call here."/save.gp" figs."/shell-vs-memcg"
