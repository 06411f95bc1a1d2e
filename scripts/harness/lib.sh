# shellcheck shell=bash
# Shared helpers for the Stratus real-component harness. Sourced by stratus-harness; not run directly.
#
# Conventions used by the component modules (ovn.sh, ceph.sh, libvirt.sh):
#   H_ROOT        harness root (default <repo>/.harness or $STRATUS_HARNESS_DIR)
#   H_DIR         this component's directory, $H_ROOT/<component>
#   <comp>_up / <comp>_down / <comp>_alive / <comp>_info / <comp>_env   functions

h_log() { printf '%s\n' "stratus-harness: $*" >&2; }
h_die() { h_log "$*"; exit 1; }

# Milliseconds since the epoch (GNU date).
h_now_ms() { date +%s%3N; }

# h_elapsed START_MS -> "1.234"
h_elapsed() {
  local d=$(($(h_now_ms) - $1))
  printf '%d.%03d' $((d / 1000)) $((d % 1000))
}

# Escape a string for a JSON string literal (quotes included).
h_json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# A JSON number, or null when empty.
h_json_num() { if [ -n "${1:-}" ]; then printf '%s' "$1"; else printf 'null'; fi; }

# Write a file atomically (content on stdin).
h_write_atomic() {
  local tmp
  tmp="$1.tmp.$$"
  cat >"$tmp" && mv -f "$tmp" "$1"
}

# h_pid_alive PIDFILE EXPECTED_COMM -> 0 when the pidfile names a live process whose command
# name is EXPECTED_COMM (so a recycled pid never counts as ours). Prints the pid.
h_pid_alive() {
  local file=$1 comm=$2 pid actual
  [ -f "$file" ] || return 1
  pid=$({ tr -dc '0-9' <"$file"; } 2>/dev/null)
  [ -n "$pid" ] || return 1
  [ -r "/proc/$pid/comm" ] || return 1
  actual=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  # /proc/PID/comm is truncated to 15 characters
  [ "$actual" = "${comm:0:15}" ] || return 1
  # a zombie is not alive
  [ "$(awk '/^State:/{print $2}' "/proc/$pid/status" 2>/dev/null)" != Z ] || return 1
  printf '%s' "$pid"
}

# True when PID no longer runs (gone, or a zombie nobody has reaped yet).
h_proc_gone() {
  [ -d "/proc/$1" ] || return 0
  [ "$(awk '/^State:/{print $2}' "/proc/$1/status" 2>/dev/null)" = Z ]
}

# h_stop_pidfile PIDFILE EXPECTED_COMM [TERM_WAIT_SECONDS]
# TERM, wait up to N seconds (default 10), then KILL. Removes the pidfile. Silent when not running.
h_stop_pidfile() {
  local file=$1 comm=$2 wait_s=${3:-10} pid i
  if pid=$(h_pid_alive "$file" "$comm"); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait_s * 20; i++)); do
      h_pid_alive "$file" "$comm" >/dev/null || break
      sleep 0.05
    done
    if h_pid_alive "$file" "$comm" >/dev/null; then
      h_log "$comm ($pid) ignored TERM for ${wait_s}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do
        h_proc_gone "$pid" && break
        sleep 0.05
      done
    fi
    h_log "stopped $comm ($pid)"
  fi
  rm -f "$file"
}

# h_ports_free COMPONENT PORT... : fail clearly when something already listens on 127.0.0.1:PORT
# (ovsdb-server, for one, would start anyway and keep retrying the bind in the background).
h_ports_free() {
  local comp=$1 port
  shift
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      h_log "cannot start $comp: 127.0.0.1:$port is already in use"
      h_log "  (another harness directory running? stop it, or choose other ports; see scripts/harness/README.md)"
      exit 1
    fi
  done
}

# h_wait_for SECONDS COMMAND... : run COMMAND every 50 ms until it succeeds or time runs out.
h_wait_for() {
  local limit_ms=$(($1 * 1000)) start
  shift
  start=$(h_now_ms)
  while true; do
    "$@" >/dev/null 2>&1 && return 0
    (($(h_now_ms) - start > limit_ms)) && return 1
    sleep 0.05
  done
}

# h_fail_with_logs MESSAGE LOGFILE... : print MESSAGE and the tail of each log, then exit 1.
h_fail_with_logs() {
  local msg=$1 f
  shift
  h_log "$msg"
  for f in "$@"; do
    [ -f "$f" ] || continue
    printf '%s\n' "----- last lines of $f -----" >&2
    tail -n "${STRATUS_HARNESS_LOG_LINES:-30}" "$f" >&2
  done
  # do not leave half-started daemons behind
  if [ -n "${H_ON_FAIL:-}" ]; then $H_ON_FAIL quiet || true; fi
  exit 1
}

