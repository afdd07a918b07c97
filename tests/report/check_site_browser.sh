#!/usr/bin/env bash
# The site of a smoke run in a real browser: makes a run as scripts/bench does (configs/
# smoke.toml timed in one process, instruction counts under qemu, the CSV, the plots, a
# paired comparison for the gate page, `rcubench-report site`), and a history of it
# (recorded seven times, the last with a planted slowdown; `scripts/history site`),
# renders the pages in headless Chromium and checks, on the DOM Chromium parsed, that every link and image
# resolves to a file of the run, that nothing points off the machine, that every
# registered primitive appears, and that a screenshot of each page is not blank. Negative
# controls: a copy of the site with a dangling link, a missing image, a primitive left out
# and a blank page must each be caught.
#   check_site_browser.sh WORK
#   (RCUBENCH, RCUBENCH_REPORT, QEMU, PLUGIN: the binaries; CHROMIUM: the browser)
# Screenshots stay in WORK/screens/.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/support/checks.sh"
work=$(fresh_dir "$1")
run=$work/20261206T000000Z-smoke
mkdir -p "$run" "$work/screens"
[ -x "${CHROMIUM:-}" ] || { echo "FAIL: no Chromium ('${CHROMIUM:-}'): scripts/setup installs Debian's chromium"; exit 1; }

# --- The run ---------------------------------------------------------------------------
step() {  # step NAME COMMAND...: runs it, output to WORK/NAME.log; the test ends if it fails
  "${@:2}" >"$work/$1.log" 2>&1 || { echo "FAIL: $1 (exit $?): $(tail -n 5 "$work/$1.log")"; exit 1; }
}
step smoke "$RCUBENCH" --config "$root/configs/smoke.toml" \
  "--benchmark_out=$run/x86_64.p0.json" --benchmark_out_format=json
step counts "$QEMU" -plugin "$PLUGIN" "$RCUBENCH" --count-insns --count-reads 2000 \
  --count-updates 200 "--benchmark_out=$run/x86_64-insns.json" --benchmark_out_format=json
step csv "$RCUBENCH_REPORT" csv -o "$run/results.csv" "$run/x86_64.p0.json" "$run/x86_64-insns.json"
step plots env RCUBENCH_REPORT="$RCUBENCH_REPORT" "$root/plots/render.sh" "$run/results.csv" "$run/plots"
# The run against itself: a gate page (one process a side: nothing to flag, said so).
"$RCUBENCH_REPORT" compare --paired --baseline "$run/x86_64.p0.json" --current "$run/x86_64.p0.json" --write "$run/gate" \
  >"$work/compare.log" 2>&1
[ -f "$run/gate/gate.txt" ] || { echo "FAIL: compare --write wrote no gate.txt"; exit 1; }
step site "$RCUBENCH_REPORT" site "$run" --gate "$run/gate"
site=$run/site
check "site prints index.html" "$site/index.html" "$(tail -n 1 "$work/site.log")"

