# kvm-apf.gp RESULTS_DIR - figures/kvm-apf.{png,svg,pdf}: seed 002.
# Guest ops/s of a 4-vCPU VM (thick lines, left axis) and the vCPUs'
# utilisation (thin lines with points, right axis) against the share of guest
# memory the host swapped out, one colour per swap device service time; solid:
# with KVM async page faults (2.6.38), dashed: without (2.6.37, the vCPU
# blocked for each swap-in).
script = ARG0; dir = ARG1; here = system("dirname '".script."'")
load here."/common.gp"

spec = "kernel,processes[0].mappings[0].swapped_fraction,swap.service_ms.mean,kvm.guest_ops_per_s,kvm.vcpu_utilization"
if (!csvcheck(spec)) { exit status 1 }
# Columns of tab: 1 kernel, 2 swapped fraction, 3 swap ms, 4 guest ops/s, 5 vCPU utilisation.
tab = csvcols(spec)
kernels = system(tab." | awk '!/^#/ && !seen[$1]++ { printf \"%s \", $1 }'")
lats = system(tab." | awk '!/^#/ && !seen[$3]++ { printf \"%s \", $3 }'")
if (words(kernels) == 0) { print script.": no rows in ".csv; exit status 1 }
rows(k, l) = "< ".tab." | awk -v k='".k."' -v l='".l."' '$1 == k && $3 == l' | sort -g -k2,2"
# the last kernel (2.6.38) has async PF: solid; the others dashed
dt(i) = i == words(kernels) ? 1 : 2

set title prefix.": KVM guest throughput with and without async page faults" font ",14"
set xlabel "guest memory swapped out by the host (fraction)"
set ylabel "guest ops/s (thick lines)"
set y2label "vCPU utilisation (thin lines, points)"
set logscale x
set logscale y
set format y "%.0s%c"
set y2range [0:1.05]
set y2tics 0.2
set ytics nomirror
set offsets graph 0.04, graph 0.04, 0, 0
set bmargin 8
set key at screen 0.5, screen 0.015 center bottom maxrows 3 font ",10"
set xrange [0.007:0.3]
plot for [i=1:words(kernels)] for [j=1:words(lats)] rows(word(kernels, i), word(lats, j)) \
		using 2:4 with lines lc rgb colour(j) lw 3 dt dt(i) \
		title word(kernels, i).(i == words(kernels) ? " (APF)" : " (no APF)").", swap ".word(lats, j)." ms", \
	for [i=1:words(kernels)] for [j=1:words(lats)] rows(word(kernels, i), word(lats, j)) \
		using 2:5 axes x1y2 with linespoints lc rgb colour(j) lw 1 dt dt(i) pt (i == words(kernels) ? 7 : 6) \
		ps 0.9 * psk notitle
call here."/save.gp" figs."/kvm-apf"
