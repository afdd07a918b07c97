# One series's trend over the runs of a history, as `rcubench-report trend-data` reduced it
# (each run judged as the gate judged it when it was recorded; docs/plots.md): the run
# medians against the run's date, one colour per machine (CPU model, compiler and
# fingerprint) so that a change of machine is not mistaken for a change of code, the band
# each run was judged against, the runs the gate flagged and the rebaselines. Every
# decision is the report tool's; this only draws.
# Variables (render.sh --trend sets them):
#   data   the series's files without extension (<data>.gp: title, ylabel, machines,
#          machine<i>; <data>.dat: time median band_low band_high machine rebaseline
#          verdict)
#   out    the output files without extension: writes <out>.svg and <out>.png
load data.".gp"

set datafile missing "?"
set grid
set border 3
set tics nomirror
set xdata time
set timefmt "%s"
set format x "%Y-%m-%d %H:%M" timedate
set xtics rotate by -30
set key below
set rmargin 10
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
set title title
set ylabel ylabel

dat = data.".dat"
# Only what the series has: gnuplot warns of a plot element with no points.
cmd = ""
if (has_band) { cmd = cmd.'dat using 1:3:4 with filledcurves fc rgb "#d8e4f0" fs solid 0.6 '. \
                   'noborder title "band the run was judged against", ' }
cmd = cmd.'for [j = 1:machines] dat using 1:($5 == j ? $2 : 1/0) with linespoints lw 2 pt 7 '. \
          'lc j title value(sprintf("machine%d", j))'
if (has_regression) { cmd = cmd.', dat using 1:($7 == 1 ? $2 : 1/0) with points pt 6 ps 2.2 '. \
                         'lw 2 lc rgb "#b00020" title "regression (gated or not)"' }
if (has_improvement) { cmd = cmd.', dat using 1:($7 == 2 ? $2 : 1/0) with points pt 6 ps 2.2 '. \
                          'lw 2 lc rgb "#17692f" title "improvement"' }
if (has_rebaseline) { cmd = cmd.', dat using 1:($6 == 1 ? $2 : 1/0) with points pt 4 ps 2.6 '. \
                         'lw 2 lc rgb "#555555" title "rebaseline (accepted)"' }
do for [term in "svg png"] {
  load plotdir."/common.gp"
  set output out.".".ext
  eval "plot ".cmd
  unset output
}
