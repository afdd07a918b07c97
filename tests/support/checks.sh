# The assertions of the tests that drive scripts end to end (tests/*/check_*.sh). Sourced,
# not run: each check prints "ok: NAME" or "FAIL: NAME" with what differed and counts the
# failures; checks_done ends the test, non-zero if any check failed.
failures=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then echo "ok: $1"
  else printf 'FAIL: %s\n  expected: %q\n  actual:   %q\n' "$1" "$2" "$3"; failures=$((failures + 1)); fi
}
has() {  # has NAME FILE REGEX: FILE holds a line matching REGEX (grep -E)
  if grep -Eq -- "$3" "$2"; then echo "ok: $1"
  else
    printf 'FAIL: %s\n  no line matching %q in %s:\n' "$1" "$3" "$2"
    tail -n 40 "$2" | sed 's/^/  | /'
    failures=$((failures + 1))
  fi
}
hasnt() {  # hasnt NAME FILE REGEX: no line of FILE matches REGEX
  if ! grep -Eq -- "$3" "$2"; then echo "ok: $1"
  else printf 'FAIL: %s\n  a line matches %q in %s\n' "$1" "$3" "$2"; failures=$((failures + 1)); fi
}
checks_done() {
  [ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
  echo "all checks passed"
}
fresh_dir() {  # fresh_dir DIR: DIR emptied (made if missing); prints its absolute path
  rm -rf "$1" && mkdir -p "$1" && (cd "$1" && pwd)
}
