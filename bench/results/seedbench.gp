set terminal pngcairo size 900,540 font 'Sans,11'
set output 'seedbench.png'
set title 'seedbench, 600 s simulated: wall time (median, min-max)'
set style fill solid 0.6 border -1
set boxwidth 0.6
set xrange [-0.6:3.6]
set logscale y
set ylabel 'wall time (s)'
set yrange [0.01:*]
set grid ytics
unset key
plot 'seedbench.dat' using 0:2:xtic(1) with boxes lc rgb '#3060a0', \
     'seedbench.dat' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0, \
     'seedbench.dat' using 0:2:(sprintf('%.2f s', $2)) with labels offset 0,1
