# Reads/s versus reader threads, a line per primitive (bare, the unsynchronised floor,
# drawn black and dashed), for each workload of one arch with at least two reader
# counts: <arch>-reads-<workload>.<ext>. Each point is the mean over the repetitions.
# Variables: see common.gp.
load plotdir."/common.gp"

m = "reads_per_s"
eval find_workloads
set xlabel "reader threads"
set ylabel "reads/s (all readers, mean of repetitions)"
set logscale y

do for [w in wls] {
  # Series: primitive@updaters, so that lines of different updater counts stay apart.
  series = ""
  ups = ""
  rds = ""
  set table $rb_scratch
  plot csv using (in_workload(m) && column("value") > 0 ? ( \
      series = add_word(series, strcol("primitive")."@".strcol("updaters")), \
      ups = add_word(ups, strcol("updaters")), \
      rds = add_word(rds, strcol("readers")), 0) : 0):(0) with table
  unset table
  # One reader count makes no curve: nothing to plot.
  if (words(rds) < 2) { continue }
  vals = rds
  eval thread_axis

  cmd = ""
  do for [k = 1:words(series)] {
    s = word(series, k)
    p = s[1:strstrt(s, "@") - 1]
    u = s[strstrt(s, "@") + 1:]
    eval sprintf('set table $rb_s%d separator comma', k)
    plot csv using (column("readers")):(column("value")) with table \
      if (in_workload(m) && strcol("primitive") eq p && strcol("updaters") eq u)
    unset table
    t = p eq "bare" ? "bare (no synchronisation)" : p
    if (words(ups) > 1) { t = t.sprintf(", %s updater%s", u, u eq "1" ? "" : "s") }
    style = p eq "bare" ? "lw 2 dt 2 lc rgb 'black' pt 0" : sprintf("lw 2 lc %d pt %d", k, k)
    cmd = cmd.(k > 1 ? ", " : ""). \
      sprintf("$rb_s%d using 1:2 smooth unique with linespoints %s title '%s'", k, style, t)
  }
  set output out_file("reads", w)
  set title plot_title(sprintf("reads/s versus reader threads, workload %s", w))
  eval "plot ".cmd
  unset output
}
