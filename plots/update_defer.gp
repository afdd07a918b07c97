# Updates/s with synchronous versus deferred freeing: rcu-<flavor> (solid) against
# rcu-<flavor>-defer (dashed, same colour) versus updater threads, for each workload of
# one arch that has such a pair: <arch>-updates-defer-<workload>.<ext>. Each point is
# the mean over the repetitions. Variables: see common.gp.
load plotdir."/common.gp"

m = "updates_per_s"
eval find_workloads
set xlabel "updater threads"
set ylabel "updates/s (all updaters, mean of repetitions)"
set logscale y

do for [w in wls] {
  prims = ""
  rds = ""
  ups = ""
  set table $rb_scratch
  plot csv using (in_workload(m) && column("value") > 0 ? ( \
      prims = add_word(prims, strcol("primitive")), \
      rds = add_word(rds, strcol("readers")), \
      ups = add_word(ups, strcol("updaters")), 0) : 0):(0) with table
  unset table
  # Flavors with both a synchronous and a deferred primitive.
  pairs = ""
  do for [p in prims] {
    n = strlen(p)
    if (n > 6 && p[n-5:n] eq "-defer" && strstrt(" ".prims." ", " ".p[1:n-6]." ") > 0) {
      pairs = add_word(pairs, p[1:n-6])
    }
  }
  if (words(pairs) == 0) { continue }
  vals = ups
  eval thread_axis

  cmd = ""
  k = 0
  do for [i = 1:words(pairs)] {
    do for [mode = 0:1] {
      p = word(pairs, i).(mode ? "-defer" : "")
      do for [r in rds] {
        k = k + 1
        eval sprintf('set table $rb_s%d separator comma', k)
        plot csv using (column("updaters")):(column("value")) with table \
          if (in_workload(m) && strcol("primitive") eq p && strcol("readers") eq r)
        unset table
        t = p.(words(rds) > 1 ? sprintf(", %s reader%s", r, r eq "1" ? "" : "s") : "")
        style = sprintf("lw 2 lc %d pt %d dt %d", i, 2 * i + mode, mode ? 2 : 1)
        cmd = cmd.(k > 1 ? ", " : ""). \
          sprintf("$rb_s%d using 1:2 smooth unique with linespoints %s title '%s'", k, style, t)
      }
    }
  }
  set output out_file("updates-defer", w)
  set title plot_title(sprintf("updates/s, synchronous versus deferred freeing, workload %s", w))
  eval "plot ".cmd
  unset output
}
