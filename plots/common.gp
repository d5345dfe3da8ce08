# common.gp - set-up shared by the figure scripts, which 'load' it after setting
# 'here' (their own folder), 'script' (ARG0) and 'dir' (ARG1: the results folder
# out/<scenario name>/) - 'load' hides the caller's ARGn. Defines csv, figs,
# name, prefix, csvcols(), csvcheck() and the common style.
if (dir eq "") { print "usage: gnuplot -c ".script." RESULTS_DIR"; exit status 2 }
csv = dir."/summary.csv"
if (system("test -r '".csv."' && echo y") ne "y") {
	print script.": cannot read ".csv." (run 'mmsim run' into ".dir." first)"; exit status 1
}
figs = dir."/figures"
# The shell command printing the columns of summary.csv named in c (see csvcols.awk).
csvcols(c) = sprintf("awk -f '%s/csvcols.awk' -v cols='%s' '%s'", here, c, csv)
# Fails early with csvcols.awk's message when a column is missing (a '<' pipe in
# 'plot' would just give an empty plot).
csvcheck(c) = system(csvcols(c)." > /dev/null; echo $?") eq "0"

# The scenario's name, from the first point's results.json (else the folder's
# name), and the titles' prefix: "seed 000" for seed-000-*.
first = system(csvcols("point")." | sed -n 2p")
name = system('sed -n ''/"scenario"/,/}/ s/^ *"name": *"\(.*\)",*$/\1/p'' '''.dir.'/points/'.first.'/results.json'' 2>/dev/null | head -1')
if (name eq "") { name = system("basename '".dir."'") }
prefix = (name[1:5] eq "seed-" && strlen(name) >= 8) ? "seed ".name[6:8] : name

# Point sizes are multiplied by psk (save.gp changes it for the pdf).
psk = 1
# Okabe-Ito colours (colour-blind safe).
colours = "#D55E00 #0072B2 #009E73 #CC79A7 #E69F00 #56B4E9"
colour(i) = word(colours, (i - 1) % words(colours) + 1)
set encoding utf8
set border lw 1.2
set grid xtics ytics mxtics mytics lc rgb "#DDDDDD" lw 0.8, lc rgb "#EEEEEE" lw 0.6
set key opaque box lc rgb "#BBBBBB" samplen 3 spacing 1.15 Left reverse
# The scripts plot once here (a text terminal into /dev/null: no 'unknown'
# terminal warning), then save.gp replots into the three files.
set terminal dumb
set output "/dev/null"
