set terminal pngcairo size 900,540 font 'Sans,11'
set output 'scaling.png'
set title 'mmap\_sem acquisitions simulated per wall second'
set logscale x
set xlabel 'simulated threads'
set ylabel 'million acquisitions / wall s'
set yrange [0:*]
set grid
set key top right
plot 'scaling-fixed.dat' using 1:($2/1e6):($3/1e6):($4/1e6) with yerrorlines lw 2 title 'fixed load (1 process)', \
     'scaling-growing.dat' using 1:($2/1e6):($3/1e6):($4/1e6) with yerrorlines lw 2 title 'growing load (16 threads per process)'
