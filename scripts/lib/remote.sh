# shellcheck shell=bash
# Running the cross-built binaries on a board over SSH (scripts/bench --remote,
# scripts/test --remote, scripts/lib/ssh_emulator). Sourced after common.sh, not run.
#
# A board needs sshd and a POSIX shell, nothing else: the aarch64 and riscv64 binaries
# are static. What runs there is copied into ~/.cache/rcubench/<hash>-<arch>/, reused while
# the content is the same, and nothing else of the board's is touched. The OpenSSH client
# runs in batch mode (no password prompt: a key or an agent), with keep-alives that end a
# lost connection within a minute. RCUBENCH_SSH is the client command, with options of
# its own (default `ssh`; e.g. `ssh -F $HOME/boards.conf`); a HOST is whatever that client
# takes: a ~/.ssh/config alias, user@host, or ssh://user@host:port.

# The client and its fixed options, as an array. Connections to one board share one
# when a master connection is open (remote_master_start: scripts/test opens one, as a
# test suite connects hundreds of times); otherwise each connects on its own. The socket
# directory is short: a socket path has at most 107 bytes.
REMOTE_SOCKETS=/tmp/rcb-$(id -u)
# ssh takes the first value given for an option: the master's ControlMaster=yes cannot
# follow the others' ControlMaster=no, so each array has its own.
remote_ssh_command() {
  local -a cmd
  mkdir -p "$REMOTE_SOCKETS" && chmod 700 "$REMOTE_SOCKETS"
  read -r -a cmd <<<"${RCUBENCH_SSH:-ssh}"
  local -a options=(-o BatchMode=yes -o ConnectTimeout=15 -o ServerAliveInterval=15
                    -o ServerAliveCountMax=4 -o LogLevel=ERROR -o "ControlPath=$REMOTE_SOCKETS/%C")
  REMOTE_SSH=("${cmd[@]}" -o ControlMaster=no "${options[@]}")
  REMOTE_SSH_MASTER=("${cmd[@]}" -o ControlMaster=yes -o ControlPersist=yes "${options[@]}")
}

# remote_master_start HOST / remote_master_stop HOST: the connection to HOST that the
# others share.
remote_master_start() {
  "${REMOTE_SSH_MASTER[@]}" -N -f "$1" </dev/null ||
    remote_fail "$1" "cannot open a connection to share"
}
remote_master_stop() { "${REMOTE_SSH[@]}" -O exit "$1" >/dev/null 2>&1 || true; }

# sh_quote WORD...: each word quoted for a POSIX shell (the board's login shell), joined
# by spaces.
sh_quote() {
  local w out=()
  for w in "$@"; do out+=("'${w//\'/\'\\\'\'}'"); done
  printf '%s' "${out[*]}"
}

# remote_sh HOST SCRIPT: runs SCRIPT in the board's shell, standard input passed on.
remote_sh() { "${REMOTE_SSH[@]}" "$1" "$2"; }

