# shellcheck shell=bash
# Single-node Ceph: one monitor (mon.a), one OSD (osd.0), optionally one manager, and an RBD pool.
#   STRATUS_CEPH_MON_PORT (16789; msgr v1 listens on the next port)
#   STRATUS_CEPH_PORT_MIN/MAX (16800/16899): ports the OSD (and mgr) may bind
#   STRATUS_CEPH_OBJECTSTORE bluestore|memstore (bluestore: a sparse file; memstore keeps the peak
#     amount ever written in RAM and never gives it back)
#   STRATUS_CEPH_STORE_GB (10) size of the sparse bluestore file / memstore cap
#   STRATUS_CEPH_AUTH none|cephx (none)   STRATUS_CEPH_POOL (rbd)   STRATUS_CEPH_WITH_MGR 0|1 (0)
#   STRATUS_CEPH_TIMEOUT (120) seconds to wait for readiness

ceph_vars() {
  CEPH_MON_PORT=${STRATUS_CEPH_MON_PORT:-16789}
  CEPH_MON_V1_PORT=$((CEPH_MON_PORT + 1))
  CEPH_PORT_MIN=${STRATUS_CEPH_PORT_MIN:-16800}
  CEPH_PORT_MAX=${STRATUS_CEPH_PORT_MAX:-16899}
  CEPH_OBJECTSTORE=${STRATUS_CEPH_OBJECTSTORE:-bluestore}
  CEPH_STORE_GB=${STRATUS_CEPH_STORE_GB:-10}
  CEPH_AUTH=${STRATUS_CEPH_AUTH:-none}
  CEPH_POOL=${STRATUS_CEPH_POOL:-rbd}
  CEPH_WITH_MGR=${STRATUS_CEPH_WITH_MGR:-0}
  CEPH_TIMEOUT=${STRATUS_CEPH_TIMEOUT:-120}
  CEPH_MON_HOST="[v2:127.0.0.1:$CEPH_MON_PORT,v1:127.0.0.1:$CEPH_MON_V1_PORT]"
  CEPH_CONF_FILE=$H_DIR/ceph.conf
}

ceph_require() {
  h_require ceph ceph-mon:ceph-mon ceph-osd:ceph-osd ceph:ceph-common rbd:ceph-common rados:ceph-common \
    ceph-authtool:ceph-common monmaptool:ceph-mon
  ceph_vars
  if [ "$CEPH_WITH_MGR" = 1 ]; then h_require ceph ceph-mgr:ceph-mgr; fi
  case $CEPH_OBJECTSTORE in bluestore | memstore) ;; *) h_die "STRATUS_CEPH_OBJECTSTORE must be bluestore or memstore" ;; esac
  case $CEPH_AUTH in none | cephx) ;; *) h_die "STRATUS_CEPH_AUTH must be none or cephx" ;; esac
}

ceph_config() {
  ceph_vars
  echo "mon=$CEPH_MON_PORT ports=$CEPH_PORT_MIN-$CEPH_PORT_MAX store=$CEPH_OBJECTSTORE/$CEPH_STORE_GB auth=$CEPH_AUTH pool=$CEPH_POOL mgr=$CEPH_WITH_MGR"
}

ceph_logs() { echo "$H_DIR/log/mon.a.log $H_DIR/log/osd.0.log $H_DIR/log/osd-mkfs.log $H_DIR/log/mgr.x.log $H_DIR/log/cluster.log"; }

# A command against the cluster that gives up instead of hanging.
ceph_cli() { timeout "${CEPH_CLI_TIMEOUT:-15}" ceph -c "$CEPH_CONF_FILE" --connect-timeout 5 "$@"; }

# "Answering": the monitor serves the OSD map and the OSD serves a read of the pool's rbd_info
# object. Both with the C++ rados tool, which starts far faster than the Python ceph CLI.
ceph_answers() {
  timeout 10 rados -c "$CEPH_CONF_FILE" --client_mount_timeout 5 -p "$CEPH_POOL" stat rbd_info >/dev/null 2>&1
}

ceph_alive() {
  ceph_vars
  [ -f "$CEPH_CONF_FILE" ] || return 1
  h_pid_alive "$H_DIR/run/mon.a.pid" ceph-mon >/dev/null || return 1
  h_pid_alive "$H_DIR/run/osd.0.pid" ceph-osd >/dev/null || return 1
  if [ "$CEPH_WITH_MGR" = 1 ]; then h_pid_alive "$H_DIR/run/mgr.x.pid" ceph-mgr >/dev/null || return 1; fi
  ceph_answers
}

