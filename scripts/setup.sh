#!/usr/bin/env bash
# Installs everything Stratus needs on a Debian machine that has only Node 20 and npm (as root):
# pnpm (pinned), the Debian packages of the real components, PostgreSQL/MariaDB/RabbitMQ when they
# are not already serving on loopback, and the workspace (pnpm install + build).
# Every step checks first and is a no-op when already done, so running it twice is cheap.
#   env: STRATUS_SETUP_SKIP_SERVICES=1  do not install/start PostgreSQL, MariaDB, RabbitMQ
#        STRATUS_SETUP_SKIP_BUILD=1     install only
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=10.34.9
say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages ---------------------------------------------------------------------------
DEB_PACKAGES=(
  build-essential python3 curl ca-certificates procps iproute2 psmisc bc
  ovn-central ovn-host openvswitch-switch
  ceph-mon ceph-osd ceph-mgr ceph-common librbd-dev librados-dev
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt-dev qemu-utils qemu-system-x86
  wrk
  python3-openstackclient python3-keystone python3-osc-placement python3-os-traits python3-os-resource-classes tempest python3-glanceclient python3-ovsdbapp
)
apt_updated=0
apt_install() { # installs the named packages that are not installed yet
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  # no systemd here: keep package scripts from trying to start services
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >/dev/null
}
apt_install "${DEB_PACKAGES[@]}"

# --- databases and broker (already running on a developer's machine; started here otherwise) ---
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 120); do port_open "$1" && return 0; sleep 0.5; done; say "nothing answers on 127.0.0.1:$1"; return 1; }
if [ "${STRATUS_SETUP_SKIP_SERVICES:-0}" != 1 ]; then
  if ! port_open 5432; then
    apt_install postgresql
    say "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
    wait_port 5432
  fi
  if ! port_open 3306; then
    apt_install mariadb-server
    say "starting MariaDB"
    as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_port 3306
  fi
  if ! port_open 5672; then
    apt_install rabbitmq-server
    say "starting RabbitMQ"
    as_root rabbitmq-server -detached
    wait_port 5672
  fi
  # a test role on each (password auth over TCP works whatever the server's local auth rules)
  if command -v psql >/dev/null; then
    as_root su postgres -s /bin/sh -c "psql -qtAX -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='stratus') THEN CREATE ROLE stratus LOGIN CREATEDB PASSWORD 'stratus'; END IF; END \\\$\\\$;\"" >/dev/null
    as_root su postgres -s /bin/sh -c "psql -qtAX -c 'SELECT 1 FROM pg_database WHERE datname = \$\$test\$\$' | grep -q 1 || createdb -O stratus test"
  fi
  if command -v mariadb >/dev/null; then
    as_root mariadb -e "CREATE USER IF NOT EXISTS 'stratus'@'127.0.0.1' IDENTIFIED BY 'stratus'; CREATE USER IF NOT EXISTS 'stratus'@'localhost' IDENTIFIED BY 'stratus'; GRANT ALL PRIVILEGES ON *.* TO 'stratus'@'127.0.0.1'; GRANT ALL PRIVILEGES ON *.* TO 'stratus'@'localhost'; CREATE DATABASE IF NOT EXISTS test;"
  fi
fi

# --- Node toolchain ------------------------------------------------------------------------------
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  say "npm install -g pnpm@$PNPM_VERSION"
  npm install -g --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi
# native addons (better-sqlite3) build against the installed Node's headers; node-gyp must not
# try to download them (no network but the registries)
node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
for d in "$node_prefix" /usr /usr/local; do
  if [ -f "$d/include/node/node.h" ]; then export npm_config_nodedir=$d; break; fi
done
say "pnpm install"
CI=true pnpm install --frozen-lockfile --reporter=silent
if [ "${STRATUS_SETUP_SKIP_BUILD:-0}" != 1 ]; then
  say "pnpm build"
  pnpm -s build
fi
say "ready"
