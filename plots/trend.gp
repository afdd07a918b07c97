# Trend of each series over the runs of a history directory (`rcubench-report trend-data`
# expands each run to a CSV of one row per series: its run median, min and max): a plot
# per series (arch, workload, primitive, readers, updaters, metric) against the run's
# date, each run's median as a point and a line, one colour per machine (CPU model,
# compiler and fingerprint) so that a change of machine is not mistaken for a change of
# code:
#   trend-<arch>-<workload>-<primitive>-r<R>-u<U>-<metric>.<ext>
# Variables (render.sh --trend sets them):
#   files    the history CSVs, space-separated    metrics  the metrics to plot
#   outdir   where to write the files             term     "svg" or "png"
load plotdir."/common.gp"

# The history's CSVs are read by column name (docs/csv.md): column order does not matter.
set datafile separator comma
set datafile missing "?"
set grid
set key outside right top
set border 3
set tics nomirror

# list + word, unless the word is in the list already (a space-separated set).
add_word(list, w) = strstrt(" ".list." ", " ".w." ") > 0 ? list : (list eq "" ? w : list." ".w)
# Titles say native or emulated (arch and exec are the current series').
plot_title(what) = exec eq "qemu" \
  ? sprintf("%s (emulated): %s\nrun under qemu: timings are not hardware performance", arch, what) \
  : sprintf("%s (%s): %s", arch, exec, what)

# The n-th |-separated field of s.
field(s, n) = n <= 1 ? (strstrt(s, "|") > 0 ? s[1:strstrt(s, "|") - 1] : s) \
                     : field(s[strstrt(s, "|") + 1:], n - 1)
# s with every a replaced by b.
subst(s, a, b) = strstrt(s, a) == 0 ? s \
  : s[1:strstrt(s, a) - 1].b.subst(s[strstrt(s, a) + strlen(a):], a, b)
# A machine as one word of a list (CPU models hold blanks), and back.
machine_word(cpu, compiler) = subst(cpu." / ".compiler, " ", "~")
machine_name(word) = subst(word, "~", " ")
row_machine(x) = machine_word(strcol("cpu_model"), strcol("compiler")." ".strcol("fingerprint"))
wanted(m) = strstrt(" ".metrics." ", " ".m." ") > 0
run_time(d) = strptime("%Y-%m-%dT%H:%M:%S", d)  # the UTC offset is ignored
# An iteration row of the current series (arch exec w p r u m), of machine `mach` unless
# that is "".
in_series(mach) = strcol("aggregate") eq "-" && strcol("arch") eq arch \
  && strcol("exec") eq exec && strcol("workload") eq w && strcol("primitive") eq p \
  && strcol("readers") eq r && strcol("updaters") eq u && strcol("metric") eq m \
  && (mach eq "" || row_machine(0) eq mach)

keys = ""
set table $rb_scratch
plot for [f in files] f using (strcol("aggregate") eq "-" && wanted(strcol("metric")) ? \
  (keys = add_word(keys, sprintf("%s|%s|%s|%s|%s|%s|%s|%s", strcol("arch"), strcol("exec"), \
     strcol("workload"), strcol("primitive"), strcol("readers"), strcol("updaters"), \
     strcol("metric"), strcol("unit"))), 0) : 0):(0) with table
unset table

nfiles = words(files)
array rb_sum[nfiles]
array rb_cnt[nfiles]
array rb_time[nfiles]
set xtics time
set format x "%Y-%m-%d %H:%M" timedate
set xtics rotate by -30
set key below
set rmargin 10
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1

do for [key in keys] {
  arch = field(key, 1); exec = field(key, 2); w = field(key, 3); p = field(key, 4)
  r = field(key, 5); u = field(key, 6); m = field(key, 7); unit = field(key, 8)
  machines = ""
  set table $rb_scratch
  plot for [f in files] f using (in_series("") ? \
    (machines = add_word(machines, row_machine(0)), 0) : 0):(0) with table
  unset table

  cmd = ""
  do for [j = 1:words(machines)] {
    mach = word(machines, j)
    do for [i = 1:nfiles] { rb_sum[i] = 0; rb_cnt[i] = 0; rb_time[i] = 0 }
    set table $rb_scratch
    plot for [i = 1:nfiles] word(files, i) using (in_series(mach) ? ( \
      rb_sum[i] = rb_sum[i] + column("value"), rb_cnt[i] = rb_cnt[i] + 1, \
      rb_time[i] = run_time(strcol("date")), 0) : 0):(0) with table
    unset table
    eval sprintf('set print $rb_m%d', j)
    do for [i = 1:nfiles] {
      if (rb_cnt[i] > 0) { print sprintf("%.0f,%.17g", rb_time[i], rb_sum[i] / rb_cnt[i]) }
    }
    unset print
    # Run medians straight from the files (a table would round the times), then the line.
    cmd = cmd.(j > 1 ? ", " : ""). \
      sprintf('for [i = 1:nfiles] word(files, i) using (run_time(strcol("date"))):'. \
              '(in_series(word(machines, %d)) ? column("value") : 1/0) '. \
              'with points pt 7 ps 0.6 lc %d title (i == 1 ? "run median, %s" : "")', \
              j, j, machine_name(mach)). \
      sprintf(', $rb_m%d using 1:2 smooth unique with linespoints lw 2 pt 7 lc %d '. \
              'title "%s"', j, j, machine_name(mach))
  }

  set output sprintf("%s/trend-%s-%s-%s-r%s-u%s-%s.%s", outdir, arch, w, p, r, u, m, ext)
  set title plot_title(sprintf("%s over the recorded runs\n%s, %s readers, %s updaters, %s", \
                              m, p, r, u, "workload ".w))
  set ylabel sprintf("%s (%s)", m, unit)
  eval "plot ".cmd
  unset output
}
