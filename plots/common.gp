# Shared set-up of the plot scripts, loaded by each. The caller (render.sh) defines:
#   csv     the results CSV (docs/csv.md)      arch   the arch to plot
#   outdir  where to write the files           term   "svg" or "png"
# The CSV is read by column name, so column order and extra columns do not matter.

set datafile separator comma
set datafile missing "?"
# Metric and primitive names hold underscores: no enhanced-text subscripts.
set termoption noenhanced

if (term eq "svg") {
  set terminal svg size 960,600 dynamic font "Sans,12" background rgb "white" noenhanced
  ext = "svg"
} else {
  if (strstrt(GPVAL_TERMINALS, " pngcairo ") > 0) {
    set terminal pngcairo size 960,600 font "Sans,10" background rgb "white" noenhanced
  } else {
    set terminal png size 960,600 noenhanced
  }
  ext = "png"
}

set grid
set key outside right top
set border 3
set tics nomirror

# list + word, unless the word is in the list already (a space-separated set).
add_word(list, w) = strstrt(" ".list." ", " ".w." ") > 0 ? list : (list eq "" ? w : list." ".w)
# An iteration row (not an aggregate) of this arch and metric.
row_of(m) = strcol("arch") eq arch && strcol("metric") eq m && strcol("aggregate") eq "-"
# ... with a value a log scale can show: workloads and series need one to be plotted.
shown(m) = row_of(m) && column("value") > 0
# Output file of a plot kind and workload.
out_file(kind, w) = sprintf("%s/%s-%s-%s.%s", outdir, arch, kind, w, ext)

# How this arch ran: titles say native or emulated.
exec = ""
if (exists("arch") && exists("csv")) {
  set table $rb_scratch
  plot csv using (strcol("arch") eq arch ? (exec = strcol("exec"), 0) : 0):(0) with table
  unset table
}
plot_title(what) = exec eq "qemu" \
  ? sprintf("%s (emulated): %s\nrun under qemu: timings are not hardware performance", arch, what) \
  : sprintf("%s (%s): %s", arch, exec, what)

# Snippets run with eval, on the variables named in their comments (all strings):
# m metric, w workload, p primitive, r readers, u updaters.
in_workload(m) = row_of(m) && strcol("workload") eq w
in_config(m) = in_workload(m) && strcol("primitive") eq p && strcol("readers") eq r \
               && strcol("updaters") eq u

# wls: the workloads of this arch with positive values of metric m, in file order.
find_workloads = 'wls = ""; set table $rb_scratch; '. \
  'plot csv using (shown(m) ? (wls = add_word(wls, strcol("workload")), 0) : 0):(0) '. \
  '  with table; '. \
  'unset table'

# r, u: the most contended configuration of metric m in workload w: the most readers,
# then the most updaters (with by_updaters = 1: the most updaters, then readers).
by_updaters = 0
first_key(a, b) = by_updaters ? b : a
find_config = 'k1 = -1; k2 = -1; set table $rb_scratch; '. \
  'plot csv using (in_workload(m) ? ( '. \
  '  c1 = first_key(column("readers"), column("updaters")), '. \
  '  c2 = first_key(column("updaters"), column("readers")), '. \
  '  (c1 > k1 || (c1 == k1 && c2 > k2)) ? (k1 = c1, k2 = c2) : 0, 0) : 0):(0) with table; '. \
  'unset table; '. \
  'r = sprintf("%d", first_key(k1, k2)); u = sprintf("%d", first_key(k2, k1))'

# mean, cnt: the mean and number of the repetitions of metric m in (w, p, r, u); mean is
# NaN if there are none.
find_mean = 'sum = 0; cnt = 0; set table $rb_scratch; '. \
  'plot csv using (in_config(m) ? (sum = sum + column("value"), cnt = cnt + 1, 0) : 0):(0) '. \
  '  with table; '. \
  'unset table; mean = cnt > 0 ? sum / cnt : NaN'

# An x axis of thread counts, the words of vals: integer tics (about 16 at most), and
# room around a single value.
thread_axis = 'xmin = 1e9; xmax = -1; '. \
  'do for [v in vals] { '. \
  '  xmin = v + 0 < xmin ? v + 0 : xmin; xmax = v + 0 > xmax ? v + 0 : xmax }; '. \
  'xstep = xmax - xmin <= 16 ? 1 : ceil((xmax - xmin) / 16.0); '. \
  'set xtics xstep; set format x "%.0f"; '. \
  'if (xmin == xmax) { set xrange [xmin - 1:xmax + 1] } '. \
  'else { set xrange [xmin - 0.2 * xstep:xmax + 0.2 * xstep] }'
