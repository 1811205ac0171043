#!/usr/bin/env bash
# Packs the air-gapped install bundle: the server image tarball, the PostgreSQL image tarball when one
# was built (images/src/postgres/build-postgres-image.sh), the compose files, .env.example, INSTALL.txt
# and SHA256SUMS over all of them. Check it offline with `prefect bundle verify BUNDLE.tar`.
#
# Usage: make-bundle.sh SERVER_IMAGE.tar OUTPUT.tar VERSION
set -euo pipefail
SERVER_TAR=$1
OUT=$2
VERSION=$3
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
POSTGRES_TAR=${OPENPREFECT_POSTGRES_IMAGE_TAR:-$HOME/.cache/openprefect/postgres-15.tar}
EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
NAME=openprefect-$VERSION

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DIR=$WORK/$NAME
mkdir -p "$DIR/images" "$DIR/compose"
echo "[bundle] server image: $SERVER_TAR"
cp "$SERVER_TAR" "$DIR/images/openprefect-server-$VERSION.tar"
if [[ -f "$POSTGRES_TAR" ]]; then
    echo "[bundle] PostgreSQL image: $POSTGRES_TAR"
    cp "$POSTGRES_TAR" "$DIR/images/postgres-15.tar"
else
    echo "[bundle] no PostgreSQL image tarball at $POSTGRES_TAR: the bundle has the server image only"
fi
cp "$REPO/compose/compose.yaml" "$REPO/compose/compose.sqlite.yaml" "$REPO/compose/.env.example" "$DIR/compose/"
sed "s/@VERSION@/$VERSION/g" "$REPO/images/src/bundle/INSTALL.txt" > "$DIR/INSTALL.txt"
(cd "$DIR" && find . -type f ! -name SHA256SUMS | sed 's#^\./##' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
find "$DIR" -exec touch -h -d "@$EPOCH" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" -C "$WORK" -cf "$OUT.partial" "$NAME"
mv "$OUT.partial" "$OUT"
echo "[bundle] $OUT ($(du -h "$OUT" | cut -f1)); check it with: prefect bundle verify $OUT"
