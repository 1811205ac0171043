#!/usr/bin/env bash
# Makes the image's class-data archive (CDS): the classes of server-classes.txt, from the JDK and the
# application, parsed, verified and laid out ahead of time, which the JVM maps at start instead of
# reading them from their jars (docs/container.md; about half a second of each start). It is dumped
# with the image's own Java runtime and classpath, taken from the image built without it: the archive
# is only used by the runtime that made it, with the same jars (size and time) in the same order.
# It is dumped twice, from two folders, and must come out the same: two builds of one commit must make
# one image digest.
#
# Usage: make-class-archive.sh IMAGE.tar CLASS_LIST OUTPUT_DIR   (writes OUTPUT_DIR/app/cds/server.jsa)
set -euo pipefail
image=$1
list=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
out=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

root=$work/root
mkdir -p "$work/oci" "$root"
tar -xf "$image" -C "$work/oci"
# Only the runtime and the application: the base layer's /dev entries cannot be made by a non-root build.
for layer in $(sed -n 's/.*"Layers":\[\([^]]*\)\].*/\1/p' "$work/oci/manifest.json" | tr -d '"' | tr ',' ' '); do
    tar -xzf "$work/oci/$layer" -C "$root" --wildcards --no-anchored --exclude='dev/*' 'opt/java*' 'app*' 2>/dev/null || true
done
[[ -x "$root/opt/java/bin/java" && -f "$root/app/jib-classpath-file" ]] || { echo "[class archive] no Java runtime or classpath in $image" >&2; exit 1; }
# Relative to the unpacked root: the archive records the classpath as given, and a path under this
# build's temporary folder would make every build's archive different. The JVM still accepts the
# archive with the image's /app/... classpath (same jars, same order).
classpath=$(sed "s#/app/#app/#g" "$root/app/jib-classpath-file")

dump() {
    # What the image's java command sets that the archive records: a heap that keeps compressed object
    # pointers (-Xmx384m), and native access (else the JVM drops the archived module graph).
    (cd "$root" && "$root/opt/java/bin/java" -Xshare:dump -Xmx384m --enable-native-access=ALL-UNNAMED -XX:SharedClassListFile="$list" \
        -XX:SharedArchiveFile="$1" -cp "$classpath" >"$1.log" 2>&1) \
        || { cat "$1.log" >&2; echo "[class archive] the dump failed" >&2; exit 1; }
}
dump "$work/a.jsa"
# The second dump from another folder, as another build's would be.
mkdir "$work/elsewhere"
mv "$root" "$work/elsewhere/"
root=$work/elsewhere/root
dump "$work/b.jsa"
if ! cmp -s "$work/a.jsa" "$work/b.jsa"; then
    echo "[class archive] two dumps of the same classes from two folders differ: the image would not be reproducible" >&2
    exit 1
fi
missing=$(grep -c 'Preload Warning: Cannot find' "$work/a.jsa.log" || true)
listed=$(grep -c . "$list")
mkdir -p "$out/app/cds"
cp "$work/a.jsa" "$out/app/cds/server.jsa"
# The image's identity for the class cache its first start trains into the volume (the entrypoint names
# the cache after it): every file of the runtime and the application. Not the jars' times and sizes, which
# the JVM checks: Jib gives every file the same time, and a changed jar may keep its size.
(cd "$root" && find app opt/java -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-64 >"$out/app/cds/image.id"
echo "[class archive] $out/app/cds/server.jsa: $(( $(stat -c %s "$work/a.jsa") / 1048576 )) MB, $((listed - missing)) of the $listed listed classes" \
    "($missing no longer found; refresh the list with images/src/cds/make-class-list.sh when many are missing)"
