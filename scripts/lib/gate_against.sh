# shellcheck shell=bash
# `scripts/gate --against REF`: the working tree judged against REF with no stored
# history. Sourced by scripts/gate after common.sh and gate.sh, not run; reads the
# options scripts/gate parsed (against, configs, arch_list, primitives, out_root,
# markdown, verdict_file, bisect, counts_only, REPORT).
#
# Why no history: a stored run was measured minutes to days before, on a machine whose
# speed drifts between runs by more than the changes worth catching, and in CI on a
# runner of another CPU model. Both commits measured now, on one machine, in lockstep
# pairs, need nothing stored: the verdict is exact for instruction counts and has a
# known error rate for timings (docs/regression-gate.md).

# Set as the run goes, read by against_finish (a bisection step gets AG_BASE from its
# environment).
AG_BASE=${AG_BASE:-} AG_HEAD='' AG_DIRTY=no AG_RUN='' AG_CULPRIT='' AG_COMPARED=''

# against_finish STATUS REASON [MARKDOWN_BODY]: writes --verdict (always) and --markdown,
# then exits STATUS.
against_finish() {
  local status=$1 reason=$2 body=${3:-} word
  case $status in 0) word=passed ;; 1) word=FAILED ;; *) word="could not judge" ;; esac
  if [ -n "$verdict_file" ]; then
    mkdir -p "$(dirname "$verdict_file")"
    printf 'status=%s\nbase=%s\nhead=%s\ndirty=%s\nrun=%s\nculprit=%s\nreason=%s\n' \
      "$status" "$AG_BASE" "$AG_HEAD" "$AG_DIRTY" "$AG_RUN" "$AG_CULPRIT" "$reason" \
      >"$verdict_file.tmp"
    mv "$verdict_file.tmp" "$verdict_file"
  fi
  if [ -n "$markdown" ]; then
    mkdir -p "$(dirname "$markdown")"
    { printf '## Regression gate: %s\n\n' "$word"
      [ -z "$AG_COMPARED" ] || printf '%s\n\n' "$AG_COMPARED"
      [ -z "$body" ] || printf '%s\n\n' "$body"
      printf '**%s**\n' "$reason"
    } >"$markdown.tmp"
    mv "$markdown.tmp" "$markdown"
  fi
  echo
  [ "$status" != 2 ] || printf 'error: could not judge: %s\n' "$reason" >&2
  printf 'Gate: %s. %s\n' "$word" "$reason"
  exit "$status"
}
could_not_judge() { against_finish 2 "$1" "${2:-}"; }


# against_failing CSV: the gated regressions and missing series of a comparison (its
# CSV on standard input), one per line: id, name, kind (count or timing), change, note,
# tab-separated. id is the series as the bisection looks it up (arch/exec/primitive/
# workload/RrUu/params/metric); name is arch/primitive/workload/metric, what a
# Bench-Accept pattern matches.
against_failing() {
  awk -F, -v OFS='\t' "$(gate_columns)"'
    $c["gated"] == "yes" && ($c["verdict"] == "regression" || $c["verdict"] == "missing") {
      id = $c["arch"] "/" $c["exec"] "/" '"$gate_series_key"'
      name = $c["arch"] "/" $c["primitive"] "/" $c["workload"] "/" $c["metric"]
      kind = $c["test"] == "count" ? "count" : "timing"
      if ($c["verdict"] == "missing") change = "missing from the working tree'"'"'s run"
      else if (kind == "count")
        change = sprintf("%+g instructions (%g -> %g)", $c["median_current"] - $c["median_baseline"],
                         $c["median_baseline"], $c["median_current"])
      else change = sprintf("%+.1f%% (detectable %s)", 100 * $c["change"],
                            $c["detectable"] == "-" ? "-" : sprintf("%+.1f%%", 100 * $c["detectable"]))
      print id, name, kind, change, $c["readers"] "r" $c["updaters"] "u"
    }'
}

# against_ids_regressed IDS: of the series ids IDS (one per line), those that the
# comparison CSV on standard input flags (a gated regression or missing series).
against_ids_regressed() {
  against_failing | cut -f1 | grep -Fx -f <(printf '%s\n' "$1") || true
}

# against_bench REV_B OUT ARGS...: scripts/bench --ab BASE (side B: REV_B, or the working
# tree when empty) into OUT, emptied first, its output to OUT/bench.log. Prints the
# complete run it wrote; returns 2 (printing nothing) when it wrote none.
against_bench() {
  local rev_b=$1 dir=$2 rc=0 run; shift 2
  rm -rf -- "${dir:?}"; mkdir -p "$dir"
  "$(gate_bench_path)" --ab "$AG_BASE" ${rev_b:+--ab-b "$rev_b"} "${config_args[@]}" \
    --out "$dir" "$@" >"$dir/bench.log" 2>&1 || rc=$?
  run=$(gate_complete_run "$dir")
  [ "$rc" -le 1 ] && [ -n "$run" ] || return 2
  echo "$run"
}

