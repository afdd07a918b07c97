# Read latency percentiles p50, p99 and p99.9 per primitive, clustered bars on a log
# scale, for each workload of one arch: <arch>-read-latency-<workload>.<ext>. Each
# workload is shown at its most contended configuration (most readers, then most
# updaters); each bar is the mean over the repetitions. Variables: see common.gp.
load plotdir."/common.gp"

m = "read_p50_ns"
eval find_workloads
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "read latency (ns, mean of repetitions)"
set xtics rotate by -30

do for [w in wls] {
  m = "read_p50_ns"
  eval find_config
  prims = ""
  set table $rb_scratch
  plot csv using (in_workload(m) && strcol("readers") eq r && strcol("updaters") eq u \
                  && column("value") > 0 ? \
    (prims = add_word(prims, strcol("primitive")), 0) : 0):(0) with table
  unset table

  # One line per primitive: name, p50, p99, p99.9 ("?" where missing).
  ymin = 1e300
  set print $rb_bars
  do for [p in prims] {
    line = p
    do for [m in "read_p50_ns read_p99_ns read_p999_ns"] {
      eval find_mean
      if (cnt > 0 && mean > 0 && mean < ymin) { ymin = mean }
      line = line.",".(cnt > 0 ? sprintf("%g", mean) : "?")
    }
    print line
  }
  unset print
  # Bars rise from the bottom of the axis: keep it below the smallest bar.
  if (ymin < 1e300) { set yrange [ymin / 3.0:*] } else { set autoscale y }
  set output out_file("read-latency", w)
  set title plot_title(sprintf("read latency, workload %s, %s readers, %s updaters", w, r, u))
  plot $rb_bars using 2:xtic(1) title "p50", '' using 3 title "p99", '' using 4 title "p99.9"
  unset output
}
