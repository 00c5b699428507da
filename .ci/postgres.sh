#!/usr/bin/env bash
# Sourced by .ci/run: installs PostgreSQL from Debian's packages when missing, starts a throwaway
# cluster on 127.0.0.1, and exports the connection string that the PostgreSQL tests read.
set -u
# The first free port from 54329 up: a developer machine may already run a server there.
PGPORT_CI="${PGPORT_CI:-54329}"
while (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT_CI") 2>/dev/null; do PGPORT_CI=$((PGPORT_CI + 1)); done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null || return 1
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
PGDATA_CI="$(mktemp -d /tmp/webhooks-pg.XXXXXX)"
id postgres >/dev/null 2>&1 || useradd -r -s /bin/bash postgres
chown postgres "$PGDATA_CI"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as_pg "'$PGBIN/initdb' -D '$PGDATA_CI/data' -U postgres --auth=trust -E UTF8 >/dev/null" || return 1
as_pg "'$PGBIN/pg_ctl' -D '$PGDATA_CI/data' -l '$PGDATA_CI/log' -o \"-c listen_addresses=127.0.0.1 -p $PGPORT_CI -c unix_socket_directories='$PGDATA_CI' -c max_connections=300 -c fsync=off\" -w start >/dev/null" || { cat "$PGDATA_CI/log"; return 1; }
export WEBHOOKS_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT_CI;Username=postgres;Database=postgres;Pooling=true"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT_CI"