# h_require COMPONENT "binary:debian-package" ... : fail clearly when a package is missing.
h_require() {
  local comp=$1 spec bin pkg missing=() pkgs=()
  shift
  for spec in "$@"; do
    bin=${spec%%:*}
    pkg=${spec#*:}
    if [ "${bin:0:1}" = / ]; then
      [ -e "$bin" ] && continue
    else
      command -v "$bin" >/dev/null 2>&1 && continue
      # sbin may be missing from PATH for non-login shells
      [ -x "/usr/sbin/$bin" ] || [ -x "/sbin/$bin" ] && continue
    fi
    missing+=("$bin")
    case " ${pkgs[*]} " in *" $pkg "*) ;; *) pkgs+=("$pkg") ;; esac
  done
  if ((${#missing[@]})); then
    h_log "cannot start $comp: missing ${missing[*]}"
    h_log "install the Debian package(s): ${pkgs[*]}"
    h_log "  scripts/setup.sh installs them (or: apt-get install -y ${pkgs[*]})"
    exit 2
  fi
}

# Lock per component: mkdir is atomic. The owner's pid is kept inside so a lock left by a
# killed process is detected and broken. Released by the EXIT trap.
H_LOCKS=()
h_lock() {
  local name=$1 lock="$H_ROOT/.lock-$1" owner waited=0 limit_ms=$((${STRATUS_HARNESS_LOCK_TIMEOUT:-300} * 1000)) start
  start=$(h_now_ms)
  mkdir -p "$H_ROOT"
  while ! mkdir "$lock" 2>/dev/null; do
    owner=$(cat "$lock/pid" 2>/dev/null || true)
    if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
      h_log "breaking stale lock $lock (owner $owner is gone)"
      rm -rf "$lock"
      continue
    fi
    if [ -z "$owner" ] && [ -d "$lock" ] && (($(date +%s) - $(stat -c %Y "$lock" 2>/dev/null || date +%s) > 5)); then
      # created but never filled in: the owner died between mkdir and writing its pid
      rm -rf "$lock"
      continue
    fi
    if ((waited == 0)); then h_log "waiting for lock $lock (held by ${owner:-?})"; fi
    waited=1
    (($(h_now_ms) - start > limit_ms)) && h_die "timed out waiting for lock $lock (held by ${owner:-?})"
    sleep 0.1
  done
  echo $$ >"$lock/pid"
  H_LOCKS+=("$lock")
}
h_unlock_all() {
  local l
  for l in "${H_LOCKS[@]}"; do rm -rf "$l"; done
  H_LOCKS=()
}
trap h_unlock_all EXIT
# Interrupted (e.g. a test runner's timeout) half-way through a start: stop what was started.
h_on_signal() {
  trap - TERM INT HUP
  if [ -n "${H_ON_FAIL:-}" ]; then
    h_log "interrupted; stopping what was started"
    $H_ON_FAIL quiet >/dev/null 2>&1 || true
  fi
  exit 143
}
trap h_on_signal TERM INT HUP

# Markers and leases. DIR/.started-by-tests/<component>/ exists when a test run (not a person)
# started the component; inside it, one lease file per test run using it, named by the run's id
# (the vitest main process pid, STRATUS_HARNESS_RUN). A run's teardown releases its lease and
# stops the component only when no live run holds one, so concurrent runs don't pull components
# from under each other, and a component a developer started by hand is never stopped by tests.
h_marker() { printf '%s' "$H_ROOT/.started-by-tests/$1"; }
h_run_id() { printf '%s' "${STRATUS_HARNESS_RUN:-anonymous}"; }
# after a cold start
h_mark_started() {
  [ "${STRATUS_HARNESS_MARK:-0}" = 1 ] || return 0
  mkdir -p "$(h_marker "$1")"
  date -Iseconds >"$(h_marker "$1")/$(h_run_id)"
}
# after a warm 'up': join the component's users if tests started it
h_mark_used() {
  [ "${STRATUS_HARNESS_MARK:-0}" = 1 ] || return 0
  [ -d "$(h_marker "$1")" ] || return 0
  date -Iseconds >"$(h_marker "$1")/$(h_run_id)"
}
h_unmark() { rm -rf "$(h_marker "$1")"; }
# drop this run's lease and the leases of runs that are gone; true when none is left
h_release_lease() {
  local m f id
  m=$(h_marker "$1")
  rm -f "$m/$(h_run_id)"
  for f in "$m"/*; do
    [ -e "$f" ] || continue
    id=$(basename "$f")
    if [[ $id =~ ^[0-9]+$ ]] && kill -0 "$id" 2>/dev/null; then continue; fi
    rm -f "$f"
  done
  [ -z "$(ls -A "$m" 2>/dev/null)" ]
}

# Config fingerprint: an 'up' with a different configuration from the running one restarts it.
h_config_matches() { [ -f "$H_DIR/config" ] && [ "$(cat "$H_DIR/config")" = "$1" ]; }
