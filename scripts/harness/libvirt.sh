# shellcheck shell=bash
# A privileged libvirtd (qemu:///system semantics) whose whole state lives in $H_DIR.
# It runs in a private mount namespace in which /run, /var/lib, /var/cache, /var/log and
# /etc/libvirt are bind mounts of directories under $H_DIR, so the host's libvirt paths are never
# touched. Clients outside the namespace reach it through the socket path in the URI.
#   STRATUS_LIBVIRT_TCP_PORT  unset: no TCP; a port: also serve plain TCP, no auth, on 127.0.0.1
#   STRATUS_LIBVIRT_TIMEOUT (60) seconds to wait for readiness (a cold start probes QEMU's
#     capabilities for ~8 s; the result is cached in $H_DIR/cache, which survives restarts)
# Paths under /run, /var/lib, /var/cache and /var/log in domain XML are resolved *inside* the
# namespace (i.e. under $H_DIR); put disk images elsewhere, e.g. in $H_DIR/images.

libvirt_vars() {
  LV_TCP_PORT=${STRATUS_LIBVIRT_TCP_PORT:-}
  LV_TIMEOUT=${STRATUS_LIBVIRT_TIMEOUT:-60}
  LV_SOCK=$H_DIR/run/libvirt/libvirt-sock
  LV_URI="qemu:///system?socket=$LV_SOCK"
  LV_QEMU=$(command -v qemu-system-x86_64 2>/dev/null || true)
}

libvirt_require() {
  h_require libvirt libvirtd:libvirt-daemon virsh:libvirt-clients unshare:util-linux setsid:util-linux \
    /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so:libvirt-daemon-driver-qemu
  [ "$(id -u)" = 0 ] || h_die "libvirt: a privileged libvirtd needs root (mount namespaces, bind mounts)"
  libvirt_vars
  if [ -z "$LV_QEMU" ]; then
    h_log "warning: qemu-system-x86_64 is missing (Debian package qemu-system-x86; scripts/setup.sh installs it):"
    h_log "  libvirtd will start, but domains cannot run"
  fi
}

libvirt_config() {
  libvirt_vars
  echo "tcp=${LV_TCP_PORT:-off}"
}

libvirt_logs() { echo "$H_DIR/libvirtd.log"; }

# optional $1: seconds to allow (the first answer waits for the capabilities probe)
libvirt_answers() { timeout "${1:-10}" virsh -q -c "$LV_URI" version >/dev/null 2>&1; }

libvirt_alive() {
  libvirt_vars
  h_pid_alive "$H_DIR/libvirtd.pid" libvirtd >/dev/null && [ -S "$LV_SOCK" ] && libvirt_answers
}

