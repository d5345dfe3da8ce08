# csvcols.awk - the columns of an mmsim summary.csv chosen BY HEADER NAME, so
# the plots survive new metric columns. POSIX awk (mawk is enough).
#   awk -f csvcols.awk -v cols='kernel,disk.service_ms.mean|disk.service_ms,threads.A.count=1' summary.csv
# Each item of cols is NAME, NAME|ALTERNATIVE... (the first present wins), or
# NAME=DEFAULT (the value when the column is absent, e.g. a scenario that does
# not sweep it). Prints "# names" then one whitespace-separated row per CSV row;
# empty cells become NaN, CSV quotes are removed (a swept distribution is one
# quoted field with commas in it), blanks inside a value become "_".
# An absent column without default: a message on stderr and exit status 1.

# Splits a CSV line into f[1..n], honouring double quotes; returns n.
function csvsplit(line, f,    n, i, c, q, s) {
	n = 0; s = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (c == "\"") q = !q
		else if (c == "," && !q) { f[++n] = s; s = "" }
		else s = s c
	}
	f[++n] = s
	return n
}

NR == 1 {
	sub(/\r$/, "")
	nh = csvsplit($0, h)
	nc = split(cols, want, ",")
	hdr = "#"
	for (i = 1; i <= nc; i++) {
		spec = want[i]; dflt[i] = ""
		if ((e = index(spec, "=")) > 0) { dflt[i] = substr(spec, e + 1); spec = substr(spec, 1, e - 1) }
		na = split(spec, alt, "|")
		for (a = 1; a <= na && !col[i]; a++)
			for (j = 1; j <= nh; j++) if (h[j] == alt[a]) { col[i] = j; break }
		if (!col[i] && dflt[i] == "") {
			printf "%s: no column %s in the header\n", FILENAME, spec > "/dev/stderr"
			bad = 1; exit 1
		}
		hdr = hdr " " alt[1]
	}
	print hdr
	next
}

{
	sub(/\r$/, "")
	csvsplit($0, f)
	s = ""
	for (i = 1; i <= nc; i++) {
		v = col[i] ? f[col[i]] : dflt[i]
		gsub(/[ \t]/, "_", v)
		s = s (i > 1 ? " " : "") (v == "" ? "NaN" : v)
	}
	print s
}

END { if (bad) exit 1; if (NR == 0) { print FILENAME ": empty" > "/dev/stderr"; exit 1 } }
