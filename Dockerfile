# Nabla container image: a static-stdlib release build on Swift 6.3, run on Debian 12 slim as a
# non-root user. Checked offline by `scripts/suite.sh deploy` and for real by scripts/container-test.sh.
#
#   docker build -t nabla .
#   docker run --rm -p 127.0.0.1:8080:8080 nabla
#   curl http://127.0.0.1:8080/healthz
#
# Settings come from `serve` flags after the image name or NABLA_* variables (`docker run … nabla
# serve --help`).

# ---- build ----------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build

# libmicrohttpd's and OpenBLAS's headers, found through pkg-config by the CMicroHTTPD and COpenBLAS
# system-library targets. Versions are not pinned (hadolint DL3008): bookworm's security updates
# replace old versions.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmicrohttpd-dev libopenblas-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# The manifest first, so the dependency checkouts stay cached until Package.swift changes.
# Package.resolved is not committed; the [d] pattern copies it when it exists and is not an error
# when it does not.
COPY Package.swift Package.resolve[d] ./
RUN swift package resolve

# Tests/ and the benchmark target's sources are needed too: SwiftPM refuses to load the package
# when a declared target's directory is missing (neither is built).
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks/Swift ./Benchmarks/Swift
RUN swift build -c release --product nabla --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/nabla" /staging/nabla

# ---- runtime --------------------------------------------------------------------------------
FROM debian:bookworm-slim

# The static-stdlib binary needs only libmicrohttpd12 and OpenBLAS (libopenblas0, the pthread
# variant) beyond the slim base (libc6, libgcc-s1, libstdc++6); libmicrohttpd12 brings GnuTLS and its
# other dependencies. PostgresNIO's TLS is BoringSSL, compiled in; ca-certificates lets it verify a
# database server's certificate (what a database URL off loopback asks for by default).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmicrohttpd12 libopenblas0 ca-certificates \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 10001 nabla \
    && useradd --uid 10001 --gid nabla --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin nabla

COPY --from=build /staging/nabla /usr/local/bin/nabla

# Static files: owned by root and read-only, so the service cannot change what it serves.
COPY Public /srv/nabla/Public
RUN chown -R root:root /srv/nabla \
    && chmod -R a+rX,a-w /srv/nabla/Public
ENV NABLA_PUBLIC_DIR=/srv/nabla/Public

# On SIGTERM Nabla lets running jobs finish for the grace period, then needs up to ~2 s more to
# close connections. `docker stop` sends SIGKILL after 10 s by default, so the grace period is
# kept below that (raise both together: NABLA_GRACE_PERIOD and `docker stop -t`).
ENV NABLA_GRACE_PERIOD=7
STOPSIGNAL SIGTERM

EXPOSE 8080
# bookworm-slim has no curl: the binary probes GET http://127.0.0.1:8080/healthz itself, over TLS when
# NABLA_TLS_CERT is set (so give HTTPS its files as NABLA_TLS_CERT and NABLA_TLS_KEY, not as flags).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["nabla", "healthcheck"]

# The nabla user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 10001:10001
ENTRYPOINT ["nabla"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
