#!/usr/bin/env bash
# Proves the README's commands on JDK 21, the oldest JDK we support: copies this work tree (the
# files git knows, with their uncommitted changes) into the JDK 21 root filesystem that
# bin/setup-jdk21.sh made, and there, with no other JDK on the machine, runs ./mvnw (compiling
# every module and its tests) and ./prefect server start, until /api/health answers.
# Runs in a private mount and PID namespace, so nothing stays mounted or running afterwards.
# Host ~/.m2 is the Maven cache, read through an overlay (writes go to a temporary layer).
# Usage: bin/check-jdk21.sh [PORT]   (root; exit 0 when all worked)
set -euo pipefail
cd "$(dirname "$0")/.."
root=${OPENPREFECT_JDK21_ROOT:-$HOME/.cache/openprefect/jdk21-trixie}
port=${1:-4521}
[[ $(id -u) == 0 ]] || { echo "check-jdk21: needs root (chroot and mounts)." >&2; exit 2; }
[[ -x "$root/usr/lib/jvm/java-21-openjdk-amd64/bin/javac" ]] || { echo "check-jdk21: no JDK 21 root filesystem at $root; run bin/setup-jdk21.sh." >&2; exit 2; }
[[ -d "$HOME/.m2/repository" ]] || { echo "check-jdk21: no Maven cache at ~/.m2 (build once with ./mvnw first)." >&2; exit 2; }

work=$(mktemp -d /tmp/openprefect-jdk21.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/m2-upper" "$work/m2-work"
echo "[1/3] copying the work tree to $work/src" >&2
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf - | tar -xf - -C "$work/src"

inner=$(cat <<INNER
set -euo pipefail
export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PREFECT_HOME=/tmp/prefect-home
unset JAVA_HOME MAVEN_OPTS
cd /src
echo "[2/3] inside: \$(java -version 2>&1 | head -1); JDKs: \$(ls /usr/lib/jvm | tr '\n' ' ')"
./mvnw -v | sed -n 3p
SECONDS=0
./mvnw -B -o -q -DskipTests test-compile
echo "./mvnw -B -o -DskipTests test-compile: every module and its tests compiled in \$SECONDS s"
SECONDS=0
echo "[3/3] ./prefect server start --port $port"
./prefect --version
echo "./prefect --version (builds the command) took \$SECONDS s"
SECONDS=0
./prefect server start --port $port > /tmp/server.log 2>&1 &
for i in \$(seq 1 120); do
  if (exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3 && grep -q '^true' <&3) 2>/dev/null; then
    echo "health: true \$SECONDS s after ./prefect server start; its runtime: \$(readlink -f /proc/\$!/exe)"
    kill %1; wait || true
    sed 's/^/  server: /' /tmp/server.log | head -40
    echo "JDK21-OK"
    exit 0
  fi
  sleep 1
done
cat /tmp/server.log
exit 1
INNER
)
unshare --mount --pid --fork --kill-child --mount-proc="$root/proc" bash -c '
    set -e
    root=$1 work=$2
    mkdir -p "$root/src" "$root/root/.m2"
    mount --bind "$work/src" "$root/src"
    mount -t overlay overlay -o lowerdir="$HOME/.m2",upperdir="$work/m2-upper",workdir="$work/m2-work" "$root/root/.m2"
    mount -t tmpfs tmpfs "$root/tmp"
    mount --bind /dev "$root/dev"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    cp /etc/hosts "$root/etc/hosts"
    exec chroot "$root" /bin/bash -c "$3"
' check-jdk21 "$root" "$work" "$inner"
