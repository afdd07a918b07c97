# The frame of a plot prepared by `rcubench-report plot-data`, shared by lines.gp and
# bars.gp: the title band above the panels, the footer band below, and `place_panel`, which
# puts panel p (row by row, `cols` a row) in the space between and resets what the panel
# before it set. The plot's variables are loaded before this.

set datafile separator whitespace
set grid
set border 3
set tics nomirror
set bars small
unset key
members = ""
band_top = 1.0 * title_pixels / height
band_bottom = 1.0 * footer_pixels / height
panel_height = (1 - band_top - band_bottom) / rows
panel_width = 1.0 / cols
# Index of the k-th line of panel p.
member(k) = k <= words(members) ? int(word(members, k)) : 1
# The title and the footer are labels of the first panel, in screen coordinates: the
# title's first line at the top, the footer's last line at the bottom.
place_panel = 'eval reset_panel; '. \
  'set origin ((p - 1) % cols) * panel_width, '. \
  '  band_bottom + (rows - 1 - int((p - 1) / cols)) * panel_height; '. \
  'set size panel_width, panel_height; '. \
  'if (p == 1) { '. \
  '  set label 1 title_text at screen 0.5, screen 1 - 14.0 / height center front font ",13"; '. \
  '  set label 3 footer_text at screen 0.008, screen (footer_pixels - 16.0) / height '. \
  '    left front textcolor rgb "#505050" font ",9"; '. \
  '} '
reset_panel = 'unset label; unset arrow; unset object; unset logscale; '. \
  'set title p_title[p]; set ylabel p_ylabel[p]; '. \
  'if (p_ylog[p]) { set logscale y }; '. \
  'set yrange [p_ymin[p]:p_ymax[p]]; eval "set ytics ".p_ytics[p]; '. \
  'set lmargin 12; set rmargin label_margin'
