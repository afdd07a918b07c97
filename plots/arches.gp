# Prints the arches of a results CSV (docs/csv.md), one a line, in file order.
#   gnuplot -e "csv='results.csv'" arches.gp
set datafile separator comma
arches = ""
set table $rb_scratch
# The header line is read too: its "arch" is no arch.
plot csv using (a = strcol("arch"), \
  arches = (a eq "arch" || strstrt(" ".arches." ", " ".a." ") > 0) ? arches : arches." ".a, \
  0):(0) with table
unset table
set print "-"
do for [a in arches] { print a }
