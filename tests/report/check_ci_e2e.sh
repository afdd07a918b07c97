#!/usr/bin/env bash
# End to end test of the CI workflow's logic (scripts/ci, scripts/history, scripts/gate
# --against) on a throwaway repository: a bare origin and a clone holding this project's
# scripts and a bench.txt that a stand-in for scripts/bench (bench_standin_repo.sh) reads
# from each side's commit, so no build and no benchmark run. It plays a sequence of pushes
# to main as the workflow runs them (scripts/ci --prepare in the arch job, scripts/history
# push in the record job) and checks every verdict, exit code, base, record and summary:
#
#   first commit (no parent: exit 2) | a normal commit (no history: against its parent,
#   pass, recorded) | a planted slowdown whose run was cancelled, then a normal push
#   (fails against the last recorded commit, names the slowdown and its commit; recorded
#   as fail) | the revert (pass: a failed run is no base) | a force push (the base falls
#   back to the newest recorded ancestor, the summary says which was passed over) | a
#   removed primitive (missing: fail) and a Bench-Accept trailer (pass, recorded as
#   accepted with the trailer) | another CPU model (verdict from --against; no recorded
#   run shares its fingerprint) | a bench that fails (exit 2, summary, not recorded) | a
#   pull request (merge base; never recorded) | two records racing (the later re-applies)
#
#   check_ci_e2e.sh WORK   (RCUBENCH_REPORT: the report tool)
set -uo pipefail
work=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/support/checks.sh"
: "${RCUBENCH_REPORT:?RCUBENCH_REPORT: the report tool}"
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
t0=$(date +%s)

# --- the throwaway repository --------------------------------------------------------
export GIT_AUTHOR_NAME=e2e GIT_AUTHOR_EMAIL=e2e@example.invalid GIT_COMMITTER_NAME=e2e \
  GIT_COMMITTER_EMAIL=e2e@example.invalid GIT_CONFIG_NOSYSTEM=1 HOME=$work
unset GITHUB_STEP_SUMMARY RCUBENCH_HISTORY_BRANCH RCUBENCH_HISTORY_REMOTE RCUBENCH_GATE
git init -q --bare "$work/origin.git"
git -C "$work/origin.git" symbolic-ref HEAD refs/heads/main
git clone -q "$work/origin.git" "$work/repo" 2>/dev/null
repo=$work/repo
mkdir -p "$repo/configs"
cp -r "$root/scripts" "$repo/"
cp "$root/configs/ci.toml" "$repo/configs/"
printf 'results/\nbuild/\n' >"$repo/.gitignore"
printf 'rcu-memb 1.0 100\nrwlock-pthread 1.0 200\narc-swap 1.0 150\n' >"$repo/bench.txt"
git -C "$repo" checkout -q -b main
git -C "$repo" add -A && git -C "$repo" commit -qm "c0: the project"
export RCUBENCH_BENCH=$root/tests/report/bench_standin_repo.sh STANDIN_REPO=$repo
export STANDIN_LOG=$work/standin.log RCUBENCH_REPORT
job=x86_64-native-e2e

# commit MESSAGE [SED]: a commit on main (bench.txt edited by SED, else a note file).
commit() {
  if [ -n "${2:-}" ]; then sed -i "$2" "$repo/bench.txt"; else echo "$1" >>"$repo/notes.txt"; fi
  git -C "$repo" add -A && git -C "$repo" commit -qm "$1"
  git -C "$repo" rev-parse HEAD
}
# ci NAME ARGS...: scripts/ci of the clone into $work/NAME/ (summary.md, prepared/),
# its output in NAME/ci.log; prints its exit code.
ci() {
  local name=$1; shift
  mkdir -p "$work/$name"
  (cd "$repo" && scripts/ci --out "$work/$name/results" --summary "$work/$name/summary.md" \
    --arch x86_64 "$@") >"$work/$name/ci.log" 2>&1
  echo $?
}
# push_run NAME: what the workflow does on a push to main: the arch job (scripts/ci
# --prepare), then the record job (scripts/history push) if it prepared a run. Prints
# the arch job's exit code.
push_run() {
  local name=$1 rc
  git -C "$repo" push -q --force origin main 2>/dev/null
  rc=$(ci "$name" --event push --job "$job" --prepare "$work/$name/prepared")
  if [ -d "$work/$name/prepared" ]; then
    (cd "$repo" && scripts/history push "$work/$name/prepared") >>"$work/$name/ci.log" 2>&1 ||
      echo "record job failed: $(tail -n 1 "$work/$name/ci.log")" >&2
  fi
  echo "$rc"
}
verdict() { sed -n "s/^$2=//p" "$work/$1/results/gate.verdict"; }
# index: the history's index of the job, as on origin.
index() { git -C "$work/origin.git" show "bench-history:index/$job.tsv" 2>/dev/null | tail -n +2; }
index_field() { index | awk -F'\t' -v c="$1" -v n="$2" 'substr($2, 1, 12) == substr(c, 1, 12) { print $n }' | tail -n 1; }

