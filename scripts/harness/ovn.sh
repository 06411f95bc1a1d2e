# shellcheck shell=bash
# OVN control plane: ovsdb-server for OVN_Northbound, ovsdb-server for OVN_Southbound, ovn-northd.
# Each database listens on a unix socket in $H_DIR and on 127.0.0.1 TCP.
#   STRATUS_OVN_NB_PORT (16641)  STRATUS_OVN_SB_PORT (16642)
#   STRATUS_OVN_CLUSTERED=1 (or CLUSTERED=1): one-member RAFT clusters, which are the only
#     databases that hand out transaction ids (needed by monitor_cond_since); RAFT listens on
#     STRATUS_OVN_NB_RAFT_PORT (16643) and STRATUS_OVN_SB_RAFT_PORT (16644)
#   STRATUS_OVN_TIMEOUT (30) seconds to wait for readiness

ovn_vars() {
  OVN_NB_PORT=${STRATUS_OVN_NB_PORT:-16641}
  OVN_SB_PORT=${STRATUS_OVN_SB_PORT:-16642}
  OVN_NB_RAFT_PORT=${STRATUS_OVN_NB_RAFT_PORT:-16643}
  OVN_SB_RAFT_PORT=${STRATUS_OVN_SB_RAFT_PORT:-16644}
  OVN_CLUSTERED=${STRATUS_OVN_CLUSTERED:-${CLUSTERED:-0}}
  [ "$OVN_CLUSTERED" = 1 ] || OVN_CLUSTERED=0
  OVN_TIMEOUT=${STRATUS_OVN_TIMEOUT:-30}
  OVN_SCHEMA_DIR=${STRATUS_OVN_SCHEMA_DIR:-/usr/share/ovn}
  # keep every OVS/OVN default path (ctl sockets, pidfiles, logs) inside $H_DIR, not /var/run
  export OVS_RUNDIR=$H_DIR OVS_LOGDIR=$H_DIR OVS_DBDIR=$H_DIR OVN_RUNDIR=$H_DIR OVN_LOGDIR=$H_DIR OVN_DBDIR=$H_DIR
}

ovn_require() {
  h_require ovn ovsdb-server:openvswitch-switch ovsdb-tool:openvswitch-switch ovsdb-client:openvswitch-switch \
    ovn-northd:ovn-central ovn-nbctl:ovn-central ovn-sbctl:ovn-central ovn-appctl:ovn-central \
    /usr/share/ovn/ovn-nb.ovsschema:ovn-central /usr/share/ovn/ovn-sb.ovsschema:ovn-central
}

ovn_config() {
  ovn_vars
  echo "nb=$OVN_NB_PORT sb=$OVN_SB_PORT clustered=$OVN_CLUSTERED raft=$OVN_NB_RAFT_PORT,$OVN_SB_RAFT_PORT"
}

ovn_logs() { echo "$H_DIR/ovnnb_db.log $H_DIR/ovnsb_db.log $H_DIR/ovn-northd.log"; }

ovn_northd_active() {
  [ "$(ovn-appctl -t "$H_DIR/ovn-northd.ctl" --timeout=2 status 2>/dev/null)" = "Status: active" ]
}

ovn_db_answers() { # sock database
  ovsdb-client --timeout=2 list-dbs "unix:$1" 2>/dev/null | grep -qx "$2"
}

ovn_alive() {
  ovn_vars
  h_pid_alive "$H_DIR/ovnnb_db.pid" ovsdb-server >/dev/null &&
    h_pid_alive "$H_DIR/ovnsb_db.pid" ovsdb-server >/dev/null &&
    h_pid_alive "$H_DIR/ovn-northd.pid" ovn-northd >/dev/null &&
    ovn_db_answers "$H_DIR/nb.sock" OVN_Northbound &&
    ovn_db_answers "$H_DIR/sb.sock" OVN_Southbound &&
    ovn_northd_active
}

