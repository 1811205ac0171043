#!/usr/bin/env bash
# Starts the machine's local PostgreSQL cluster when it is installed but down (CI and dev machines
# carry one at 127.0.0.1:5432 with trust auth). Does nothing when a server already answers there,
# whether or not PostgreSQL's client tools (pg_isready) are installed.
set -euo pipefail

answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null
  else
    # Without the client tools: something accepts TCP connections on the port.
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

if answers; then
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql ]; then
  echo "No PostgreSQL answers on 127.0.0.1:5432 and no local installation was found (pg_ctlcluster missing)." >&2
  exit 1
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
echo "Starting PostgreSQL $version ..." >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  answers && exit 0
  sleep 1
done
echo "PostgreSQL did not become ready within 30 s." >&2
exit 1
