#!/bin/bash
# First start: initialise the cluster in $PGDATA from POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB,
# as the official image does; then run the server as the postgres user.
set -euo pipefail
PGDATA=${PGDATA:-/var/lib/postgresql/data}
if [[ $(id -u) == 0 ]]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown -R postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
user=${POSTGRES_USER:-postgres}
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    [[ -n "${POSTGRES_PASSWORD:-}" ]] || { echo "POSTGRES_PASSWORD is required on first start" >&2; exit 1; }
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    db=${POSTGRES_DB:-$user}
    if [[ "$db" != "postgres" ]]; then
        pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -l /dev/null -w start >/dev/null
        psql -v ON_ERROR_STOP=1 -U "$user" -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
        pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo "PostgreSQL initialised in $PGDATA (user $user, database $db)"
fi
if [[ "${1:-}" == "postgres" ]]; then
    shift
    exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