# 1. The very first commit: no history and no parent: nothing to compare with.
c0=$(git -C "$repo" rev-parse HEAD)
check "first commit: exit 2" 2 "$(push_run first)"
has "first commit: summary says why" "$work/first/summary.md" "Nothing was judged.*no parent"
check "first commit: not recorded" "" "$(index)"

# 2. A normal commit: no recorded base yet, so its parent, said loudly; passes, recorded.
c1=$(commit "c1: docs")
check "normal: exit 0" 0 "$(push_run normal)"
check "normal: judged against its parent" "$c0" "$(verdict normal base)"
has "normal: summary says there was no recorded base" "$work/normal/summary.md" "No recorded base: compared with the parent commit only"
has "normal: summary says what was compared" "$work/normal/summary.md" "Compared: base .*${c0:0:7}"
has "normal: summary gives the detectable size" "$work/normal/summary.md" "Detectable change"
check "normal: recorded as pass" pass "$(index_field "$c1" 3)"
check "normal: run file in runs/$job/" 1 "$(git -C "$work/origin.git" ls-tree --name-only "bench-history:runs/$job" | grep -c .)"

# 3. A planted slowdown whose run was cancelled (never recorded), then a normal push:
# judged against the last recorded commit, the slowdown is in the range and fails,
# naming the primitive and the commit.
c2=$(commit "c2: slow rcu-memb down" 's/^rcu-memb 1.0/rcu-memb 0.7/')
git -C "$repo" push -q origin main
c3=$(commit "c3: docs")
check "after a cancelled run: exit 1" 1 "$(push_run cancelled)"
check "after a cancelled run: base is the last recorded commit" "$c1" "$(verdict cancelled base)"
has "after a cancelled run: summary names rcu-memb" "$work/cancelled/summary.md" "x86_64/rcu-memb/read-side/reads_per_s"
hasnt "after a cancelled run: nothing else named" "$work/cancelled/summary.md" "x86_64/(arc-swap|rwlock-pthread)/"
check "after a cancelled run: culprit is the slowdown's commit" "$c2" "$(verdict cancelled culprit)"
check "bisection: no GIT_DIR reaches the bench" "" "$(grep '^GIT_DIR set' "$STANDIN_LOG")"
has "after a cancelled run: summary lists the range" "$work/cancelled/summary.md" "Range: 2 commit"
check "after a cancelled run: recorded as fail" fail "$(index_field "$c3" 3)"

# 4. The revert: a failed run is no base, so the base is still c1, and it passes.
c4=$(commit "c4: revert the slowdown" 's/^rcu-memb 0.7/rcu-memb 1.0/')
check "revert: exit 0" 0 "$(push_run revert)"
check "revert: base is still the last pass" "$c1" "$(verdict revert base)"
has "revert: summary says the failed run was passed over" "$work/revert/summary.md" "passed over ${c3:0:12}: its run's verdict was fail"
check "revert: recorded as pass" pass "$(index_field "$c4" 3)"

# 5. A force push drops c2..c4: c4, the newest recorded pass, is no ancestor any more;
# the base falls back to c1, and the summary says c4 was passed over.
git -C "$repo" reset -q --hard "$c1"
c5=$(commit "c5: docs, rewritten history")
check "force push: exit 0" 0 "$(push_run force)"
check "force push: base is the newest recorded ancestor" "$c1" "$(verdict force base)"
has "force push: summary names the commit passed over" "$work/force/summary.md" "passed over ${c4:0:12} \(pass\): not an ancestor of HEAD"
check "force push: history base agrees" "$c1" "$(cd "$repo" && scripts/history base --job "$job" 2>/dev/null)"

