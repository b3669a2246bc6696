#!/usr/bin/env bash
# Runs a command with BENCH_DATABASE_URL naming an empty database on a
# throw-away PostgreSQL server (loopback, a free port), removed afterwards.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGTMP=$(mktemp -d /tmp/encompass-bench-pg.XXXXXX)
as_root chown postgres:postgres "$PGTMP"
stop() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  as_root rm -rf "$PGTMP"
}
trap stop EXIT
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off" start >/dev/null
BENCH_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres" "$@"