libvirt_down() {
  libvirt_vars
  local dom f
  if h_pid_alive "$H_DIR/libvirtd.pid" libvirtd >/dev/null && [ -S "$LV_SOCK" ]; then
    for dom in $(timeout 20 virsh -q -c "$LV_URI" list --name 2>/dev/null); do
      timeout 20 virsh -q -c "$LV_URI" destroy "$dom" >/dev/null 2>&1 && h_log "destroyed domain $dom"
    done
  fi
  h_stop_pidfile "$H_DIR/libvirtd.pid" libvirtd 15
  # QEMU processes that outlived a killed libvirtd
  for f in "$H_DIR"/run/libvirt/qemu/*.pid; do
    [ -f "$f" ] || continue
    h_stop_pidfile "$f" qemu-system-x86_64 5
  done
  rm -f "$H_DIR"/run/libvirt/*sock*
}

libvirt_up() {
  libvirt_vars
  local listen="" bg
  if ((${#LV_SOCK} > 100)); then h_die "libvirt: socket path too long for a unix socket: $LV_SOCK"; fi
  # fresh state, except the capabilities cache (cache/), which makes the next start take 0.2 s not 8 s
  rm -rf "$H_DIR"/{run,lib,log,etc,ns} "$H_DIR/libvirtd.log" "$H_DIR/connection.json"
  mkdir -p "$H_DIR"/{run,lib,cache,log,etc/qemu,etc/storage,ns,images}
  local f
  for f in libvirt.conf libvirt-admin.conf; do
    [ -f "/etc/libvirt/$f" ] && cp "/etc/libvirt/$f" "$H_DIR/etc/$f"
  done
  cat >"$H_DIR/etc/libvirtd.conf" <<'EOF'
# Written by scripts/harness/libvirt.sh. No polkit here: root (the socket is 0700) needs no auth.
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_rw_perms = "0700"
log_outputs = "3:stderr"
EOF
  if [ -n "$LV_TCP_PORT" ]; then
    h_ports_free libvirt "$LV_TCP_PORT"
    cat >>"$H_DIR/etc/libvirtd.conf" <<EOF
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$LV_TCP_PORT"
auth_tcp = "none"
EOF
    listen=--listen
  fi
  cat >"$H_DIR/etc/qemu.conf" <<'EOF'
# Written by scripts/harness/libvirt.sh.
# Run QEMU as root: Debian's 'libvirt-qemu' user only exists with libvirt-daemon-system.
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
# no systemd/machined here: leave the host's cgroups alone
cgroup_controllers = [ ]
# no virtlogd (it wants socket activation): QEMU writes its stdio log itself
stdio_handler = "file"
EOF
  # libvirt 9 looks up its built-in default QEMU user before it reads qemu.conf; give the namespace
  # a passwd/group that has it rather than touching the host's
  cp /etc/passwd "$H_DIR/ns/passwd"
  cp /etc/group "$H_DIR/ns/group"
  grep -q '^libvirt-qemu:' "$H_DIR/ns/passwd" ||
    echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >>"$H_DIR/ns/passwd"
  grep -q '^libvirt-qemu:' "$H_DIR/ns/group" || echo 'libvirt-qemu:x:64055:' >>"$H_DIR/ns/group"
  grep -q '^kvm:' "$H_DIR/ns/group" || echo 'kvm:x:64056:' >>"$H_DIR/ns/group"

  # setsid: its own session, so a Ctrl-C aimed at the test runner does not reach it
  setsid unshare --mount --propagation private /bin/sh -c '
    set -e
    D=$1
    for m in run:/run lib:/var/lib cache:/var/cache log:/var/log etc:/etc/libvirt ns/passwd:/etc/passwd ns/group:/etc/group; do
      mount -n --bind "$D/${m%%:*}" "${m#*:}"
    done
    exec libvirtd $2 -f "$D/etc/libvirtd.conf" -p "$D/libvirtd.pid"' sh "$H_DIR" "$listen" \
    </dev/null >"$H_DIR/libvirtd.log" 2>&1 &
  bg=$!
  local start limit
  start=$(h_now_ms)
  limit=$((LV_TIMEOUT * 1000))
  until [ -S "$LV_SOCK" ] && libvirt_answers $(((limit - ($(h_now_ms) - start)) / 1000 + 1)); do
    kill -0 "$bg" 2>/dev/null || h_fail_with_logs "libvirtd exited during start-up" "$H_DIR/libvirtd.log"
    (($(h_now_ms) - start > limit)) && h_fail_with_logs "libvirtd did not answer within ${LV_TIMEOUT}s" "$H_DIR/libvirtd.log"
    sleep 0.1
  done
  h_pid_alive "$H_DIR/libvirtd.pid" libvirtd >/dev/null || h_fail_with_logs "libvirtd pidfile missing" "$H_DIR/libvirtd.log"
  libvirt_write_connection
}

libvirt_write_connection() {
  local tcp=null
  [ -n "$LV_TCP_PORT" ] && tcp="\"qemu+tcp://127.0.0.1:$LV_TCP_PORT/system\""
  h_write_atomic "$H_DIR/connection.json" <<EOF
{
  "component": "libvirt",
  "dir": $(h_json_str "$H_DIR"),
  "uri": $(h_json_str "$LV_URI"),
  "socket": $(h_json_str "$LV_SOCK"),
  "socketRo": $(h_json_str "$H_DIR/run/libvirt/libvirt-sock-ro"),
  "adminUri": $(h_json_str "libvirtd:///system?socket=$H_DIR/run/libvirt/libvirt-admin-sock"),
  "tcpUri": $tcp,
  "tcpPort": $(h_json_num "$LV_TCP_PORT"),
  "testUri": "test:///default",
  "domainType": "qemu",
  "qemu": $(if [ -n "$LV_QEMU" ]; then h_json_str "$LV_QEMU"; else echo null; fi),
  "imageDir": $(h_json_str "$H_DIR/images"),
  "qemuLogDir": $(h_json_str "$H_DIR/log/libvirt/qemu"),
  "pid": $(cat "$H_DIR/libvirtd.pid"),
  "pids": { "libvirtd": $(cat "$H_DIR/libvirtd.pid") },
  "env": { "LIBVIRT_DEFAULT_URI": $(h_json_str "$LV_URI") },
  "logs": [$(h_json_str "$H_DIR/libvirtd.log")]
}
EOF
}

libvirt_env() {
  libvirt_vars
  echo "export LIBVIRT_DEFAULT_URI='$LV_URI'"
}

libvirt_info() {
  libvirt_vars
  cat <<EOF
libvirtd is up (pid $(cat "$H_DIR/libvirtd.pid")); details: $H_DIR/connection.json
  URI      $LV_URI
  TCP      ${LV_TCP_PORT:+qemu+tcp://127.0.0.1:$LV_TCP_PORT/system}${LV_TCP_PORT:-off (set STRATUS_LIBVIRT_TCP_PORT to serve it)}
  no daemon at all: test:///default (a mock hypervisor with one running domain 'test')
  Domains: <domain type='qemu'> (TCG; /dev/kvm here is not usable). Disk images: $H_DIR/images
  QEMU logs: $H_DIR/log/libvirt/qemu/<domain>.log
  Try:  virsh -c '$LV_URI' list --all
  Shell: eval "\$($H_SELF env libvirt $H_ROOT)"
EOF
}