# remote_parse SPEC: "ARCH=HOST[,ARCH=HOST...]" into REMOTE_HOST[ARCH] (declared by the
# caller: declare -A REMOTE_HOST). Dies naming the bad part.
remote_parse() {
  local spec=$1 part a h k known
  local -a parts
  [ -n "$spec" ] || die "--remote: empty (ARCH=HOST[,ARCH=HOST...])"
  IFS=, read -r -a parts <<<"$spec"
  for part in "${parts[@]}"; do
    [[ $part == *=* ]] || die "--remote: '$part' is not ARCH=HOST"
    a=${part%%=*} h=${part#*=}
    known=0
    for k in "${RCUBENCH_ARCHES_ALL[@]}"; do [ "$a" = "$k" ] && known=1; done
    [ "$known" = 1 ] || die "--remote: unknown arch '$a' in '$part' (known: ${RCUBENCH_ARCHES_ALL[*]})"
    [ -n "$h" ] && [[ $h != *[[:space:]]* ]] || die "--remote: '$part' has no host (ARCH=HOST)"
    [ -z "${REMOTE_HOST[$a]:-}" ] || die "--remote: $a is given twice"
    REMOTE_HOST[$a]=$h
  done
}

# remote_fail HOST WHAT: the one error for a board check, exit 2.
remote_fail() { printf 'error: --remote %s: %s\n' "$1" "$2" >&2; exit 2; }

# remote_check ARCH HOST BYTES: the board answers, is ARCH, and has BYTES free in its
# home directory (where ~/.cache/rcubench goes). Exit 2 naming the host otherwise.
remote_check() {
  local a=$1 h=$2 bytes=$3 out err err_line rc=0 machine free_kb
  err=$(mktemp)
  # Standard output alone is parsed: a login shell's warnings go to standard error.
  out=$(remote_sh "$h" 'uname -m && df -Pk . | awk '\''NR == 2 { print $4 }'\''' </dev/null 2>"$err") || rc=$?
  err_line=$(tail -n 1 "$err"); rm -f "$err"
  [ "$rc" = 0 ] || remote_fail "$a=$h" "cannot run a command there (ssh exit $rc): $err_line"
  machine=$(sed -n 1p <<<"$out") free_kb=$(sed -n 2p <<<"$out")
  [ "$machine" = "$a" ] ||
    remote_fail "$a=$h" "the board is $machine (uname -m), not $a: name the arch it is"
  [[ $free_kb =~ ^[0-9]+$ ]] || remote_fail "$a=$h" "cannot read the free space of its home directory: '$free_kb'"
  [ "$(( free_kb * 1024 ))" -ge "$bytes" ] ||
    remote_fail "$a=$h" "no space: $(( free_kb / 1024 )) MiB free in its home directory, $(( bytes / 1048576 + 1 )) MiB needed"
}

# remote_install ARCH HOST FILE...: copies FILEs (basenames must differ) into the board's
# ~/.cache/rcubench/<hash of their contents>-ARCH/ unless they are there already, and
# prints that directory (relative to the board's home). Each file is written under a
# name of its own and renamed into place, and .complete is written last: copies running
# at once (ctest -j) write the same bytes, and a copy cut short is done again next time.
remote_install() {
  local a=$1 h=$2 f dir name rc out; shift 2
  # The names count: a workload file renamed is another directory, holding that name.
  dir=.cache/rcubench/$(for f in "$@"; do basename "$f"; cat "$f"; done | sha256sum | cut -c1-16)-$a
  if remote_sh "$h" "test -f $(sh_quote "$dir/.complete")" </dev/null >/dev/null 2>&1; then
    echo "$dir"; return
  fi
  for f in "$@"; do
    name=$(basename "$f") rc=0
    out=$(remote_sh "$h" "mkdir -p $(sh_quote "$dir") && cd $(sh_quote "$dir") && cat >.$(sh_quote "$name").\$\$ && chmod $( [ -x "$f" ] && echo 755 || echo 644 ) .$(sh_quote "$name").\$\$ && mv -f .$(sh_quote "$name").\$\$ $(sh_quote "$name")" <"$f" 2>&1) ||
      rc=$?
    [ "$rc" = 0 ] || remote_fail "$a=$h" "copying $name to ~/$dir failed (ssh exit $rc): $(tail -n 1 <<<"$out")"
  done
  out=$(remote_sh "$h" "touch $(sh_quote "$dir/.complete")" </dev/null 2>&1) ||
    remote_fail "$a=$h" "cannot write ~/$dir/.complete: $(tail -n 1 <<<"$out")"
  echo "$dir"
}

# remote_env_words VAR...: NAME=VALUE words (sh-quoted) for the VARs that are set here.
remote_env_words() {
  local v words=()
  for v in "$@"; do
    [ -z "${!v+set}" ] || words+=("$v=${!v}")
  done
  [ ${#words[@]} = 0 ] || sh_quote "${words[@]}"
}
