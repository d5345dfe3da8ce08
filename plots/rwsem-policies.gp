# rwsem-policies.gp RESULTS_DIR - figures/rwsem-policies.{png,svg,pdf}: every
# rw-semaphore policy under one mixed workload (scenarios/rwsem-policies.json):
# readers' and writers' p99 wait for mmap_sem and the threads' throughput,
# against the thread count at a writer share of 10 % (top row), and against
# the writer share at 16 threads (bottom row). One line per policy: colour,
# dash and point type differ, so it reads in black and white too.
script = ARG0; dir = ARG1; here = system("dirname '".script."'")
load here."/common.gp"

spec = "features.rwsem_policy,threads.T.loop[1].probability,threads.T.count,mmap_sem.read.wait_us.p99,mmap_sem.write.wait_us.p99,threads.T.ops_per_s"
if (!csvcheck(spec)) { exit status 1 }
# Columns of tab: 1 policy, 2 writer share, 3 threads, 4 read p99, 5 write p99, 6 ops/s.
tab = csvcols(spec)
policies = system(tab." | awk '!/^#/ && !seen[$1]++ { printf \"%s \", $1 }'")
if (words(policies) == 0) { print script.": no rows in ".csv; exit status 1 }
share = 0.1; nthreads = 16
by_threads(p) = sprintf("< %s | awk -v p='%s' '$1 == p && $2 == %g' | sort -g -k3,3", tab, p, share)
by_share(p) = sprintf("< %s | awk -v p='%s' '$1 == p && $3 == %d' | sort -g -k2,2", tab, p, nthreads)

# Eight Okabe-Ito colours, then dash types and point types cycling apart.
pcolours = "#000000 #E69F00 #56B4E9 #009E73 #F0E442 #0072B2 #D55E00 #CC79A7"
pc(i) = word(pcolours, (i - 1) % 8 + 1)
pdt(i) = (i - 1) / 8 + 1
ppt(i) = (i - 1) % 13 + 1
# Policies that coincide (2.6.36, generic-spinlock, task-fair: the same FIFO
# rules) stay visible: earlier ones are drawn wider, under the later ones.
plw(i) = 4.0 - 0.25 * i

base = figs."/rwsem-policies"
_ = system("mkdir -p '".figs."'")
set terminal pngcairo size 1500,900 font "Sans,12" linewidth 1.2 noenhanced
set output base.".png"
load here."/rwsem-policies-panels.gp"
set terminal svg size 1500,900 font "Sans,12" fontscale 1.33 linewidth 1.2 background "white" noenhanced
set output base.".svg"
load here."/rwsem-policies-panels.gp"
set terminal pdfcairo size 1500/144.,900/144. font "Sans,12" linewidth 1.2 noenhanced
psk = 0.6
set output base.".pdf"
load here."/rwsem-policies-panels.gp"
set output
