# Sourced by the image scripts: writes a root filesystem as a one-layer docker-save tarball
# (manifest.json, config, layer), which Jib takes as tar://PATH and `docker load` accepts, with
# normalized owners' names, times and order so the digest depends only on the files.
#
# write_image_tar ROOTFS OUTPUT.tar TAG CONFIG_JSON_OBJECT HISTORY_TEXT
write_image_tar() {
    local root=$1 out=$2 tag=$3 config=$4 history=$5
    local epoch=${SOURCE_DATE_EPOCH:-1700000000}
    local work
    work=$(mktemp -d)
    find "$root" -exec touch -h -d "@$epoch" {} +
    tar --sort=name --numeric-owner --mtime="@$epoch" \
        --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$root" -cf "$work/layer.tar" .
    local layer_sha config_sha
    layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
    printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"%s"}]}' \
        "$config" "$layer_sha" "$history" > "$work/config.json"
    config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
    mv "$work/config.json" "$work/$config_sha.json"
    mkdir "$work/$layer_sha" && mv "$work/layer.tar" "$work/$layer_sha/layer.tar"
    printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$config_sha" "$tag" "$layer_sha" > "$work/manifest.json"
    mkdir -p "$(dirname "$out")"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$work" -cf "$out.partial" \
        manifest.json "$config_sha.json" "$layer_sha"
    mv "$out.partial" "$out"
    rm -rf "$work"
    echo "Image $tag: $out ($(du -h "$out" | cut -f1)), layer sha256:$layer_sha"
}

# debootstrap_minbase DIR: a trimmed Debian bookworm minbase root filesystem.
debootstrap_minbase() {
    local root=$1 mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
    command -v debootstrap >/dev/null || { echo "install debootstrap (apt-get install -y debootstrap)" >&2; return 1; }
    debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 \
        || { tail -20 "$root.debootstrap.log" >&2; return 1; }
    rm -f "$root.debootstrap.log"
}

# trim_rootfs DIR: drops apt lists, docs, man pages, locales, logs and caches.
trim_rootfs() {
    local root=$1
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/* "$root"/var/log/* "$root"/usr/share/doc/* \
        "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/tmp/* \
        "$root"/var/lib/dpkg/*-old "$root"/var/lib/dbus/machine-id
    : > "$root"/etc/machine-id
}