# --- The browser -----------------------------------------------------------------------
# As the machine's closed network wants it: no background connections, a profile of its
# own (docs/site.md).
browser() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --window-size=1280,1600 "$@" 2>>"$work/chromium.log"
}
# page_problems DIR PAGE [raw]: what is wrong with DIR/PAGE as Chromium parses it (raw:
# as the file reads, without a browser), one line each (nothing when all is well): a link
# or image to no file of the site or run, a reference off the machine.
page_problems() {
  local dir=$1 page=$2 dom ref
  if [ "${3:-}" = raw ]; then dom=$(cat "$dir/$page")
  else dom=$(browser --dump-dom "file://$dir/$page") || { echo "$page: Chromium could not load it"; return; }
  fi
  [ -n "$dom" ] || { echo "$page: empty DOM"; return; }
  while read -r ref; do
    [ -n "$ref" ] || continue
    case $ref in
      *://*|//*) echo "$page: points off the machine: $ref" ;;
      *) [ -s "$dir/${ref%%#*}" ] || echo "$page: $ref resolves to no file" ;;
    esac
  done < <(grep -o -E '(href|src)="[^"]*"' <<<"$dom" | sed -E 's/^(href|src)="//; s/"$//' | sort -u)
}
# site_problems DIR: page_problems of every page, and every registered primitive named
# on the overview and in some workload page's table.
site_problems() {
  local dir=$1 page p
  for page in "$dir"/*.html; do page_problems "$dir" "$(basename "$page")"; done
  for p in $primitives; do
    grep -qw -- "$p" "$dir/index.html" || echo "index.html: primitive $p missing"
    # Measured (in some workload's table), or named as registered but not measured.
    grep -q -- "<li>$p (" "$dir/index.html" || grep -lq -- "<td>$p</td>" "$dir"/workload-*.html ||
      echo "no workload page shows $p"
  done
}
# The registered primitives, as rcubench lists them.
primitives=$("$RCUBENCH" --list | awk '/^primitives:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^[a-z]/ { exit }')
check "rcubench --list names the primitives" yes "$([ "$(wc -w <<<"$primitives")" -ge 20 ] && echo yes)"

pages=$(cd "$site" && ls -- *.html)
check "pages: overview, instructions, gate and workloads" yes "$(grep -qx index.html <<<"$pages" &&
  grep -qx instructions.html <<<"$pages" && grep -qx gate.html <<<"$pages" &&
  [ "$(grep -c '^workload-' <<<"$pages")" = "$(grep -c '^\[scenario\.' "$root/configs/smoke.toml")" ] && echo yes)"
problems=$(site_problems "$site")
check "every link and image resolves, every primitive appears" "" "$problems"

# Not blank: a page's screenshot against one of an empty page (same size, same browser);
# PNG compresses a blank page to a fraction of a page with text and plots.
printf '<!DOCTYPE html><html><body></body></html>\n' >"$work/blank.html"
shot() { browser --screenshot="$2" "file://$1" >/dev/null && stat -c %s "$2"; }
blank=$(shot "$work/blank.html" "$work/screens/blank.png")
not_blank() { [ -n "$1" ] && [ -n "$blank" ] && [ "$1" -gt $((blank * 4)) ] && echo yes || echo no; }
for page in $pages; do
  size=$(shot "$site/$page" "$work/screens/${page%.html}.png")
  check "$page: screenshot not blank ($size bytes; blank $blank)" yes "$(not_blank "$size")"
done

# --- A history's site: the run recorded seven times, the last with rcu-memb's reads
# planted at half speed ---------------------------------------------------------------
job=$(uname -m)-native-smoke
hist=$work/history/runs/$job
for k in 1 2 3 4 5 6 7; do
  mkdir -p "$work/runs/$k"
  awk -F, -v OFS=, -v k="$k" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
    { $c["run_id"] = sprintf("2026120%dT040000Z-00000000000%d", k, k)
      $c["date"] = sprintf("2026-12-0%dT04:00:00+00:00", k)
      if (k == 7 && $c["primitive"] == "rcu-memb" && $c["metric"] == "reads_per_s") $c["value"] /= 2
      print }' "$run/results.csv" >"$work/runs/$k/results.csv"
  step "record-$k" "$RCUBENCH_REPORT" record --history "$hist" "$work/runs/$k"
done
step history-site env RCUBENCH_REPORT="$RCUBENCH_REPORT" "$root/scripts/history" site "$work/history" "$work/history-site"
hsite=$work/history-site
check "history site prints index.html" "$hsite/index.html" "$(tail -n 1 "$work/history-site.log")"
# The host's arch: the rcubench under test is built for it.
trend=$job/trend-$(uname -m)-read-side-rcu-memb-r1-u0-reads_per_s.html
# The overviews and the planted series's page in Chromium, every other page as its file.
problems=$(page_problems "$hsite" index.html; page_problems "$hsite/$job" index.html
           page_problems "$hsite/$job" "$(basename "$trend")"
           for f in "$hsite/$job"/*.html; do page_problems "$hsite/$job" "$(basename "$f")" raw; done)
check "history site: every link and image resolves" "" "$problems"
has "history site: the planted run is a regression on the trend page" "$hsite/$trend" \
  '<td>20261207T040000Z-000000000007</td>.*<td>regression</td>'
has "history site: the overview links the trend page" "$hsite/$job/index.html" \
  "href=\"$(basename "$trend")\""
for page in "$job/index.html" "$trend"; do
  size=$(shot "$hsite/$page" "$work/screens/history-$(basename "$(dirname "$page")")-$(basename "${page%.html}").png")
  check "history $page: screenshot not blank ($size bytes)" yes "$(not_blank "$size")"
done

# --- Negative controls -----------------------------------------------------------------
broken=$run/site-broken
cp -r "$site" "$broken"
sed -i 's|</main>|<a href="missing.html">x</a></main>|' "$broken/gate.html"
img=$(grep -o -m 1 'src="[^"]*"' "$broken/index.html" | sed 's/^src="//; s/"$//')
sed -i "s|$img|../plots/no-such-plot.svg|" "$broken/index.html"
victim=$(head -n 1 <<<"$primitives")
sed -i "s|$victim|REMOVED|g" "$broken/index.html"
problems=$(site_problems "$broken")
has "control: a dangling link is caught" <(echo "$problems") '^gate.html: missing.html resolves to no file$'
has "control: a missing image is caught" <(echo "$problems") '^index.html: ../plots/no-such-plot.svg resolves to no file$'
has "control: a primitive left out is caught" <(echo "$problems") "^index.html: primitive $victim missing$"
printf '<!DOCTYPE html><html><body><a href="https://example.invalid/x">x</a></body></html>\n' >"$broken/off.html"
has "control: a reference off the machine is caught" <(page_problems "$broken" off.html) '^off.html: points off the machine'
# The overview with its content taken out: the same page, nothing on it.
sed -z 's|<main>.*</main>|<main></main>|; s|<nav>.*</nav>|<nav></nav>|' "$site/index.html" >"$broken/emptied.html"
check "control: a page emptied of its content is judged blank" no "$(not_blank "$(shot "$broken/emptied.html" "$work/screens/emptied.png")")"
checks_done
