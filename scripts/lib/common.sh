# Shared by the scripts in scripts/: paths, progress lines, arch lists, step logs.
# Sourced, not run.

RCUBENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Dependency cache (git-ignored): sources, per-arch static prefixes, step logs.
RCUBENCH_DEPS=${RCUBENCH_DEPS:-$RCUBENCH_ROOT/.deps}
RCUBENCH_ARCHES_ALL=(x86_64 aarch64 riscv64)
RCUBENCH_T0=$(date +%s)

msg()  { printf '[%4ss] %s\n' "$(( $(date +%s) - RCUBENCH_T0 ))" "$*"; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# parse_arch_list "x86_64,aarch64" -> ARCHES=(x86_64 aarch64); rejects unknown names.
parse_arch_list() {
  local list=$1 a known
  ARCHES=()
  [ -n "$list" ] || die "--arch: empty list (known: ${RCUBENCH_ARCHES_ALL[*]})"
  IFS=, read -r -a ARCHES <<<"$list"
  for a in "${ARCHES[@]}"; do
    known=0
    for k in "${RCUBENCH_ARCHES_ALL[@]}"; do [ "$a" = "$k" ] && known=1; done
    [ $known = 1 ] || die "--arch: unknown arch '$a' (known: ${RCUBENCH_ARCHES_ALL[*]})"
  done
}

# GNU triple of an arch name.
arch_triple() { printf '%s-linux-gnu' "$1"; }

# The host's own arch, to tell native from emulated runs.
host_arch() { uname -m; }

# run_step NAME LOG CMD...: runs CMD with all output in LOG; prints one progress line
# with the elapsed time, and on failure the log's tail and its path.
run_step() {
  local name=$1 log=$2; shift 2
  local t0 rc
  t0=$(date +%s)
  mkdir -p "$(dirname "$log")"
  msg "$name ..."
  # A subshell with errexit of its own: in an `if` condition bash would ignore `set -e`
  # inside the step and carry on past a failed command.
  set +e
  ( set -e; "$@" ) >"$log" 2>&1
  rc=$?
  set -e
  if [ $rc = 0 ]; then
    msg "$name: done in $(( $(date +%s) - t0 ))s"
  else
    printf 'error: %s failed (exit %s); last lines of %s:\n' "$name" "$rc" "$log" >&2
    tail -n 15 "$log" | sed 's/^/  | /' >&2
    printf 'error: %s failed; full log: %s\n' "$name" "$log" >&2
    exit 1
  fi
}

# as_root CMD...: runs CMD as root, through sudo when needed.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else die "need root to run '$*': run this script as root or give this user password-less sudo"
  fi
}

# jobs for make/ninja: the machine's cores.
build_jobs() { nproc 2>/dev/null || echo 2; }
