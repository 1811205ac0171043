#!/usr/bin/env bash
# Builds a PostgreSQL 15 image from Debian's packages, for machines that cannot pull the official
# `postgres:15` image: same volume path (/var/lib/postgresql/data), same variables (POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB), pg_isready on PATH, pg_trgm available. Written as a docker-save
# tarball; no Docker engine is needed to build it.
#
# Usage: build-postgres-image.sh [OUTPUT.tar]  (default ~/.cache/openprefect/postgres-15.tar; kept if
#                                               present, FORCE=1 rebuilds). Needs root and debootstrap.
# Load it with `docker load -i OUTPUT.tar`: the tag is openprefect/postgres:15.
set -euo pipefail
OUT=${1:-${OPENPREFECT_CACHE:-$HOME/.cache/openprefect}/postgres-15.tar}
if [[ -f "$OUT" && -z "${FORCE:-}" ]]; then
    echo "PostgreSQL image already built: $OUT (FORCE=1 to rebuild)"
    exit 0
fi
[[ $(id -u) == 0 ]] || { echo "build-postgres-image.sh: debootstrap and chroot need root" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib/write-image-tar.sh"
WORK=$(mktemp -d)
ROOT=$WORK/rootfs
cleanup() { umount "$ROOT/proc" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "[1/4] debootstrap --variant=minbase bookworm (about a minute)"
debootstrap_minbase "$ROOT"

echo "[2/4] apt-get install postgresql-15 postgresql-contrib in a chroot"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d" && chmod 755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"
chroot "$ROOT" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-contrib >/dev/null'
umount "$ROOT/proc"
# The image initialises its own cluster on first start, in the volume.
chroot "$ROOT" pg_dropcluster 15 main 2>/dev/null || true
rm -f "$ROOT/usr/sbin/policy-rc.d" "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/var/lib/postgresql/data" "$ROOT/var/run/postgresql"
chroot "$ROOT" chown postgres:postgres /var/lib/postgresql /var/lib/postgresql/data /var/run/postgresql
install -m 755 "$HERE/docker-entrypoint.sh" "$ROOT/usr/local/bin/docker-entrypoint.sh"

echo "[3/4] trimming"
trim_rootfs "$ROOT"

echo "[4/4] writing $OUT"
write_image_tar "$ROOT" "$OUT" openprefect/postgres:15 \
    '{"Env":["PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","PGDATA=/var/lib/postgresql/data","LANG=C.UTF-8"],"Entrypoint":["/usr/local/bin/docker-entrypoint.sh"],"Cmd":["postgres"],"ExposedPorts":{"5432/tcp":{}},"Volumes":{"/var/lib/postgresql/data":{}},"StopSignal":"SIGINT"}' \
    "images/src/postgres/build-postgres-image.sh: debootstrap minbase bookworm + postgresql-15 from Debian"
