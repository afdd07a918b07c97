#!/usr/bin/env bash
# The board path end to end, with this machine as an x86_64 board: Debian's sshd started
# by this test on 127.0.0.1 and a free port, with its own host key, user key and config
# (nothing of the machine's ssh configuration is read or touched), a board home of its
# own (ForceCommand runs every command there), stopped and cleaned up however the test
# ends. Checks:
#   - scripts/bench --remote x86_64=board: rows with exec `remote` and the board's
#     machine facts, a fingerprint, plots and a summary;
#   - the board asked for another arch, a board that does not answer: exit 2, one error
#     naming the host, nothing written;
#   - the connection lost mid-run: the run is left .incomplete, the earlier run intact;
#   - scripts/test --remote x86_64=board: ctest runs the test binaries on the board
#     through the emulator slot, and the soak runs there.
#   check_loopback_board.sh WORK   (from ctest: the x86_64 preset's build is complete)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/support/checks.sh"
work=$(fresh_dir "$1")

sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || { echo "FAIL: no sshd ($sshd): scripts/setup installs openssh-server"; exit 1; }

# --- the board ---------------------------------------------------------------------
board_home=$work/board-home
mkdir -p "$board_home"
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key" -C loopback-board-host
ssh-keygen -q -t ed25519 -N '' -f "$work/user_key" -C loopback-board-user
cp "$work/user_key.pub" "$work/authorized_keys"
chmod 600 "$work/authorized_keys"
user=$(id -un)
# sshd as root wants its privilege separation directory (a runtime directory).
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
sshd_pid=
start_sshd() {  # start_sshd: sshd on a free port (PORT), its pid in sshd_pid
  local _
  for _ in $(seq 1 20); do
    port=$(( 20000 + (RANDOM % 20000) ))
    cat >"$work/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
AllowUsers $user
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
# bash, the user's login shell, sources ~/.bashrc for a command sshd runs at shell level 1:
# what the user's startup files do is no part of the board path, and may take longer
# than the commands.
SetEnv SHLVL=1
ForceCommand cd $board_home && HOME=$board_home exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
EOF
    : >"$work/sshd.log"
    "$sshd" -D -e -f "$work/sshd_config" 2>>"$work/sshd.log" &
    sshd_pid=$!
    # Listening, or gone (the port was taken): at most 10 s on a busy machine.
    for _ in $(seq 1 100); do
      grep -q "Server listening on 127.0.0.1 port $port" "$work/sshd.log" && return 0
      kill -0 "$sshd_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null
  done
  echo "FAIL: sshd did not start; its log:"; sed 's/^/  | /' "$work/sshd.log"; exit 1
}
stop_sshd() {
  [ -z "$sshd_pid" ] || { pkill -P "$sshd_pid" 2>/dev/null; kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; }
  sshd_pid=
}
# running_on_board: the processes running on the board (their working directory is in
# the board's home); board_kill: what a killed connection left running there.
running_on_board() {
  local p
  for p in /proc/[0-9]*; do
    case $(readlink "$p/cwd" 2>/dev/null) in "$board_home"/*) echo "${p#/proc/}" ;; esac
  done
}
board_kill() { running_on_board | xargs -r kill -9 2>/dev/null; true; }
cleanup() { stop_sshd; board_kill; }
trap cleanup EXIT
write_ssh_config() {  # the client's config: `board` on sshd's port, `deadboard` on none
  cat >"$work/ssh_config" <<EOF
Host board
  HostName 127.0.0.1
  Port $port
  User $user
Host deadboard
  HostName 127.0.0.1
  Port 1
  User $user
Host *
  IdentityFile $work/user_key
  IdentitiesOnly yes
  UserKnownHostsFile $work/known_hosts
  StrictHostKeyChecking accept-new
  LogLevel ERROR
EOF
}
start_sshd
write_ssh_config
export RCUBENCH_SSH="ssh -F $work/ssh_config"
# The scripts run here inside the host preset's own ctest: their logs go here, not over
# the logs of the scripts/test that runs this test.
export RCUBENCH_LOG_DIR=$work/logs
check "board answers" "$(uname -m)" "$($RCUBENCH_SSH -o BatchMode=yes board uname -m 2>&1)"
check "board runs in its own home" "$board_home" "$($RCUBENCH_SSH -o BatchMode=yes board pwd 2>&1)"

out=$work/results
bench() { (cd "$root" && scripts/bench --no-insn-counts --out "$out" "$@") >"$work/bench.log" 2>&1; echo $?; }
runs() { ls "$out" 2>/dev/null | grep -v '^\.' | sort | paste -sd' ' -; }

# --- a run on the board --------------------------------------------------------------
arch=$(uname -m)
check "bench on the board: exit 0" 0 "$(bench --arch "$arch" --remote "$arch=board" --config configs/smoke.toml --repetitions 2)"
run=$out/$(runs)
csv=$run/results.csv
check "bench on the board: one complete run" yes "$([ -f "$csv" ] && echo yes || echo no)"
execs=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "exec") e = i; next } { print $e }' "$csv" | sort -u | paste -sd' ' -)
check "bench on the board: every row says exec remote" remote "$execs"
# The fingerprint by name, counted from the end: the CPU model before it may hold commas.
fps=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "fingerprint") back = NF - i; next } { print $(NF - back) }' "$csv" | sort -u | paste -sd' ' -)
[[ $fps =~ ^[0-9a-f]{12}$ ]]; check "bench on the board: one machine fingerprint" 0 $?
json=$(ls "$run"/"$arch".p0.json)
for key in rcubench_host rcubench_cpu_id rcubench_affinity rcubench_governor rcubench_isolated_cpus; do
  grep -q "\"$key\": \"" "$json"; check "bench on the board: context has $key" 0 $?
done
grep -q '"rcubench_host": "board"' "$json"; check "bench on the board: names the board" 0 $?
grep -q '"rcubench_runner": "board:board"' "$json"; check "bench on the board: runner label names the board" 0 $?
grep -q '"rcubench_exec": "remote"' "$json"; check "bench on the board: exec in the context" 0 $?
has "bench on the board: summary labels it by the board's CPU" "$run/summary.txt" "^$arch \(remote, on .* \([0-9]+ CPUs\)\), workload"
check "bench on the board: plots" yes "$(ls "$run"/plots/*.png >/dev/null 2>&1 && echo yes || echo no)"
check "bench on the board: the board's copy is content-addressed" 1 "$(ls "$board_home/.cache/rcubench" | grep -c -- "-$arch$")"
check "bench on the board: its JSON is not left there" "" "$(ls "$board_home"/.cache/rcubench/*/out 2>/dev/null)"
has "bench: says where it ran" "$work/bench.log" "\[remote, on the board board: hardware performance\]"
earlier=$(runs)
earlier_sum=$(sha256sum <"$csv")

