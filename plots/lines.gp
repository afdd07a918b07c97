# A line plot prepared by `rcubench-report plot-data` (docs/plots.md): panels of lines, one
# per primitive, each point the median of its samples with an interquartile bar, a label at
# each line's end. The layout (panels, scales, ticks, styles, label heights) comes in the
# plot's variables; this script only draws it.
#   gnuplot -e "data='DIR/NAME'; out='OUTDIR/NAME'; plotdir='plots'" plots/lines.gp
# reads DIR/NAME.gp (variables) and DIR/NAME.dat (a block per line), writes OUTDIR/NAME.svg
# and OUTDIR/NAME.png.
load data.".gp"
load plotdir."/frame.gp"

do for [term in "svg png"] {
  load plotdir."/common.gp"
  set output out.".".ext
  set multiplot
  do for [p = 1:npanels] {
    eval place_panel
    set xlabel xlabel_text
    if (xlog) { set logscale x } else { unset logscale x }
    set xrange [xmin:xmax]
    eval "set xtics ".xtics_spec
    if (shade_from == shade_from) {
      # From here on the run had more threads than CPUs: it measures the scheduler too.
      set object 1 rectangle from first shade_from, graph 0 to graph 1, graph 1 behind \
        fillcolor rgb "#EBEBEB" fillstyle solid noborder
      set label 2 "more threads than CPUs" at first shade_from, graph 0.97 left offset 0.6, 0 \
        textcolor rgb "#707070" front
    }
    # Spans of the run shaded with a label (a stalls run's stalls), when the plot has any.
    if (exists("nbands") && nbands > 0) {
      do for [b = 1:nbands] {
        set object 100 + b rectangle from first band_from[b], graph 0 to first band_to[b], graph 1 \
          behind fillcolor rgb "#F3E3C3" fillstyle solid noborder
      }
      set label 4 band_label at first band_from[1], graph 0.97 left offset 0.6, 0 \
        textcolor rgb "#8A6A30" front
    }
    members = p_series[p]
    do for [k = 1:words(members)] {
      i = member(k)
      set label 10 + k s_label[i] at graph 1.035, graph s_labely[i] left textcolor rgb s_color[i]
      # A faint leader from the line's end to its label (alpha 0x90: mostly transparent).
      set arrow 10 + k from first s_xend[i], first s_yend[i] to graph 1.03, graph s_labely[i] \
        nohead linecolor rgb "#90".s_color[i][2:] linewidth 1 dashtype 3
    }
    plot for [k = 1:words(members)] data.".dat" index (member(k) - 1) \
      using 1:2:3:4 with yerrorlines linecolor rgb s_color[member(k)] \
      dashtype s_dash[member(k)] linewidth s_width[member(k)] \
      pointtype s_point[member(k)] pointsize s_psize[member(k)] notitle
  }
  unset multiplot
  unset output
}