ceph_down() {
  ceph_vars
  local f name
  # OSD first (it reports to the monitor on the way out), the monitor last
  for f in "$H_DIR"/run/osd.*.pid "$H_DIR"/run/mgr.*.pid "$H_DIR"/run/mon.*.pid; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .pid)
    h_stop_pidfile "$f" "ceph-${name%%.*}" 20
  done
  rm -f "$H_DIR"/run/*.asok
}

ceph_write_conf() {
  local fsid=$1
  cat >"$CEPH_CONF_FILE" <<EOF
# Written by scripts/harness/ceph.sh: a throwaway single-node cluster. Regenerated on every cold start.
[global]
fsid = $fsid
mon host = $CEPH_MON_HOST
public network = 127.0.0.0/8
public addr = 127.0.0.1
ms bind port min = $CEPH_PORT_MIN
ms bind port max = $CEPH_PORT_MAX
auth cluster required = $CEPH_AUTH
auth service required = $CEPH_AUTH
auth client required = $CEPH_AUTH
keyring = $H_DIR/keyring
run dir = $H_DIR/run
admin socket = $H_DIR/run/\$cluster-\$name.asok
pid file = $H_DIR/run/\$name.pid
log file = $H_DIR/log/\$name.log
log to stderr = false
err to stderr = true
crash dir = $H_DIR/crash
# one copy of everything: there is one OSD
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 1
mon data avail crit = 0
rbd default features = layering,exclusive-lock,object-map,fast-diff,deep-flatten

[mon]
mon data = $H_DIR/mon/\$cluster-\$id
mon cluster log file = $H_DIR/log/cluster.log
# The default (1 s) delays every map change (pool creation, OSD boot, each RBD snapshot id)
# by up to a second; a lone monitor can propose almost at once.
paxos propose interval = 0.02
paxos min wait = 0.005

[mgr]
mgr data = $H_DIR/mgr/\$cluster-\$id
keyring = $H_DIR/mgr/\$cluster-\$id/keyring
mgr initial modules =

[osd]
osd data = $H_DIR/osd/\$cluster-\$id
keyring = $H_DIR/osd/\$cluster-\$id/keyring
osd objectstore = $CEPH_OBJECTSTORE
memstore device bytes = $((CEPH_STORE_GB * 1024 * 1024 * 1024))
memstore page set = true
bluestore block path = $H_DIR/osd/block.\$id
bluestore block create = true
bluestore block size = $((CEPH_STORE_GB * 1024 * 1024 * 1024))
bluestore fsck on mkfs = false
bluestore cache size = 134217728
osd memory target = 939524096
osd max object name len = 460
osd max object namespace len = 64
osd op num shards = 1
osd op num threads per shard = 2
EOF
}

ceph_up() {
  ceph_vars
  local logs fsid osd_uuid osd_id
  logs=$(ceph_logs)
  if ((${#CEPH_CONF_FILE} > 90)); then h_log "warning: long harness path; admin sockets may exceed the 107-byte limit"; fi
  # fresh cluster every cold start
  rm -rf "$H_DIR"/{run,log,mon,osd,mgr,tmp,crash} "$H_DIR/keyring" "$CEPH_CONF_FILE" "$H_DIR/connection.json"
  mkdir -p "$H_DIR"/{run,log,mon,osd,mgr,tmp,crash}
  h_ports_free ceph "$CEPH_MON_PORT" "$CEPH_MON_V1_PORT"
  fsid=$(cat /proc/sys/kernel/random/uuid)
  ceph_write_conf "$fsid"
  export CEPH_CONF=$CEPH_CONF_FILE

  # mkfs wants keyrings even with auth none; with cephx they are the real credentials
  ceph-authtool --create-keyring "$H_DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$H_DIR/keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "$CEPH_MON_HOST" "$H_DIR/tmp/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$H_DIR/tmp/monmap" --keyring "$H_DIR/keyring" >"$H_DIR/log/mon-mkfs.log" 2>&1 ||
    h_fail_with_logs "ceph-mon --mkfs failed" "$H_DIR/log/mon-mkfs.log"
  ceph-mon -i a </dev/null >>"$H_DIR/log/mon.a.log" 2>&1 ||
    h_fail_with_logs "ceph-mon failed to start (is port $CEPH_MON_PORT free?)" $logs
  h_wait_for "$CEPH_TIMEOUT" ceph_cli mon stat || h_fail_with_logs "the monitor did not answer within ${CEPH_TIMEOUT}s" $logs

  if [ "$CEPH_WITH_MGR" = 1 ]; then
    mkdir -p "$H_DIR/mgr/ceph-x"
    ceph_cli auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' \
      -o "$H_DIR/mgr/ceph-x/keyring" >/dev/null 2>&1 || true
    ceph-mgr -i x </dev/null >>"$H_DIR/log/mgr.x.log" 2>&1 || h_fail_with_logs "ceph-mgr failed to start" $logs
  fi

  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(ceph_cli osd new "$osd_uuid" 2>>"$H_DIR/log/osd-mkfs.log") || h_fail_with_logs "ceph osd new failed" $logs
  [ "$osd_id" = 0 ] || h_fail_with_logs "expected osd id 0, got '$osd_id'" $logs
  mkdir -p "$H_DIR/osd/ceph-0"
  ceph_cli auth get-or-create osd.0 mon 'allow profile osd' mgr 'allow profile osd' osd 'allow *' \
    -o "$H_DIR/osd/ceph-0/keyring" >/dev/null 2>&1 || true
  ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$H_DIR/log/osd-mkfs.log" 2>&1 ||
    h_fail_with_logs "ceph-osd --mkfs failed" $logs
  ceph-osd -i 0 </dev/null >>"$H_DIR/log/osd.0.log" 2>&1 || h_fail_with_logs "ceph-osd failed to start" $logs
  h_wait_for "$CEPH_TIMEOUT" ceph_osd_up || h_fail_with_logs "osd.0 did not come up within ${CEPH_TIMEOUT}s" $logs

  ceph_cli osd pool create "$CEPH_POOL" 8 8 >/dev/null 2>&1 || h_fail_with_logs "creating pool $CEPH_POOL failed" $logs
  # enables the rbd application and writes rbd_info, so it returns once the PGs are active
  timeout "$CEPH_TIMEOUT" rbd -c "$CEPH_CONF_FILE" pool init "$CEPH_POOL" ||
    h_fail_with_logs "rbd pool init $CEPH_POOL failed" $logs
  h_wait_for 20 ceph_answers || h_fail_with_logs "the pool does not answer" $logs
  ceph_write_connection "$fsid"
}

ceph_osd_up() { ceph_cli osd stat -f json 2>/dev/null | grep -q '"num_up_osds":1'; }

ceph_write_connection() {
  local fsid=$1 monpid osdpid mgrpid=""
  monpid=$(cat "$H_DIR/run/mon.a.pid")
  osdpid=$(cat "$H_DIR/run/osd.0.pid")
  [ "$CEPH_WITH_MGR" = 1 ] && mgrpid=$(cat "$H_DIR/run/mgr.x.pid")
  h_write_atomic "$H_DIR/connection.json" <<EOF
{
  "component": "ceph",
  "dir": $(h_json_str "$H_DIR"),
  "conf": $(h_json_str "$CEPH_CONF_FILE"),
  "fsid": "$fsid",
  "pool": $(h_json_str "$CEPH_POOL"),
  "monHost": "$CEPH_MON_HOST",
  "mon": { "v2": "127.0.0.1:$CEPH_MON_PORT", "v1": "127.0.0.1:$CEPH_MON_V1_PORT", "host": "127.0.0.1", "port": $CEPH_MON_PORT },
  "keyring": $(h_json_str "$H_DIR/keyring"),
  "client": "client.admin",
  "user": "admin",
  "auth": "$CEPH_AUTH",
  "objectstore": "$CEPH_OBJECTSTORE",
  "storeBytes": $((CEPH_STORE_GB * 1024 * 1024 * 1024)),
  "withMgr": $([ "$CEPH_WITH_MGR" = 1 ] && echo true || echo false),
  "pids": { "mon": $monpid, "osd": $osdpid, "mgr": $(h_json_num "$mgrpid") },
  "adminSockets": { "mon": $(h_json_str "$H_DIR/run/ceph-mon.a.asok"), "osd": $(h_json_str "$H_DIR/run/ceph-osd.0.asok") },
  "env": { "CEPH_CONF": $(h_json_str "$CEPH_CONF_FILE") },
  "logs": [$(h_json_str "$H_DIR/log/mon.a.log"), $(h_json_str "$H_DIR/log/osd.0.log"), $(h_json_str "$H_DIR/log/cluster.log")]
}
EOF
}

ceph_env() {
  ceph_vars
  echo "export CEPH_CONF='$CEPH_CONF_FILE'"
}

ceph_info() {
  ceph_vars
  cat <<EOF
Ceph is up ($CEPH_OBJECTSTORE, auth $CEPH_AUTH, $([ "$CEPH_WITH_MGR" = 1 ] && echo "with mgr" || echo "no mgr")); details: $H_DIR/connection.json
  conf     $CEPH_CONF_FILE     (librados: rados_conf_read_file(cluster, that path))
  monitor  v2:127.0.0.1:$CEPH_MON_PORT v1:127.0.0.1:$CEPH_MON_V1_PORT   (pid $(cat "$H_DIR/run/mon.a.pid"))
  osd.0    pid $(cat "$H_DIR/run/osd.0.pid")
  pool     $CEPH_POOL   keyring $H_DIR/keyring (client.admin)
  Try:  rbd -c $CEPH_CONF_FILE ls $CEPH_POOL
        rbd -c $CEPH_CONF_FILE create $CEPH_POOL/test --size 64M
        timeout 10 ceph -c $CEPH_CONF_FILE -s$([ "$CEPH_WITH_MGR" = 1 ] || echo "      (no mgr: 'ceph df' would hang, keep the timeout)")
  Shell: eval "\$($H_SELF env ceph $H_ROOT)"
EOF
}