# 6. A removed primitive: its series goes missing, which fails; then the same with a
# Bench-Accept trailer: passes, recorded as accepted, the trailer stored.
c6=$(commit "c6: retire arc-swap" '/^arc-swap /d')
check "removed primitive: exit 1" 1 "$(push_run removed)"
has "removed primitive: summary names the missing series" "$work/removed/summary.md" "x86_64/arc-swap/read-side/reads_per_s.*missing"
check "removed primitive: recorded as fail" fail "$(index_field "$c6" 3)"
echo "c7" >>"$repo/notes.txt"
git -C "$repo" add -A
git -C "$repo" commit -qm "c7: arc-swap is gone on purpose" -m "Bench-Accept: */arc-swap/*: arc-swap retired in c6"
c7=$(git -C "$repo" rev-parse HEAD)
check "accepted: exit 0" 0 "$(push_run accepted)"
check "accepted: base is the last pass" "$c5" "$(verdict accepted base)"
has "accepted: summary lists the trailer" "$work/accepted/summary.md" "Bench-Accept in the range: \`\*/arc-swap/\*: arc-swap retired in c6\`"
has "accepted: summary says it was accepted" "$work/accepted/summary.md" "accepted"
check "accepted: recorded as accepted" accepted "$(index_field "$c7" 3)"
check "accepted: trailer stored with the run" "*/arc-swap/*: arc-swap retired in c6" "$(index_field "$c7" 6)"
c8=$(commit "c8: docs")
check "after the accepted run: exit 0" 0 "$(push_run after-accept)"
check "after the accepted run: it is the base" "$c7" "$(verdict after-accept base)"

# 7. Another CPU model: the verdict still comes from --against (both sides measured
# now); a slowdown there still fails. With fingerprints, no recorded run shares its own.
export STANDIN_CPU="Stand-in CPU B"
c9=$(commit "c9: docs")
check "other CPU: exit 0" 0 "$(push_run other-cpu)"
check "other CPU: base is the last pass" "$c8" "$(verdict other-cpu base)"
has "other CPU: no recorded run shares its fingerprint" "$work/other-cpu/summary.md" "History: [0-9]+ recorded run\(s\) of \`$job\`, 0 with this run's machine fingerprint"
has "normal CPU: runs share the fingerprint" "$work/after-accept/summary.md" "with this run's machine fingerprint"
hasnt "normal CPU: not zero" "$work/after-accept/summary.md" ", 0 with this run's machine fingerprint"
c10=$(commit "c10: slow rwlock down" 's/^rwlock-pthread 1.0/rwlock-pthread 0.6/')
check "other CPU, slowdown: exit 1" 1 "$(push_run other-cpu-slow)"
has "other CPU, slowdown: names rwlock-pthread" "$work/other-cpu-slow/summary.md" "x86_64/rwlock-pthread/read-side/reads_per_s"
check "other CPU, slowdown: culprit is the only commit" "$c10" "$(verdict other-cpu-slow culprit)"
unset STANDIN_CPU
git -C "$repo" reset -q --hard "$c9"

# 8. A bench that fails: the gate cannot judge: exit 2, a summary saying so, nothing
# recorded (the commits stay in the next push's range).
before=$(index | wc -l)
c11=$(commit "c11: docs")
check "failed bench: exit 2" 2 "$(STANDIN_FAIL=1 push_run bench-fails)"
has "failed bench: summary says it could not judge" "$work/bench-fails/summary.md" "could not judge"
has "failed bench: summary says it was not recorded" "$work/bench-fails/summary.md" "Not recorded"
check "failed bench: not recorded" "$before" "$(index | wc -l)"

# 9. A pull request: judged against its merge base with main, whatever the history;
# never recorded.
git -C "$repo" push -q --force origin main
git -C "$repo" checkout -q -b topic
c12=$(commit "c12: slow rcu-memb down on a branch" 's/^rcu-memb 1.0/rcu-memb 0.5/')
git -C "$repo" fetch -q origin
check "pull request: exit 1" 1 "$(ci pr --event pull_request --base-branch main)"
check "pull request: base is the merge base" "$c11" "$(verdict pr base)"
check "pull request: head is the branch" "$c12" "$(verdict pr head)"
has "pull request: summary says how the base was chosen" "$work/pr/summary.md" "merge base of this pull request with \`main\`"
check "pull request: --prepare refused" 2 "$(ci pr-record --event pull_request --base-branch main --prepare "$work/pr-record/prepared")"
has "pull request: summary says why" "$work/pr-record/summary.md" "never recorded"
check "pull request: nothing prepared" "" "$(ls -A "$work/pr-record/prepared" 2>/dev/null)"
git -C "$repo" checkout -q main

# 10. Bad input: one clear error, exit 2, and the summary still written.
check "bad event: exit 2" 2 "$(ci bad-event --event pull --job "$job")"
has "bad event: summary names it" "$work/bad-event/summary.md" "'pull' is not pull_request"
check "no job: exit 2" 2 "$(ci no-job --event push)"
has "no job: summary says so" "$work/no-job/summary.md" "needs --job"

