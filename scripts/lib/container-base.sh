# Local stand-ins for the Dockerfile's base images, made offline (no registry is reachable here).
# Sourced by scripts/container-test.sh; needs root, podman, buildah and debootstrap.
#
#   debian:bookworm-slim   debootstrap --variant=minbase bookworm, slimmed as the official image is
#                          (no docs, man pages or locales; apt keeps no caches), imported (~1 min)
#   swift:6.3-bookworm     the above + the official swift image's build packages + a copy of this
#                          machine's Swift toolchain (/opt/swift) + git's redirect of github.com to
#                          the local package mirror (/opt/swift-packages), which `podman build`
#                          mounts read-only: the mirror stands in for the network the real image has
#                          (~3 min, ~4 GB)
#
# Each is made once and kept in podman's storage; a label records what it was made from, and a
# change (another toolchain) makes it again.

# The names the Dockerfile's FROM lines resolve to (short names are looked up as docker.io/library/).
debian_image=docker.io/library/debian:bookworm-slim
swift_image=docker.io/library/swift:6.3-bookworm

# The official swift:6.3-bookworm image's build packages (its Dockerfile's apt-get install), plus
# libncurses6, which this toolchain's `swift` driver links, and ca-certificates.
swift_packages=(binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libncurses6
    libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev pkg-config tzdata zlib1g-dev unzip
    ca-certificates)

# debian_mirror: the Debian archive this machine's apt uses (never a hard-coded host).
debian_mirror() {
    local uri
    uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1)
    [[ -n $uri ]] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -1)
    echo "${uri:-}"
}

# image_label IMAGE KEY: a label of a local image, empty if the image or label is missing.
image_label() {
    podman image inspect --format "{{index .Labels \"$2\"}}" "$1" 2>/dev/null || true
}

# slim ROOT: what the official slim image does to its debootstrap (debuerreotype's --slimify and
# its apt settings): dpkg leaves out documentation, man pages and locales from now on and they are
# removed; apt keeps no package caches, downloads no translations and keeps its lists compressed.
slim() {
    local root=$1
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/{man,groff,info,lintian,linda}/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
}

make_debian_image() {
    local stamp mirror root
    mirror=$(debian_mirror)
    stamp="debootstrap minbase bookworm from ${mirror:-?}, slim"
    if [[ $(image_label "$debian_image" org.nabla.stand-in) == "$stamp" ]]; then
        echo "base: $debian_image (cached)"
        return 0
    fi
    [[ -n $mirror ]] || { echo "container-test: no Debian mirror in /etc/apt/sources*" >&2; return 1; }
    echo "base: making $debian_image with debootstrap from $mirror"
    root=$(mktemp -d /var/tmp/nabla-bookworm.XXXXXX)
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        { tail -20 "$work/debootstrap.log"; rm -rf "$root"; return 1; }
    slim "$root"
    tar -C "$root" -c . | podman import -q --change 'CMD ["bash"]' \
        --change "LABEL org.nabla.stand-in=\"$stamp\"" - "$debian_image" >/dev/null
    rm -rf "$root"
}

make_swift_image() {
    local stamp toolchain container
    toolchain=$(swift --version 2>&1 | head -1)
    stamp="$toolchain + ${swift_packages[*]} + /opt/swift-packages on $(image_label "$debian_image" org.nabla.stand-in)"
    if [[ $(image_label "$swift_image" org.nabla.stand-in) == "$stamp" ]]; then
        echo "base: $swift_image (cached)"
        return 0
    fi
    echo "base: making $swift_image from $debian_image and /opt/swift ($toolchain)"
    container=$(buildah from --pull-never "$debian_image" 2>>"$work/swift-base.log")
    buildah run --network host "$container" -- sh -c "apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${swift_packages[*]} \
        && rm -rf /var/lib/apt/lists/*" >"$work/swift-base.log" 2>&1 ||
        { tail -20 "$work/swift-base.log"; buildah rm "$container" >/dev/null; return 1; }
    # The toolchain where the official image has it (swift, swiftc, lldb... in /usr/bin).
    buildah copy "$container" /opt/swift/usr /usr >/dev/null
    buildah run "$container" -- git config --system url./opt/swift-packages/.insteadOf https://github.com/
    buildah run "$container" -- swift --version >>"$work/swift-base.log" 2>&1 ||
        { tail -5 "$work/swift-base.log"; buildah rm "$container" >/dev/null; return 1; }
    buildah config --label "org.nabla.stand-in=$stamp" "$container"
    buildah commit --rm "$container" "$swift_image" >/dev/null 2>>"$work/swift-base.log"
}