# against_bisect_step COMMIT: is COMMIT bad? 1 if it shows one of the bisected series'
# regressions against BASE, 0 if not, 125 (git bisect's "skip") if it cannot be judged
# (it does not build, its run failed). Reads AB_ARGS, AB_IDS, AB_STEPS.
against_bisect_step() {
  local sha run csv rc
  sha=$(git -C "$RCUBENCH_ROOT" rev-parse "$1")
  msg "bisect: judging $(git -C "$RCUBENCH_ROOT" log -1 --format='%h %s' "$sha")" >&2
  run=$(against_bench "$sha" "$AB_STEPS/${sha:0:12}" "${AB_ARGS[@]}") || {
    msg "bisect: ${sha:0:12} cannot be judged (see $AB_STEPS/${sha:0:12}/bench.log): skipped" >&2
    return 125
  }
  rc=0
  csv=$("$REPORT" compare --paired --baseline "$run/a" --current "$run/b" --format csv \
        2>"$run/gate-compare.log") || rc=$?
  if [ "$rc" -gt 1 ]; then
    msg "bisect: ${sha:0:12} cannot be judged: its comparison failed (see $run/gate-compare.log): skipped" >&2
    return 125
  fi
  if [ -n "$(against_ids_regressed "$AB_IDS" <<<"$csv")" ]; then
    msg "bisect: ${sha:0:12} is bad" >&2; return 1
  fi
  msg "bisect: ${sha:0:12} is good" >&2
  return 0
}

# against_bisect FAILING: names the commit that brought the regressions FAILING
# (against_failing lines) into AG_CULPRIT and prints how it was found. By exact counts
# when any count regressed (the counts of that arch alone: seconds per step), else by
# paired A/B runs of the regressed primitives' timings. git bisect runs in a worktree
# of its own, build/ab/bisect, so the working tree is never touched.
against_bisect() {
  local failing=$1 kind arch prims wt log first
  local -a commits
  if ! git -C "$RCUBENCH_ROOT" merge-base --is-ancestor "$AG_BASE" "$AG_HEAD"; then
    echo "Not bisected: the base is not an ancestor of HEAD."; return
  fi
  mapfile -t commits < <(git -C "$RCUBENCH_ROOT" rev-list --first-parent "$AG_BASE..$AG_HEAD")
  if [ "${#commits[@]}" = 0 ]; then
    if [ "$AG_DIRTY" = yes ]; then
      AG_CULPRIT=uncommitted; echo "The range holds no commit: the uncommitted changes brought it."
    else
      echo "Not bisected: the range holds no commit and the working tree has no uncommitted change (the same code on both sides)."
    fi
    return
  fi
  failing=$(awk -F'\t' '$4 !~ /^missing/' <<<"$failing")
  [ -n "$failing" ] || { echo "Not bisected: only missing series (a removed benchmark is named by git log)."; return; }
  if grep -q $'\tcount\t' <<<"$failing"; then
    kind=count
    arch=$(awk -F'\t' '$3 == "count" { split($1, p, "/"); print p[1]; exit }' <<<"$failing")
    failing=$(awk -F'\t' -v a="$arch" '$3 == "count" && index($1, a "/") == 1' <<<"$failing")
    AB_ARGS=(--arch "$arch" --no-timings)
  else
    kind=timing
    AB_ARGS=(--arch "$(host_arch)" --no-insn-counts)
  fi
  AB_IDS=$(cut -f1 <<<"$failing")
  prims=$(cut -f1 <<<"$failing" | cut -d/ -f3 | gate_primitives_list)
  AB_ARGS+=(--primitives "$prims")
  AB_STEPS=$AG_RUN/bisect
  mkdir -p "$AB_STEPS"
  msg "bisect by $([ "$kind" = count ] && echo "exact instruction counts on $arch" || echo "paired A/B timings") of $prims over ${#commits[@]} commit(s)" >&2
  # With uncommitted changes, the working tree is the last candidate: HEAD's commit
  # itself may be good.
  if [ "$AG_DIRTY" = yes ]; then
    first=0; against_bisect_step "$AG_HEAD" || first=$?
    case $first in
      0) AG_CULPRIT=uncommitted
         echo "Culprit: the uncommitted changes (HEAD's commit does not show it; by $kind)."; return ;;
      1) ;;
      *) echo "Not bisected: HEAD's commit could not be judged."; return ;;
    esac
  fi
  if [ "${#commits[@]}" = 1 ]; then
    AG_CULPRIT=${commits[0]}
    echo "Culprit: $(commit_line "$AG_CULPRIT") (the only commit in the range)."; return
  fi
  wt=$RCUBENCH_ROOT/build/ab/bisect
  git -C "$RCUBENCH_ROOT" worktree remove --force "$wt" >/dev/null 2>&1 || true
  git -C "$RCUBENCH_ROOT" worktree prune
  rm -rf -- "$wt"
  git -C "$RCUBENCH_ROOT" worktree add --force --detach "$wt" "$AG_HEAD" >/dev/null 2>&1 ||
    { echo "Not bisected: could not make the worktree $wt."; return; }
  log=$AB_STEPS/git-bisect.log
  export AG_BASE REPORT AB_IDS AB_STEPS
  # The step runs with no config_args of its own: the workload files here, then AB_ARGS,
  # whose --primitives (the regressed ones) wins over the user's, as in the step above.
  AB_ARGS_LINE=$(printf '%q ' "${config_args[@]}" "${AB_ARGS[@]}") && export AB_ARGS_LINE
  {
    git -C "$wt" bisect start --first-parent "$AG_HEAD" "$AG_BASE" &&
    git -C "$wt" bisect run "$RCUBENCH_ROOT/scripts/lib/gate_bisect_step"
  } >"$log" 2>&1 || true
  AG_CULPRIT=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$log" | tail -n 1)
  git -C "$wt" bisect reset >/dev/null 2>&1 || true
  git -C "$RCUBENCH_ROOT" worktree remove --force "$wt" >/dev/null 2>&1 || true
  if [ -n "$AG_CULPRIT" ]; then
    echo "Culprit: $(commit_line "$AG_CULPRIT") (git bisect by $kind over ${#commits[@]} commits; $log)."
  else
    echo "Not bisected: git bisect named no single commit (some could not be judged; $log)."
  fi
}