# 11. Two records racing: another record job pushes between this one's fetch and push
# (a pre-push hook of the clone plays it); the push is rejected, re-applied on the new
# tip, and both runs end in the index.
git clone -q "$work/origin.git" "$work/other" 2>/dev/null
mkdir -p "$work/race"
run=$(verdict after-accept run)
(cd "$repo" && scripts/history prepare --job race-a --verdict pass --commit "$c8" "$run/b" "$work/race/a") >/dev/null 2>&1
(cd "$repo" && scripts/history prepare --job race-b --verdict pass --commit "$c8" "$run/b" "$work/race/b") >/dev/null 2>&1
cat >"$repo/.git/hooks/pre-push" <<EOF
#!/bin/sh
[ -e "$work/race/raced" ] && exit 0
touch "$work/race/raced"
cd "$repo" && scripts/history push "$work/race/b" >/dev/null 2>&1
exit 0
EOF
chmod +x "$repo/.git/hooks/pre-push"
(cd "$repo" && scripts/history push "$work/race/a") >"$work/race/push.log" 2>&1
check "race: push exit 0" 0 $?
rm -f "$repo/.git/hooks/pre-push"
has "race: the rejected push was re-applied" "$work/race/push.log" "push rejected: bench-history moved on; re-applying"
check "race: both runs recorded" "race-a race-b" "$(git -C "$work/origin.git" ls-tree --name-only bench-history:index | grep race | sed 's/.tsv$//' | paste -sd' ' -)"
check "race: the branch only grew (fast-forwards)" "" "$(git -C "$work/origin.git" rev-list --merges bench-history)"

# 12. Only complete runs are recorded: one clear error, exit 2, nothing pushed.
mkdir -p "$work/bad/x.incomplete/b" "$work/bad/cut"
cp "$run/b/results.csv" "$work/bad/x.incomplete/b/"
head -c 200 "$run/b/results.csv" >"$work/bad/cut/results.csv"
tip=$(git -C "$work/origin.git" rev-parse bench-history)
record() { (cd "$repo" && scripts/history record --job "$job" --verdict pass "$1") >"$work/bad/out.txt" 2>&1; echo $?; }
check "incomplete run: exit 2" 2 "$(record "$work/bad/x.incomplete/b")"
has "incomplete run: says so" "$work/bad/out.txt" "^error: .*x.incomplete/b. is an incomplete run"
check "cut results.csv: exit 2" 2 "$(record "$work/bad/cut")"
has "cut results.csv: says so" "$work/bad/out.txt" "^error: .*results.csv. is cut short"
check "no results.csv: exit 2" 2 "$(record "$work/bad")"
check "bad verdict: exit 2" 2 "$(cd "$repo" && scripts/history record --job "$job" --verdict maybe "$run/b" >"$work/bad/out.txt" 2>&1; echo $?)"
has "bad verdict: names it" "$work/bad/out.txt" "^error: --verdict: .maybe. is not pass, fail or accepted"
check "nothing pushed by refused records" "$tip" "$(git -C "$work/origin.git" rev-parse bench-history)"

# 13. A gate that dies before it writes a verdict: exit 2, the summary says so and quotes
# its output, and nothing is kept for the history.
printf '#!/bin/sh\necho "gate stand-in: died"; exit 3\n' >"$work/dead-gate.sh" && chmod +x "$work/dead-gate.sh"
check "dead gate: exit 2" 2 "$(RCUBENCH_GATE=$work/dead-gate.sh ci dead-gate --event push --job "$job" --prepare "$work/dead-gate/prepared")"
has "dead gate: summary says no verdict was written" "$work/dead-gate/summary.md" "with no verdict written"
has "dead gate: summary quotes its output" "$work/dead-gate/summary.md" "gate stand-in: died"
has "dead gate: summary says it was not recorded" "$work/dead-gate/summary.md" "Not recorded in .bench-history.: the gate gave no verdict"
check "dead gate: nothing prepared" no "$([ -d "$work/dead-gate/prepared" ] && echo yes || echo no)"

# Every summary is non-empty, whatever happened.
for s in "$work"/*/summary.md; do
  [ -s "$s" ] || { echo "FAIL: empty summary $s"; failures=$((failures + 1)); }
done
echo "summaries: $(ls "$work"/*/summary.md | wc -l), all non-empty unless said above"
echo "e2e time: $(( $(date +%s) - t0 ))s"

checks_done
