# A bar chart prepared by `rcubench-report plot-data` (docs/plots.md), for workloads with a
# single x value: per panel (a metric) a bar per primitive or per percentile, the median of
# its samples with an interquartile error bar, coloured by kind (the legend), and the
# references (bare, the hand-written loop, the timer) as horizontal lines labelled at the
# right. The layout comes in the plot's variables; this script only draws it.
#   gnuplot -e "data='DIR/NAME'; out='OUTDIR/NAME'; plotdir='plots'" plots/bars.gp
# reads DIR/NAME.gp and DIR/NAME.dat (a block of bars per panel, then a block per reference
# line), writes OUTDIR/NAME.svg and OUTDIR/NAME.png.
load data.".gp"
load plotdir."/frame.gp"

set style fill solid 0.9 border rgb "#404040"
set boxwidth 0.8 absolute
set grid noxtics ytics
set xtics rotate by 35 right scale 0
set key outside top center horizontal noautotitle samplen 2

do for [term in "svg png"] {
  load plotdir."/common.gp"
  set output out.".".ext
  set multiplot
  do for [p = 1:npanels] {
    eval place_panel
    unset xlabel
    set xrange [p_xmin[p]:p_xmax[p]]
    eval "set xtics ".p_xtics[p]
    members = p_series[p]
    do for [k = 1:words(members)] {
      i = member(k)
      set label 10 + k s_label[i] at graph 1.015, graph s_labely[i] left textcolor rgb s_color[i]
    }
    bars = 'plot for [k = 1:nkinds] data.".dat" index (p - 1) using 1:($6 == k ? $2 : NaN) '. \
      'with boxes fillcolor rgb k_color[k] title k_label[k], '. \
      'data.".dat" index (p - 1) using 1:3:(0):($4 - $3) with vectors nohead '. \
      'linecolor rgb "#202020" notitle'
    lines = ', for [k = 1:words(members)] data.".dat" index (npanels + member(k) - 1) '. \
      'using 1:2 with lines linecolor rgb s_color[member(k)] dashtype s_dash[member(k)] '. \
      'linewidth s_width[member(k)] notitle'
    # A panel without references has no line arrays to index.
    eval bars.(words(members) > 0 ? lines : "")
  }
  unset multiplot
  unset output
}