# --- checks before any run -----------------------------------------------------------
other=aarch64; [ "$arch" != aarch64 ] || other=riscv64
check "another arch: exit 2" 2 "$(bench --arch "$other" --remote "$other=board" --config configs/smoke.toml)"
has "another arch: names the host and what failed" "$work/bench.log" "^error: --remote $other=board: the board is $arch \(uname -m\), not $other"
check "another arch: nothing written" "$earlier" "$(runs)"
check "no board there: exit 2" 2 "$(bench --arch "$arch" --remote "$arch=deadboard" --config configs/smoke.toml)"
has "no board there: names the host" "$work/bench.log" "^error: --remote $arch=deadboard: cannot run a command there"
check "no board there: nothing written" "$earlier" "$(runs)"
check "bad --remote: exit 1" 1 "$(bench --arch "$arch" --remote "$arch")"
has "bad --remote: names it" "$work/bench.log" "^error: --remote: '$arch' is not ARCH=HOST"

# --- the connection lost mid-run -----------------------------------------------------
(cd "$root" && scripts/bench --no-insn-counts --out "$out" --arch "$arch" --remote "$arch=board" \
  --config configs/reader-heavy.toml --repetitions 3) >"$work/lost.log" 2>&1 &
bench_pid=$!
# Until the first process on the board has reported progress.
for _ in $(seq 1 900); do grep -q "p1/3 " "$work/lost.log" && break; sleep 0.2; done
sleep 1
stop_sshd   # every session with it: the board is gone
wait "$bench_pid"; rc=$?
check "connection lost: exit 1" 1 "$rc"
has "connection lost: says so" "$work/lost.log" "error: rcubench on the board board .*exited with 255: the connection failed"
incomplete=$(ls -d "$out"/*.incomplete 2>/dev/null | wc -l)
check "connection lost: run left .incomplete" 1 "$incomplete"
check "connection lost: the earlier run untouched" "$earlier" "$(ls "$out" | grep -v '\.incomplete$' | grep -v '^\.' | sort | paste -sd' ' -)"
check "connection lost: earlier results.csv intact" "$earlier_sum" "$(sha256sum <"$out/$earlier/results.csv")"
board_kill
start_sshd
write_ssh_config

# --- tests and the soak on the board --------------------------------------------------
connections_before=$(grep -c "Accepted publickey" "$work/sshd.log")
(cd "$root" && scripts/test --arch "$arch" --no-sanitizers --remote "$arch=board" \
  --tests '^(UrcuSmoke\..*|rcubench_config_errors|torture_cli|smoke_benchmark_json)$' --soak 1) >"$work/test.log" 2>&1
check "test on the board: exit 0" 0 $?
has "test on the board: the preset ran there" "$work/test.log" "^$arch +\(board board\): 4 passed, 0 failed"
has "test on the board: the soak ran there" "$work/test.log" "rcutorture --mode soak passed"
check "test on the board: the test binary ran from the board's copy" yes \
  "$(ls "$board_home"/.cache/rcubench/*-"$arch"/urcu_smoke_test >/dev/null 2>&1 && echo yes || echo no)"
check "test on the board: nothing left running there" "" \
  "$(running_on_board)"
# The board check, the connection the tests' commands share, and the soak's few (the
# commands each connecting on their own: over a hundred).
connections=$(( $(grep -c "Accepted publickey" "$work/sshd.log") - connections_before ))
check "test on the board: the tests' commands share a connection ($connections made)" yes \
  "$([ "$connections" -le 8 ] && echo yes || echo no)"
# Exit statuses come back as they were (a failing test fails on the board too), and a file
# argument reaches the board's copy.
"$root/scripts/lib/target_exec" "$arch" - /bin/sh -c 'exit 7'; check "target_exec here keeps the exit status" 7 $?
board_var=RCUBENCH_REMOTE_${arch^^}
env "$board_var=board" "$root/scripts/lib/target_exec" "$arch" - /bin/sh -c 'exit 7'
check "on the board: keeps the exit status" 7 $?
echo "through the board" >"$work/input.txt"
check "on the board: a file argument is copied there" "through the board" \
  "$(env "$board_var=board" "$root/scripts/lib/target_exec" "$arch" - /bin/cat "$work/input.txt")"
env "$board_var=board" "$root/scripts/lib/target_exec" "$arch" - /bin/sh -c 'echo written >"$1"' sh "$work/output.txt"
check "on the board: an output argument is fetched back" written "$(cat "$work/output.txt" 2>&1)"

checks_done
