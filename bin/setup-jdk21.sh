#!/usr/bin/env bash
# Makes a JDK 21 runtime to prove the build and the server on the oldest JDK we support (these
# machines carry only Java 17 and Temurin 25): a Debian trixie root filesystem with
# openjdk-21-jdk-headless, from Debian's package mirror with debootstrap (about 30 s, 640 MB;
# cached in ~/.cache/openprefect/jdk21-trixie; FORCE=1 rebuilds). bin/check-jdk21.sh runs the
# README's commands inside it. Needs root and debootstrap; anything missing is reported and the
# JDK 21 test then skips, saying why.
set -uo pipefail
root=${OPENPREFECT_JDK21_ROOT:-$HOME/.cache/openprefect/jdk21-trixie}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [[ $(id -u) != 0 ]]; then
    echo "setup-jdk21: not root; skipping the JDK 21 root filesystem (the JDK 21 test will skip)." >&2
    exit 0
fi
if [[ -x "$root/usr/lib/jvm/java-21-openjdk-amd64/bin/javac" && -z "${FORCE:-}" ]]; then
    exit 0
fi
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1; } \
    || { echo "setup-jdk21: debootstrap is missing and could not be installed." >&2; exit 0; }
rm -rf "$root" "$root.partial"
mkdir -p "$(dirname "$root")"
echo "setup-jdk21: debootstrap trixie with openjdk-21-jdk-headless into $root (about 30 s) ..." >&2
if ! debootstrap --variant=minbase --include=openjdk-21-jdk-headless trixie "$root.partial" "$mirror" \
        > "$root.log" 2>&1; then
    echo "setup-jdk21: debootstrap failed; see $root.log. The JDK 21 test will skip." >&2
    rm -rf "$root.partial"
    exit 0
fi
rm -rf "$root.partial"/var/cache/apt/archives/*.deb "$root.partial"/var/lib/apt/lists/*
mv "$root.partial" "$root"
echo "setup-jdk21: $(unshare --mount --fork --mount-proc="$root/proc" chroot "$root" java -version 2>&1 | head -1)" >&2
