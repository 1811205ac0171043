#!/usr/bin/env bash
# Makes the container tests runnable on this machine: installs a Docker engine, docker-compose and
# debootstrap from Debian's packages when missing (root only), starts dockerd when it is down, then
# builds the two local base images no registry can provide (cached in ~/.cache/openprefect):
# the server's base (images/src/base/build-base.sh) and PostgreSQL (images/src/postgres/build-postgres-image.sh).
# Anything that cannot be done is reported; the tests that need it then skip and say why.
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) != 0 ]]; then
    echo "setup-docker: not root; skipping engine install and image builds (Docker tests will skip)." >&2
    exit 0
fi
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if (( ${#missing[@]} )); then
    echo "setup-docker: installing ${missing[*]} ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; } \
        || echo "setup-docker: could not install ${missing[*]}" >&2
fi
if command -v dockerd >/dev/null && ! docker info >/dev/null 2>&1; then
    echo "setup-docker: starting dockerd ..." >&2
    nohup dockerd > /var/log/dockerd-openprefect.log 2>&1 &
    for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || echo "setup-docker: dockerd did not come up; see /var/log/dockerd-openprefect.log" >&2
fi
source bin/find-jdk.sh >/dev/null 2>&1 || true
images/src/base/build-base.sh || echo "setup-docker: the base image could not be built; the image is not built and its tests skip." >&2
images/src/postgres/build-postgres-image.sh || echo "setup-docker: the PostgreSQL image could not be built; the compose tests skip." >&2
exit 0
