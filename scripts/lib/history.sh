# The benchmark history kept in a git branch of the repository (scripts/history, scripts/ci).
# Sourced after common.sh, not run.
#
# Why a branch: a cache is evicted after days unused and cannot be written by one job and
# read by another reliably; a branch is durable, reviewable and append-only by
# construction (every record is a fast-forward commit that only adds files). Layout:
#
#   README.md          what the branch is
#   runs/<job>/        rcubench-report record --history: one file per recorded run
#   index/<job>.tsv    one line per recorded run, in the order they were pushed:
#                      run_id commit verdict date fingerprint accepted
#
# <job> names the CI job that measured the run, e.g. x86_64-native-ubuntu-24.04. The
# index sits outside runs/<job>/ so that the report tool never reads it as a run. A
# verdict is pass, fail or accepted (passed thanks to Bench-Accept trailers); only pass
# and accepted runs are bases for later pushes.

HISTORY_BRANCH=${RCUBENCH_HISTORY_BRANCH:-bench-history}
HISTORY_REMOTE=${RCUBENCH_HISTORY_REMOTE:-origin}
# The local ref the branch is fetched into (private: never a branch of its own).
HISTORY_REF=refs/rcubench/history
HISTORY_INDEX_HEADER=$'run_id\tcommit\tverdict\tdate\tfingerprint\taccepted'

history_fail() { printf 'error: %s\n' "$*" >&2; exit 2; }

# history_check_job JOB: a job name usable as a file name, else exit 2.
history_check_job() {
  [[ $1 =~ ^[A-Za-z0-9_+][A-Za-z0-9._+-]*$ ]] ||
    history_fail "--job: '$1' is no job name (letters, digits, '.', '_', '+', '-'; not starting with '.' or '-')"
}

# history_fetch: fetches the history branch of the remote into HISTORY_REF. Returns 0 when
# the branch exists, 1 when it does not (yet: HISTORY_REF is then removed); exit 2 when
# the remote cannot be read.
history_fetch() {
  local rc=0
  git ls-remote --exit-code --heads "$HISTORY_REMOTE" "refs/heads/$HISTORY_BRANCH" >/dev/null || rc=$?
  if [ "$rc" = 2 ]; then
    git update-ref -d "$HISTORY_REF" 2>/dev/null || true
    return 1
  fi
  [ "$rc" = 0 ] || history_fail "cannot read remote '$HISTORY_REMOTE' (git ls-remote exit $rc)"
  git fetch --quiet --no-tags "$HISTORY_REMOTE" "+refs/heads/$HISTORY_BRANCH:$HISTORY_REF" ||
    history_fail "cannot fetch branch '$HISTORY_BRANCH' from '$HISTORY_REMOTE'"
}

# history_extract DIR: the files of HISTORY_REF into DIR (created; must be empty).
history_extract() {
  mkdir -p "$1"
  git archive --format=tar "$HISTORY_REF" | tar -x -C "$1"
}

# history_index JOB: the index lines of JOB from HISTORY_REF (no header), oldest first.
history_index() {
  git show "$HISTORY_REF:index/$1.tsv" 2>/dev/null | tail -n +2 || true
}

# history_base JOB HEAD: prints the commit of the newest recorded run of JOB whose verdict
# is pass or accepted and whose commit is a proper ancestor of HEAD; returns 1 with the
# reason on stderr when there is none. HISTORY_REF must have been fetched (or be absent).
history_base() {
  local job=$1 head=$2 lines commit verdict n=0 failed=0 foreign=0
  if ! git rev-parse --verify --quiet "$HISTORY_REF" >/dev/null; then
    echo "no history yet: branch '$HISTORY_BRANCH' does not exist on '$HISTORY_REMOTE'" >&2
    return 1
  fi
  lines=$(history_index "$job")
  if [ -z "$lines" ]; then
    echo "no recorded run of job '$job' in branch '$HISTORY_BRANCH'" >&2
    return 1
  fi
  # Each newer run passed over is named on stderr ("note: ..."), so that a summary can
  # say why the base is older than the last record (a failed run, a force push).
  while IFS=$'\t' read -r _ commit verdict _; do
    n=$((n + 1))
    case $verdict in
      pass|accepted) ;;
      *) failed=$((failed + 1))
         [ "$n" -gt 10 ] || echo "note: passed over ${commit:0:12}: its run's verdict was $verdict" >&2
         continue ;;
    esac
    if [ "$commit" = "$head" ]; then
      [ "$n" -gt 10 ] || echo "note: passed over ${commit:0:12}: it is HEAD itself (a run again of a recorded commit)" >&2
    elif git cat-file -e "$commit^{commit}" 2>/dev/null &&
       git merge-base --is-ancestor "$commit" "$head" 2>/dev/null; then
      echo "$commit"
      return 0
    else
      [ "$n" -gt 10 ] || echo "note: passed over ${commit:0:12} ($verdict): not an ancestor of HEAD (force-pushed away, or another branch)" >&2
    fi
    foreign=$((foreign + 1))
  done < <(tac <<<"$lines")
  echo "none of the $n recorded runs of job '$job' is a base: $failed failed, $foreign passed at a commit that is not a proper ancestor of HEAD (${head:0:12})" >&2
  return 1
}

# history_csv_field FILE COLUMN: the value of COLUMN in the first data row of a results
# CSV, or nothing when the column is absent.
history_csv_field() {
  awk -F, -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; if (!c) exit; next }
    { print $c; exit }' "$1"
}

# history_check_run RUN: exit 2 unless RUN is a complete run directory: not (inside) one
# scripts/bench left as <name>.incomplete, and holding a results.csv with a header, at
# least one row and a final newline.
history_check_run() {
  local run=$1 abs csv
  [ -d "$run" ] || history_fail "no such run directory '$run'"
  abs=$(cd "$run" && pwd -P)
  case "$abs/" in
    */*.incomplete/*) history_fail "'$run' is an incomplete run (scripts/bench left it as <name>.incomplete): not recorded" ;;
  esac
  csv=$run/results.csv
  [ -s "$csv" ] || history_fail "'$run' has no results.csv: not a complete run, not recorded"
  head -n 1 "$csv" | grep -q '^run_id,' ||
    history_fail "'$csv' has no results header (run_id,...): not recorded"
  [ "$(wc -l <"$csv")" -ge 2 ] && [ -z "$(tail -c 1 "$csv")" ] ||
    history_fail "'$csv' is cut short (no rows, or no final newline): not recorded"
}

# history_oneline TEXT: TEXT on one index field (tabs and newlines to spaces, '-' if empty).
history_oneline() {
  local s
  s=$(tr '\t\n' '  ' <<<"$1" | sed 's/  *$//')
  echo "${s:--}"
}

# history_fingerprint CSV: the machine fingerprint of a run (results CSV): that of its
# native (or remote: a board's) timings, else of its first row; nothing when the CSV has no fingerprint column.
history_fingerprint() {
  # Counted from the end of the row: a quoted cpu_model may hold commas, the columns
  # after it do not.
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "fingerprint") f = i; if ($i == "exec") e = i }
                     if (!f) exit; back = NF - f; next }
           first == "" { first = $(NF - back) } $e == "native" || $e == "remote" { print $(NF - back); done = 1; exit }
           END { if (!done && first != "") print first }' "$1"
}
