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
# (it does not build, its run failed). Reads AB_ARGS, AB_IDS (a file of series ids),
# AB_STEPS.
against_bisect_step() {
  local sha run rc
  sha=$(git -C "$RCUBENCH_ROOT" rev-parse "$1")
  msg "bisect: judging $(git -C "$RCUBENCH_ROOT" log -1 --format='%h %s' "$sha")" >&2
  run=$(against_bench "$sha" "$AB_STEPS/${sha:0:12}" "${AB_ARGS[@]}") || {
    msg "bisect: ${sha:0:12} cannot be judged (see $AB_STEPS/${sha:0:12}/bench.log): skipped" >&2
    return 125
  }
  rc=0
  "$REPORT" compare --paired --baseline "$run/a" --current "$run/b" --write "$run/gate" \
    >"$run/gate-compare.log" 2>&1 || rc=$?
  if [ "$rc" -gt 1 ]; then
    msg "bisect: ${sha:0:12} cannot be judged: its comparison failed (see $run/gate-compare.log): skipped" >&2
    return 125
  fi
  if grep -Fxq -f "$AB_IDS" "$run/gate/failing.txt"; then
    msg "bisect: ${sha:0:12} is bad" >&2; return 1
  fi
  msg "bisect: ${sha:0:12} is good" >&2
  return 0
}

# against_bisect GATE: names the commit that brought the regressions of GATE (the
# directory `rcubench-report compare --write` wrote) into AG_CULPRIT and prints how it
# was found, by the plan in GATE/gate.txt: exact counts of one arch where counts moved,
# else paired A/B runs of the regressed primitives' timings. git bisect runs in a
# worktree of its own, build/ab/bisect, so the working tree is never touched.
against_bisect() {
  local gate=$1 kind arch prims wt log first
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
  kind=$(gate_value "$gate/gate.txt" bisect_by)
  arch=$(gate_value "$gate/gate.txt" bisect_arch)
  prims=$(gate_value "$gate/gate.txt" bisect_primitives)
  case $kind in
    count) AB_ARGS=(--arch "$arch" --no-timings) ;;
    timing) AB_ARGS=(--arch "$(host_arch)" --no-insn-counts) ;;
    *) echo "Not bisected: only missing series (a removed benchmark is named by git log)."; return ;;
  esac
  AB_IDS=$gate/bisect-ids.txt
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
  local rc=0 accepts n_commits gate status reason body timing_args bench_dir
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
  # One comparison judges it (src/report/gate.h): findings, accepted ones, suspects, the
  # bisection plan and the status, all in $gate.
  gate=$AG_RUN/gate
  printf '%s' "${accepts:+$accepts$'\n'}" >"$AG_RUN/accepts.tsv"
  rc=0
  "$REPORT" compare --paired --baseline "$AG_RUN/a" --current "$AG_RUN/b" \
    --accepts "$AG_RUN/accepts.tsv" --write "$gate" >"$AG_RUN/gate-compare.log" 2>&1 || rc=$?
  [ "$rc" -le 1 ] || could_not_judge "comparing the A/B run failed: $(tail -n 1 "$AG_RUN/gate-compare.log") (all of it: $AG_RUN/gate-compare.log)"
  # Side B's site shows this verdict (Bench-Accept applied), not the bench's own.
  "$REPORT" site "$AG_RUN/b" --gate "$gate" >"$AG_RUN/site.log" 2>&1 ||
    printf 'warning: the site of %s was not made: %s\n' "$AG_RUN/b" "$(tail -n 1 "$AG_RUN/site.log")" >&2
  AG_COMPARED+=$'\n\n'"$(gate_value "$gate/gate.txt" verdict)"
  [ -z "$(gate_value "$gate/gate.txt" detectable)" ] ||
    AG_COMPARED+=$'\n\n'"$(gate_value "$gate/gate.txt" detectable)"
  body=$(cat "$gate/findings.md")
  [ -z "$body" ] || printf '%s\n' "$body"
  status=$(gate_value "$gate/gate.txt" status)
  reason=$(gate_value "$gate/gate.txt" reason)
  case $status in
    fail)
      if [ "$bisect" = 1 ]; then
        # Not in a command substitution: AG_CULPRIT is set here.
        against_bisect "$gate" >"$AG_RUN/bisect.txt"
        cat "$AG_RUN/bisect.txt"
        body+=$'\n\n'"$(cat "$AG_RUN/bisect.txt")"
      fi
      against_finish 1 "$reason against ${AG_BASE:0:12}" "$body" ;;
    pass) against_finish 0 "$reason against ${AG_BASE:0:12}" "$body" ;;
    *) could_not_judge "$reason ($gate/compare.txt)" "$body" ;;
  esac
}
