# Grace-period latency distribution: p50, p90, p99, p99.9 and max per primitive on a
# log scale, for each workload of one arch: <arch>-gp-latency-<workload>.<ext>. Each
# workload is shown at its most contended configuration for updaters (most updaters,
# then most readers); each point is the mean over the repetitions. Variables: see
# common.gp.
load plotdir."/common.gp"

m = "gp_p50_ns"
eval find_workloads
by_updaters = 1
set logscale y
set ylabel "grace-period latency (ns, mean of repetitions)"
set xlabel "percentile"
set xtics ("p50" 1, "p90" 2, "p99" 3, "p99.9" 4, "max" 5)
set xrange [0.7:5.3]

do for [w in wls] {
  m = "gp_p50_ns"
  eval find_config
  prims = ""
  set table $rb_scratch
  plot csv using (in_workload(m) && strcol("readers") eq r && strcol("updaters") eq u \
                  && column("value") > 0 ? \
    (prims = add_word(prims, strcol("primitive")), 0) : 0):(0) with table
  unset table

  cmd = ""
  k = 0
  do for [p in prims] {
    k = k + 1
    eval sprintf('set print $rb_s%d', k)
    x = 0
    do for [m in "gp_p50_ns gp_p90_ns gp_p99_ns gp_p999_ns gp_max_ns"] {
      x = x + 1
      eval find_mean
      if (cnt > 0) { print sprintf("%d,%g", x, mean) }
    }
    unset print
    cmd = cmd.(k > 1 ? ", " : ""). \
      sprintf("$rb_s%d using 1:2 with linespoints lw 2 lc %d pt %d title '%s'", k, k, k, p)
  }
  set output out_file("gp-latency", w)
  set title plot_title( \
    sprintf("grace-period latency, workload %s, %s readers, %s updaters", w, r, u))
  eval "plot ".cmd
  unset output
}
