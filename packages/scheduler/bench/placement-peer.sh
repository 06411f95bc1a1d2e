#!/usr/bin/env bash
# Starts Debian's OpenStack Placement (the peer for side-by-side figures) on loopback in a throwaway
# directory: SQLite, auth_strategy noauth2 (send X-Auth-Token: admin), uwsgi with 2 processes of
# 1 thread. Prints the URL. The database is $DIR/placement.db (the bench writes its cloud there).
#   placement-peer.sh install          (apt-get install placement-api uwsgi-core uwsgi-plugin-python3 when missing)
#   placement-peer.sh up DIR [PORT]    (default port 18778)
#   placement-peer.sh down DIR
#   placement-peer.sh restart DIR [PORT]  (down, then up: fresh processes, so fresh caches)
set -euo pipefail
cmd=$1
if [ "$cmd" = install ]; then
  missing=0
  for b in placement-manage placement-api uwsgi; do command -v $b >/dev/null || missing=1; done
  [ -f /usr/lib/uwsgi/plugins/python3_plugin.so ] || missing=1
  [ $missing = 0 ] && exit 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends placement-api uwsgi-core uwsgi-plugin-python3 >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends placement-api uwsgi-core uwsgi-plugin-python3 >/dev/null; }
  exit 0
fi
D=$(mkdir -p "$2" && cd "$2" && pwd); PORT=${3:-18778}
# SIGTERM to the master; a master or worker still there after 10 s (a worker busy with a long
# request, or one still loading the app) gets SIGKILL, so the port is free for the next start.
down() {
  [ -f "$D/uwsgi.pid" ] || return 0
  local master; master=$(cat "$D/uwsgi.pid")
  local workers; workers=$(pgrep -P "$master" || true)
  kill "$master" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
  for pid in $master $workers; do kill -9 "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
  rm -f "$D/uwsgi.pid"
}
case $cmd in
  down) down; exit 0 ;;
  restart) down ;;
  up) ;;
  *) echo "usage: $0 install | up DIR [PORT] | down DIR | restart DIR [PORT]" >&2; exit 2 ;;
esac
for b in placement-manage placement-api uwsgi; do command -v $b >/dev/null || { echo "missing $b: $0 install" >&2; exit 2; }; done
mkdir -p "$D/log"
cat > "$D/placement.conf" <<CONF
[DEFAULT]
log_dir = $D/log
use_stderr = false
[api]
auth_strategy = noauth2
[placement_database]
connection = sqlite:///$D/placement.db
CONF
if [ ! -f "$D/placement.db" ]; then
  placement-manage --config-file "$D/placement.conf" db sync >/dev/null 2>&1
  # Loading the app once writes the standard traits and resource classes: two workers doing it at
  # once on a fresh SQLite file race ("database is locked") and one is left without the app.
  OS_PLACEMENT_CONFIG_DIR=$D /usr/bin/python3 -c 'from placement.wsgi import init_application; init_application()' >/dev/null 2>&1
fi
# placement.wsgi reads placement.conf from OS_PLACEMENT_CONFIG_DIR. harakiri is off: the bench
# times out on its side, and a worker that runs on after that is part of what it reports.
# a fresh log: readiness is counted from its "ready" lines
[ -f "$D/log/uwsgi.log" ] && mv "$D/log/uwsgi.log" "$D/log/uwsgi.log.old"
uwsgi --plugin python3 --http-socket "127.0.0.1:$PORT" --wsgi-file "$(command -v placement-api)" \
  --processes 2 --threads 1 --master --lazy-apps --enable-threads --buffer-size 65535 \
  --pidfile "$D/uwsgi.pid" --daemonize "$D/log/uwsgi.log" \
  --env "OS_PLACEMENT_CONFIG_DIR=$D" --die-on-term >/dev/null
# --lazy-apps: each worker loads the app itself; wait for both (one stopped while loading leaves
# the master serving 500s without an app)
ready() { local n; n=$(grep -c "WSGI app 0 .* ready" "$D/log/uwsgi.log" 2>/dev/null); [ "${n:-0}" -ge 2 ]; }
for _ in $(seq 300); do
  ready && break
  if [ -f "$D/uwsgi.pid" ] && ! kill -0 "$(cat "$D/uwsgi.pid")" 2>/dev/null; then break; fi; sleep 0.2; done
ready && curl -sf "http://127.0.0.1:$PORT/" >/dev/null || { tail -20 "$D/log/uwsgi.log" >&2; down; exit 1; }
echo "http://127.0.0.1:$PORT"
