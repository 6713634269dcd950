#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server's tests (Debian `postgresql`).
#
#   scripts/pg-test-cluster.sh run -- cargo test -p rewards-server
#       starts a cluster, runs the command with DATABASE_URL_PG set, stops it
#   eval "$(scripts/pg-test-cluster.sh start)"     # exports DATABASE_URL_PG and PG_TEST_DIR
#   scripts/pg-test-cluster.sh stop "$PG_TEST_DIR"
#
# The cluster lives in a temp dir owned by the `postgres` user (when run as
# root), listens on 127.0.0.1 on a free port with trust auth, and runs with
# fsync off: it is test data, thrown away afterwards.
set -euo pipefail

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -z "$d" ]]; then
    echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "$d"
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local p
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port in 55432-55532" >&2
  exit 1
}

start() {
  local bin dir port
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/rewards-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  port=$(free_port)
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "export PG_TEST_DIR=$dir"
  echo "export DATABASE_URL_PG=postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=${1:-${PG_TEST_DIR:-}}
  [[ -n "$dir" && -d "$dir/data" ]] || { echo "usage: $0 stop DIR" >&2; exit 1; }
  as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  run)
    shift
    [[ "${1:-}" == "--" ]] && shift
    eval "$(start)"
    trap 'stop "$PG_TEST_DIR"' EXIT
    echo "PostgreSQL test cluster at $DATABASE_URL_PG" >&2
    DATABASE_URL_PG=$DATABASE_URL_PG "$@"
    ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
