#!/usr/bin/env bash
# Builds the offline base image for Jib without any registry: a Debian bookworm minbase root
# filesystem (debootstrap, from Debian's package mirror) with a jlink-made Java runtime in
# /opt/java, the non-root user `prefect` (10001) and /data owned by it, written as a docker-save
# tarball that Jib takes with tar://PATH and `docker load` accepts.
#
# Usage: build-base.sh [OUTPUT.tar]   (default: ~/.cache/openprefect/base-bookworm-2.tar; kept if present,
#                                      FORCE=1 rebuilds). Needs root, debootstrap and a JDK 21+ (JAVA_HOME).
# The name's number is the recipe's version: raise it (here, in images/pom.xml and in the docs) with
# any change below, so that machines holding the older base build this one instead of reusing it.
# Files are normalized (owner, mtime = SOURCE_DATE_EPOCH, sorted) so the layer digest depends only
# on the packages and the JDK, not on when it was built.
set -euo pipefail

OUT=${1:-${OPENPREFECT_CACHE:-$HOME/.cache/openprefect}/base-bookworm-2.tar}
# java.desktop is for java.beans (Liquibase), java.xml for the changelogs, java.management for HikariCP.
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.charsets,jdk.crypto.ec,jdk.net,jdk.unsupported,jdk.zipfs

if [[ -f "$OUT" && -z "${FORCE:-}" ]]; then
    echo "Base image already built: $OUT (FORCE=1 to rebuild)"
    exit 0
fi
[[ $(id -u) == 0 ]] || { echo "build-base.sh: debootstrap needs root" >&2; exit 1; }
JAVA_HOME=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[1-9]* 2>/dev/null | head -1)}
[[ -x "$JAVA_HOME/bin/jlink" ]] || { echo "build-base.sh: no jlink under JAVA_HOME=$JAVA_HOME" >&2; exit 1; }

source "$(dirname "$0")/../lib/write-image-tar.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/rootfs

echo "[1/5] debootstrap --variant=minbase bookworm (about a minute)"
debootstrap_minbase "$ROOT"

echo "[2/5] trimming apt lists, docs, man pages, locales, logs and caches"
trim_rootfs "$ROOT"

echo "[3/5] jlink runtime from $JAVA_HOME into /opt/java, with its class-data archive"
# The archive (lib/server/classes.jsa, made the same way every time) spares every start parsing the
# JDK's own classes: 0.2-0.3 s of a start without the server's AOT cache (docs/performance.md). Its
# twin for heaps over 32 GB (classes_nocoops.jsa) is 13 MB a small appliance never uses.
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$ROOT/opt/java"
rm -f "$ROOT/opt/java/lib/server/classes_nocoops.jsa"

echo "[4/5] user prefect (10001), /data"
echo "prefect:x:10001:10001:OpenPrefect:/data:/usr/sbin/nologin" >> "$ROOT/etc/passwd"
echo "prefect:x:10001:" >> "$ROOT/etc/group"
echo "prefect:*:19000:0:99999:7:::" >> "$ROOT/etc/shadow"
mkdir -p "$ROOT/data"
chown 10001:10001 "$ROOT/data"
chmod 1777 "$ROOT/tmp"

echo "[5/5] writing $OUT"
JAVA_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | tr -d '"')
write_image_tar "$ROOT" "$OUT" openprefect/base:bookworm-2 \
    '{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"User":"10001:10001","WorkingDir":"/data"}' \
    "images/src/base/build-base.sh: debootstrap minbase bookworm + jlink ($JAVA_VERSION)"