ovn_down() {
  ovn_vars
  h_stop_pidfile "$H_DIR/ovn-northd.pid" ovn-northd
  h_stop_pidfile "$H_DIR/ovnsb_db.pid" ovsdb-server
  h_stop_pidfile "$H_DIR/ovnnb_db.pid" ovsdb-server
  rm -f "$H_DIR"/*.sock "$H_DIR"/*.ctl "$H_DIR"/.*.db.~lock~
}

ovn_start_db() { # name socket-name tcp-port database
  local name=$1 sock=$2 port=$3 db=$4 root
  case $db in OVN_Northbound) root=NB_Global ;; *) root=SB_Global ;; esac
  ovsdb-server --detach --no-chdir -vconsole:off -vfile:info \
    --pidfile="$H_DIR/$name.pid" --log-file="$H_DIR/$name.log" --unixctl="$H_DIR/$name.ctl" \
    --remote="punix:$H_DIR/$sock" --remote="ptcp:$port:127.0.0.1" \
    --remote="db:$db,$root,connections" "$H_DIR/$name.db" </dev/null >>"$H_DIR/$name.log" 2>&1 ||
    h_fail_with_logs "ovsdb-server for $db failed to start (is port $port free?)" "$H_DIR/$name.log"
}

ovn_up() {
  ovn_vars
  local logs
  logs=$(ovn_logs)
  # fresh state: throw away databases and logs of an earlier run
  rm -f "$H_DIR"/*.db "$H_DIR"/*.log "$H_DIR"/connection.json
  h_ports_free ovn "$OVN_NB_PORT" "$OVN_SB_PORT"
  [ "$OVN_CLUSTERED" = 1 ] && h_ports_free ovn "$OVN_NB_RAFT_PORT" "$OVN_SB_RAFT_PORT"
  if [ "$OVN_CLUSTERED" = 1 ]; then
    # (ovsdb-tool warns that clusters turn ephemeral columns persistent: expected, kept in the log)
    ovsdb-tool create-cluster "$H_DIR/ovnnb_db.db" "$OVN_SCHEMA_DIR/ovn-nb.ovsschema" "tcp:127.0.0.1:$OVN_NB_RAFT_PORT" \
      2>>"$H_DIR/ovsdb-tool.log" || h_fail_with_logs "ovsdb-tool create-cluster failed" "$H_DIR/ovsdb-tool.log"
    ovsdb-tool create-cluster "$H_DIR/ovnsb_db.db" "$OVN_SCHEMA_DIR/ovn-sb.ovsschema" "tcp:127.0.0.1:$OVN_SB_RAFT_PORT" \
      2>>"$H_DIR/ovsdb-tool.log" || h_fail_with_logs "ovsdb-tool create-cluster failed" "$H_DIR/ovsdb-tool.log"
  else
    ovsdb-tool create "$H_DIR/ovnnb_db.db" "$OVN_SCHEMA_DIR/ovn-nb.ovsschema" 2>>"$H_DIR/ovsdb-tool.log" ||
      h_fail_with_logs "ovsdb-tool create failed" "$H_DIR/ovsdb-tool.log"
    ovsdb-tool create "$H_DIR/ovnsb_db.db" "$OVN_SCHEMA_DIR/ovn-sb.ovsschema" 2>>"$H_DIR/ovsdb-tool.log" ||
      h_fail_with_logs "ovsdb-tool create failed" "$H_DIR/ovsdb-tool.log"
  fi
  ovn_start_db ovnnb_db nb.sock "$OVN_NB_PORT" OVN_Northbound
  ovn_start_db ovnsb_db sb.sock "$OVN_SB_PORT" OVN_Southbound
  h_wait_for "$OVN_TIMEOUT" ovn_db_answers "$H_DIR/nb.sock" OVN_Northbound ||
    h_fail_with_logs "OVN_Northbound did not answer within ${OVN_TIMEOUT}s" $logs
  h_wait_for "$OVN_TIMEOUT" ovn_db_answers "$H_DIR/sb.sock" OVN_Southbound ||
    h_fail_with_logs "OVN_Southbound did not answer within ${OVN_TIMEOUT}s" $logs
  # the root rows; with RAFT these wait (leader-only) until the single member is leader
  ovn-nbctl --db="unix:$H_DIR/nb.sock" --timeout="$OVN_TIMEOUT" init ||
    h_fail_with_logs "ovn-nbctl init failed" $logs
  ovn-sbctl --db="unix:$H_DIR/sb.sock" --timeout="$OVN_TIMEOUT" init ||
    h_fail_with_logs "ovn-sbctl init failed" $logs
  ovn-northd --detach --no-chdir -vconsole:off -vfile:info \
    --pidfile="$H_DIR/ovn-northd.pid" --log-file="$H_DIR/ovn-northd.log" --unixctl="$H_DIR/ovn-northd.ctl" \
    --ovnnb-db="unix:$H_DIR/nb.sock" --ovnsb-db="unix:$H_DIR/sb.sock" </dev/null >>"$H_DIR/ovn-northd.log" 2>&1 ||
    h_fail_with_logs "ovn-northd failed to start" $logs
  # ready: northd holds the SB lock and has caught up with NB
  h_wait_for "$OVN_TIMEOUT" ovn_northd_active ||
    h_fail_with_logs "ovn-northd did not become active within ${OVN_TIMEOUT}s" $logs
  ovn-nbctl --db="unix:$H_DIR/nb.sock" --wait=sb --timeout="$OVN_TIMEOUT" sync ||
    h_fail_with_logs "ovn-nbctl --wait=sb sync did not return within ${OVN_TIMEOUT}s" $logs
  ovn_write_connection
}

# ovn_db_json nb|sb DATABASE TCP_PORT RAFT_JSON PID: one database's entry of connection.json
ovn_db_json() {
  local short=$1 database=$2 port=$3 raft=$4 pid=$5
  cat <<JSON
{
    "database": "$database",
    "unix": $(h_json_str "unix:$H_DIR/$short.sock"),
    "socketPath": $(h_json_str "$H_DIR/$short.sock"),
    "tcp": "tcp:127.0.0.1:$port",
    "host": "127.0.0.1",
    "port": $port,
    "schema": $(h_json_str "$OVN_SCHEMA_DIR/ovn-$short.ovsschema"),
    "dbFile": $(h_json_str "$H_DIR/ovn${short}_db.db"),
    "ctl": $(h_json_str "$H_DIR/ovn${short}_db.ctl"),
    "raft": $raft,
    "pid": $pid
  }
JSON
}

ovn_write_connection() {
  local nbpid sbpid npid raft_nb=null raft_sb=null c
  nbpid=$(cat "$H_DIR/ovnnb_db.pid")
  sbpid=$(cat "$H_DIR/ovnsb_db.pid")
  npid=$(cat "$H_DIR/ovn-northd.pid")
  c=false
  if [ "$OVN_CLUSTERED" = 1 ]; then
    c=true
    raft_nb=$(h_json_str "tcp:127.0.0.1:$OVN_NB_RAFT_PORT")
    raft_sb=$(h_json_str "tcp:127.0.0.1:$OVN_SB_RAFT_PORT")
  fi
  h_write_atomic "$H_DIR/connection.json" <<EOF
{
  "component": "ovn",
  "dir": $(h_json_str "$H_DIR"),
  "clustered": $c,
  "nb": $(ovn_db_json nb OVN_Northbound "$OVN_NB_PORT" "$raft_nb" "$nbpid"),
  "sb": $(ovn_db_json sb OVN_Southbound "$OVN_SB_PORT" "$raft_sb" "$sbpid"),
  "northd": { "ctl": $(h_json_str "$H_DIR/ovn-northd.ctl"), "pid": $npid },
  "pids": { "nb": $nbpid, "sb": $sbpid, "northd": $npid },
  "env": {
    "OVN_NB_DB": $(h_json_str "unix:$H_DIR/nb.sock"),
    "OVN_SB_DB": $(h_json_str "unix:$H_DIR/sb.sock"),
    "OVN_RUNDIR": $(h_json_str "$H_DIR"),
    "OVS_RUNDIR": $(h_json_str "$H_DIR")
  },
  "logs": [$(h_json_str "$H_DIR/ovnnb_db.log"), $(h_json_str "$H_DIR/ovnsb_db.log"), $(h_json_str "$H_DIR/ovn-northd.log")]
}
EOF
}

ovn_env() {
  ovn_vars
  cat <<EOF
export OVN_NB_DB='unix:$H_DIR/nb.sock'
export OVN_SB_DB='unix:$H_DIR/sb.sock'
export OVN_RUNDIR='$H_DIR'
export OVS_RUNDIR='$H_DIR'
EOF
}

ovn_info() {
  ovn_vars
  cat <<EOF
OVN is up ($([ "$OVN_CLUSTERED" = 1 ] && echo "1-node RAFT clusters" || echo "standalone databases")); details: $H_DIR/connection.json
  Northbound  unix:$H_DIR/nb.sock   tcp:127.0.0.1:$OVN_NB_PORT   (pid $(cat "$H_DIR/ovnnb_db.pid"))
  Southbound  unix:$H_DIR/sb.sock   tcp:127.0.0.1:$OVN_SB_PORT   (pid $(cat "$H_DIR/ovnsb_db.pid"))
  ovn-northd  pid $(cat "$H_DIR/ovn-northd.pid"), ctl $H_DIR/ovn-northd.ctl
  Try:  ovn-nbctl --db=unix:$H_DIR/nb.sock show
        ovn-sbctl --db=tcp:127.0.0.1:$OVN_SB_PORT lflow-list | head
        ovn-appctl -t $H_DIR/ovn-northd.ctl status
  Shell: eval "\$($H_SELF env ovn $H_ROOT)"
EOF
}
