// swift-tools-version: 6.1
import PackageDescription

/// Settings every Nabla target shares (STYLE.md: upcoming features that keep imports honest).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Nabla",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nabla", targets: ["Nabla"]),
        // The engine alone, for the fuzzer package in Fuzz/ (built with -sanitize=fuzzer apart from the service).
        .library(name: "Calculus", targets: ["Calculus"]),
        // The HTTP API without a socket, for the request-decoding fuzz target in Fuzz/.
        .library(name: "API", targets: ["API"]),
    ],
    traits: [
        .trait(
            name: "SharedJobs",
            description: "Kept jobs shared by replicas through PostgreSQL (`nabla serve --database-url`): links "
                + "PostgresNIO, SwiftNIO and BoringSSL. On by default; `--disable-default-traits` builds without."
        ),
        .default(enabledTraits: ["SharedJobs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
    ],
    targets: [
        // C ends here: libmicrohttpd through pkg-config, plus fixed-arity shims for its variadic calls.
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        // C library functions Swift's Glibc module leaves out (mallopt), for the executable's process tuning.
        .systemLibrary(name: "CMalloc"),
        // The Swift face of libmicrohttpd; the only importer of CMicroHTTPD.
        .target(name: "MicroHTTP", dependencies: ["CMicroHTTPD"], swiftSettings: strictSettings),
        // Data-parallel loops on the caller and helper threads kept for the process (JSON, Calculus).
        .target(name: "Parallel", swiftSettings: strictSettings),
        // JSON values, a strict parser with positions and a writer with shortest round-trip numbers
        // (Schubfach for printing, Eisel–Lemire for reading): pure Swift, knows nothing of HTTP.
        .target(name: "JSON", dependencies: ["Parallel"], swiftSettings: strictSettings),
        // The job runner on Dispatch: knows nothing of HTTP or JSON.
        .target(name: "Jobs", swiftSettings: strictSettings),
        // Kept jobs shared by replicas through PostgreSQL (PostgresNIO): claims with leases, fenced writes,
        // LISTEN/NOTIFY signals. Knows nothing of HTTP or JSON's meaning; linked by the executable only.
        .target(
            name: "JobsPostgres",
            dependencies: [
                "Jobs",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Elementary functions over arrays for Calculus's block evaluator: glibc's vector libm (libmvec)
        // on x86_64 with AVX2, else the scalar libm. -lm brings libmvec.so.1 (package libc6): glibc's
        // libm.so is a linker script that adds it AS_NEEDED, on the architectures that have it.
        .target(name: "CVectorMath", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // Expressions and differentiation: Swift, knows nothing of HTTP or JSON.
        .target(
            name: "Calculus",
            dependencies: ["CVectorMath", "Parallel", .product(name: "ComplexModule", package: "swift-numerics")],
            swiftSettings: strictSettings
        ),
        // OpenBLAS's CBLAS through pkg-config, for NeuralNet's wide layers (dgemm/sgemm).
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Dense networks, losses, optimisers, data helpers and the trainer: Swift, knows nothing of HTTP or JSON.
        // Wide layers go through OpenBLAS's GEMM (COpenBLAS).
        .target(name: "NeuralNet", dependencies: ["COpenBLAS"], swiftSettings: strictSettings),
        // Trained networks as ONNX models, through a small protobuf writer of its own: knows nothing of HTTP or JSON.
        .target(name: "ModelExport", dependencies: ["NeuralNet"], swiftSettings: strictSettings),
        // HTTP <-> engines: router, routes, DTOs, errors, static files; the metrics (swift-metrics'
        // API, kept in a Prometheus registry) and log lines of requests and job events.
        .target(
            name: "API",
            dependencies: [
                "MicroHTTP", "JSON", "Jobs", "Calculus", "NeuralNet", "ModelExport", "Parallel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "Nabla",
            dependencies: [
                "API", "MicroHTTP", "Jobs", "Calculus", "NeuralNet", "CMalloc",
                .target(name: "JobsPostgres", condition: .when(traits: ["SharedJobs"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Throughput benchmarks against Foundation: `swift run -c release NablaBenchmarks json|all`.
        .executableTarget(
            name: "NablaBenchmarks",
            dependencies: ["API", "JSON", "Calculus", "NeuralNet", "CMalloc"],
            path: "Benchmarks/Swift",
            swiftSettings: strictSettings
        ),
        // What the test suites share: a raw-socket HTTP client, and the one polling helper.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "MicroHTTPTests", dependencies: ["MicroHTTP", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strictSettings),
        .testTarget(name: "ParallelTests", dependencies: ["Parallel"], swiftSettings: strictSettings),
        .testTarget(name: "JobsTests", dependencies: ["Jobs"], swiftSettings: strictSettings),
        .testTarget(
            name: "JobsPostgresTests",
            dependencies: ["JobsPostgres", "Jobs", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CalculusTests",
            dependencies: ["Calculus"],
            resources: [.copy("Reference")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NeuralNetTests",
            dependencies: ["NeuralNet"],
            resources: [.copy("Reference")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ModelExportTests", dependencies: ["ModelExport", "NeuralNet"], swiftSettings: strictSettings),
        .testTarget(
            name: "APITests",
            dependencies: ["API", "JSON", "Jobs", "MicroHTTP", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NablaLiveTests",
            dependencies: ["Nabla", "API", "JSON", "Jobs", "MicroHTTP", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
