#!/usr/bin/env bash
# Installs what building Nabla needs on Debian 12 beyond Swift itself: libmicrohttpd's headers,
# OpenBLAS's (NeuralNet's wide layers) and pkg-config. Idempotent and quiet when everything is present.
# Uses sudo when not run as root.
set -euo pipefail

packages=(libmicrohttpd-dev libopenblas-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}" >&2
    if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6.x first)" >&2; exit 1; }