gate_against() {
  local rc=0 csv failing accepts accepted=() regressions=() unaccepted=() line id name kind change rr
  local pattern reason commit matched n_commits bisect_text= body verdict_line detectable_line
  local insufficient timing_args bench_dir
  config_args=()
  for c in "${configs[@]}"; do config_args+=(--config "$c"); done
  [ -z "$primitives" ] || config_args+=(--primitives "$primitives")
  arch_list=${arch_list:-$(IFS=,; echo "${RCUBENCH_ARCHES_ALL[*]}")}
  ( parse_arch_list "$arch_list" ) 2>/dev/null ||
    could_not_judge "--arch: '$arch_list' is not a list of known arches (${RCUBENCH_ARCHES_ALL[*]})"
  parse_arch_list "$arch_list"
  out_root=${out_root:-$RCUBENCH_ROOT/results}

  AG_BASE=$(git -C "$RCUBENCH_ROOT" rev-parse --verify --quiet "$against^{commit}") ||
    could_not_judge "--against: unknown revision '$against'"
  AG_HEAD=$(git -C "$RCUBENCH_ROOT" rev-parse --verify HEAD)
  [ -z "$(git -C "$RCUBENCH_ROOT" status --porcelain --untracked-files=no)" ] || AG_DIRTY=yes
  n_commits=$(git -C "$RCUBENCH_ROOT" rev-list --count --first-parent "$AG_BASE..$AG_HEAD")
  AG_COMPARED="Compared: base $(commit_line "$AG_BASE") against head $(commit_line "$AG_HEAD")"
  [ "$AG_DIRTY" = no ] || AG_COMPARED+=" with uncommitted changes"
  AG_COMPARED+=", $n_commits commit(s) apart; instruction counts on ${ARCHES[*]}"
  timing_args=()
  [ "$counts_only" = 0 ] || timing_args=(--no-timings)
  case " ${ARCHES[*]} " in
    *" $(host_arch) "*) if [ "$counts_only" = 1 ]; then AG_COMPARED+=", no timings (--counts-only)"
                        else AG_COMPARED+=", paired lockstep timings on $(host_arch) (native)"; fi ;;
    *) AG_COMPARED+=", no timings ($(host_arch), the only native arch here, is not in --arch)" ;;
  esac
  AG_COMPARED+="; workloads: $(for c in "${configs[@]}"; do basename "$c"; done | paste -sd' ' -)."
  accepts=$(gate_accepts "$AG_BASE..$AG_HEAD")
  msg "gate: $AG_COMPARED"

  mkdir -p "$out_root" || could_not_judge "--out: cannot create '$out_root'"
  out_root=$(cd "$out_root" && pwd)
  # A directory of its own: another gate started in the same second keeps its results.
  bench_dir=$(mktemp -d "$out_root/gate-$(date -u +%Y%m%dT%H%M%SZ)-XXXX") ||
    could_not_judge "--out: cannot create a directory in '$out_root'"
  AG_RUN=$(against_bench "" "$bench_dir" --arch "$arch_list" "${timing_args[@]}") ||
    could_not_judge "the A/B run against ${AG_BASE:0:12} failed: $(grep '^error: ' "$bench_dir/bench.log" | tail -n 1 | cut -c8-) (all of its output: $bench_dir/bench.log)"
  rc=0
  csv=$("$REPORT" compare --paired --baseline "$AG_RUN/a" --current "$AG_RUN/b" --format csv \
        2>"$AG_RUN/gate-compare.log") || rc=$?
  [ "$rc" -le 1 ] || could_not_judge "comparing the A/B run failed: $(tail -n 1 "$AG_RUN/gate-compare.log") (all of it: $AG_RUN/gate-compare.log)"
  printf '%s\n' "$csv" >"$AG_RUN/gate.csv"
  verdict_line=$(tail -n 1 "$AG_RUN/compare.txt")
  detectable_line=$(grep '^Detectable change' "$AG_RUN/compare.txt" || true)
  AG_COMPARED+=$'\n\n'"$verdict_line"
  [ -z "$detectable_line" ] || AG_COMPARED+=$'\n\n'"$detectable_line"
  [[ $verdict_line =~ ^([0-9]+)\ gated\ series ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] ||
    could_not_judge "no gated series was compared (see $AG_RUN/compare.txt)"

  failing=$(against_failing <<<"$csv")
  while IFS=$'\t' read -r id name kind change rr; do
    [ -n "$id" ] || continue
    matched=
    while IFS=$'\t' read -r pattern reason commit; do
      [ -n "$pattern" ] || continue
      # shellcheck disable=SC2053  # the pattern is a glob on purpose
      if [[ $name == $pattern ]]; then matched="accepted by ${commit:0:12} (Bench-Accept: $pattern: $reason)"; break; fi
    done <<<"$accepts"
    line="\`$name\` $rr ($kind): $change"
    if [ -n "$matched" ]; then accepted+=("- $line — $matched")
    else regressions+=("- $line"); unaccepted+=("$id"$'\t'"$name"$'\t'"$kind"$'\t'"$change"$'\t'"$rr"); fi
  done <<<"$failing"
  body=
  [ "${#regressions[@]}" = 0 ] || body+="Regressions (${#regressions[@]}):"$'\n'"$(printf '%s\n' "${regressions[@]}")"$'\n'
  [ "${#accepted[@]}" = 0 ] || body+=$'\n'"Accepted regressions (${#accepted[@]}):"$'\n'"$(printf '%s\n' "${accepted[@]}")"$'\n'
  printf '%s\n' "${regressions[@]}" "${accepted[@]}" | grep . || true

  if [ "${#regressions[@]}" -gt 0 ]; then
    if [ "$bisect" = 1 ]; then
      # Only the unaccepted ones are looked for.
      # Not in a command substitution: AG_CULPRIT is set here.
      against_bisect "$(printf '%s\n' "${unaccepted[@]}")" >"$AG_RUN/bisect.txt"
      bisect_text=$(cat "$AG_RUN/bisect.txt")
      echo "$bisect_text"
      body+=$'\n'"$bisect_text"
    fi
    against_finish 1 "${#regressions[@]} regression(s) against ${AG_BASE:0:12}" "$body"
  fi
  insufficient=$(awk -F, "$(gate_columns)"'$c["gated"] == "yes" && $c["verdict"] == "insufficient"' <<<"$csv" | grep -c . || true)
  if [ "$insufficient" -gt 0 ]; then
    could_not_judge "the paired timings had too few pairs to judge $insufficient gated series (insufficient; $AG_RUN/compare.txt)" "$body"
  fi
  if grep -q '^NO POWER' "$AG_RUN/compare.txt"; then
    could_not_judge "the paired timings had too few pairs to flag any change (NO POWER; $AG_RUN/compare.txt)" "$body"
  fi
  reason="no regression against ${AG_BASE:0:12}"
  [ "${#accepted[@]}" = 0 ] || reason+=" (${#accepted[@]} accepted by Bench-Accept)"
  against_finish 0 "$reason" "$body"
}
