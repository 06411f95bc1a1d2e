#!/usr/bin/env bash
# Starts Debian's Keystone (the peer for side-by-side figures) on loopback in a throwaway directory:
# SQLite, Fernet keys, bootstrap (admin/admin), uwsgi with 2 processes. Prints the URL.
#   keystone-peer.sh up DIR [PORT]   (default port 35357)
#   keystone-peer.sh down DIR
# Needs: keystone uwsgi-core uwsgi-plugin-python3 (apt-get install them; setup does not, by default).
set -euo pipefail
cmd=$1; D=$(mkdir -p "$2" && cd "$2" && pwd); PORT=${3:-35357}
if [ "$cmd" = down ]; then
  [ -f "$D/uwsgi.pid" ] && kill "$(cat "$D/uwsgi.pid")" 2>/dev/null || true
  for _ in $(seq 50); do [ -f "$D/uwsgi.pid" ] && kill -0 "$(cat "$D/uwsgi.pid")" 2>/dev/null || break; sleep 0.1; done
  rm -f "$D/uwsgi.pid"; exit 0
fi
for b in keystone-manage keystone-wsgi-public uwsgi; do command -v $b >/dev/null || { echo "missing $b: apt-get install keystone uwsgi-core uwsgi-plugin-python3" >&2; exit 2; }; done
mkdir -p "$D"/{fernet-keys,credential-keys,log}
cat > "$D/keystone.conf" <<CONF
[DEFAULT]
log_dir = $D/log
use_stderr = false
[database]
connection = sqlite:///$D/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $D/fernet-keys
[credential]
key_repository = $D/credential-keys
[cache]
# Keystone's own in-process cache, so the peer is measured as it is meant to run (without it every
# validation runs about 950 SQL statements and the figure says nothing)
enabled = true
backend = dogpile.cache.memory
CONF
export OS_KEYSTONE_CONFIG_FILES=$D/keystone.conf
if [ ! -f "$D/keystone.db" ]; then
  keystone-manage --config-file "$D/keystone.conf" db_sync >/dev/null 2>&1
  keystone-manage --config-file "$D/keystone.conf" fernet_setup --keystone-user root --keystone-group root >/dev/null 2>&1
  keystone-manage --config-file "$D/keystone.conf" credential_setup --keystone-user root --keystone-group root >/dev/null 2>&1
  keystone-manage --config-file "$D/keystone.conf" bootstrap --bootstrap-password admin \
    --bootstrap-public-url "http://127.0.0.1:$PORT/v3/" --bootstrap-region-id RegionOne >/dev/null 2>&1
fi
uwsgi --plugin python3 --http-socket "127.0.0.1:$PORT" --wsgi-file "$(command -v keystone-wsgi-public)" \
  --processes 2 --threads 1 --master --lazy-apps --pidfile "$D/uwsgi.pid" --daemonize "$D/log/uwsgi.log" \
  --env "OS_KEYSTONE_CONFIG_FILES=$D/keystone.conf" --die-on-term >/dev/null
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$PORT/v3" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/v3" >/dev/null || { tail -20 "$D/log/uwsgi.log" >&2; exit 1; }
echo "http://127.0.0.1:$PORT"
