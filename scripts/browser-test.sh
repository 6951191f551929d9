#!/usr/bin/env bash
# Browser tests of the web page (Tests/Browser): Debian's headless Chromium driven by Selenium, against
# the built `nabla` on a free port. Installs what it needs: chromium, chromium-driver and a Chinese
# font with apt (as root), Selenium and pytest in a venv at .build/browser-venv. Screenshots of each
# view (desktop and 375 px) go to .build/screenshots/.
#
#   bash scripts/browser-test.sh                        # build (debug) if needed, start, test, stop
#   bash scripts/browser-test.sh http://127.0.0.1:8080  # test a service that is already running
#   bash scripts/browser-test.sh --update-screenshots   # also refresh docs/screenshots/ (README)
#
# NABLA_BINARY picks another binary (e.g. a release build); extra pytest arguments follow `--`.
set -euo pipefail
cd "$(dirname "$0")/.."
name=browser-test
# shellcheck source=lib/bench-common.sh
source scripts/lib/bench-common.sh

base=""
update_screenshots=false
pytest_args=()
while (($# > 0)); do
    case $1 in
        --update-screenshots) update_screenshots=true ;;
        -h | --help) usage; exit 0 ;;
        --) shift; pytest_args=("$@"); break ;;
        http://* | https://*) base=$1 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done

# Debian packages: the browser, its driver, and a font with Chinese glyphs for the screenshots.
missing=()
for package in chromium chromium-driver fonts-wqy-microhei; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
((${#missing[@]} == 0)) || apt_install "${missing[@]}"

venv=.build/browser-venv
python_venv "$venv" Tests/Browser/requirements.txt || die "pip could not install Tests/Browser/requirements.txt"

if [[ -z $base ]]; then
    # shellcheck source=scripts/lib/service.sh
    source scripts/lib/service.sh
    start_nabla --public-dir Public
fi

screenshots=.build/screenshots
rm -rf "$screenshots"
say "testing the page at $base (screenshots in $screenshots/)"
# SE_OFFLINE: Selenium Manager must not look for browsers or drivers online; both are given.
NABLA_BASE_URL=$base NABLA_SCREENSHOTS=$screenshots SE_OFFLINE=true \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider Tests/Browser ${pytest_args[@]+"${pytest_args[@]}"}

if $update_screenshots; then
    # The README's pictures, reduced to 256-colour palettes (about a third of the size).
    command -v pngquant >/dev/null || apt_install pngquant
    mkdir -p docs/screenshots
    for shot in derivative-desktop descent-desktop training-desktop training-xor derivative-375 training-zh; do
        pngquant --force --quality 55-80 --speed 1 --output "docs/screenshots/$shot.png" "$screenshots/$shot.png"
    done
    say "wrote the README's screenshots to docs/screenshots/ ($(du -ch docs/screenshots/*.png | tail -1 | cut -f1))"
fi
