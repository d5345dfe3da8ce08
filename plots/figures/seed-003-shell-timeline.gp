# The shell's fault rate over time in seed 003 (16 jobs, cgroup at 52 MB),
# from two runs' intervals.csv (README, "Time series"):
#   gnuplot -e "old='OUT/points/5f14d64d5dcd/intervals.csv'; new='OUT/points/c708fc6ff09f/intervals.csv'" \
#           plots/figures/seed-003-shell-timeline.gp
set terminal pngcairo size 1020,720 font "Sans,22" linewidth 2
set output "plots/figures/seed-003-shell-timeline.png"
set datafile separator ","
set key top right vertical samplen 2
set xlabel "simulated time (s)"
set ylabel "shell faults (1/s)"
set xrange [0:2]
set yrange [0:1400]
set grid ytics lc rgb "#dddddd"
set style fill transparent solid 0.15 noborder
# x: each row from its start; column 7: threads.sh.ops_per_s (one fault per pass)
plot old using 1:7 with steps lc rgb "#D55E00" dt 1 title "2.6.39", \
     new using 1:7 with steps lc rgb "#0072B2" dt 2 title "3.1 (cow\\_prealloc)"
