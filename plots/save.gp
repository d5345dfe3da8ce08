# save.gp BASE - 'call'ed by the figure scripts after they drew their plot on the
# null terminal of common.gp: replots it as BASE.png, BASE.svg and BASE.pdf, the
# same figure in all three: 800x500 px (the pdf 5.6x3.5 in, the scale at which
# cairo's pdf text matches its png text; the svg's fonts scaled to match).
# noenhanced: text such as "mmap_sem" must not turn "_" into a subscript.
_ = system("mkdir -p \"$(dirname '".ARG1."')\"")
if (strstrt(GPVAL_TERMINALS, "pngcairo")) {
	set terminal pngcairo size 800,500 font "Sans,13" linewidth 1.5 noenhanced
} else {
	set terminal png size 800,500 font "Sans,13" linewidth 1.5 noenhanced
}
set output ARG1.".png"; replot
set terminal svg size 800,500 font "Sans,13" fontscale 1.33 linewidth 1.5 background "white" noenhanced
set output ARG1.".svg"; replot
if (strstrt(GPVAL_TERMINALS, "pdfcairo")) {
	set terminal pdfcairo size 800/144.,500/144. font "Sans,13" linewidth 1.5 noenhanced
	# pdfcairo draws points ~1.7x larger relative to the rest than pngcairo:
	# the scripts multiply their point sizes by psk.
	psk = 0.6
	set output ARG1.".pdf"; replot
	psk = 1
} else {
	print ARG0.": warning: this gnuplot has no pdfcairo terminal, no ".ARG1.".pdf"
}
set output
