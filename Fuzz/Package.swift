// swift-tools-version: 6.1
import PackageDescription

/// Settings every fuzz target shares (STYLE.md: upcoming features that keep imports honest).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The fuzzers, a package of their own so that `-sanitize=fuzzer` instruments only them and what they
/// drive, never the service's own build. `bash scripts/fuzz.sh [expression|requests|all]` builds and
/// runs them.
let package = Package(
    name: "NablaFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Nabla", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // LLVMFuzzerRunDriver, declared for Swift, with a weak fallback so that a build without
        // -sanitize=fuzzer still links (it then runs the files named on its command line once).
        .target(name: "CFuzzerDriver", path: "CFuzzerDriver"),
        // The expression parser and every differentiation mode (`Calculus` alone).
        .executableTarget(
            name: "NablaFuzz",
            dependencies: ["CFuzzerDriver", .product(name: "Calculus", package: "Nabla")],
            swiftSettings: strictSettings
        ),
        // Request decoding: bodies POSTed to the JSON routes of the whole API, without a socket.
        // Without MemberImportVisibility: MicroHTTP, Jobs and NeuralNet are not products of the root
        // package, so their types are reached as members of API's signatures (see FuzzedService.swift).
        .executableTarget(
            name: "NablaFuzzRequests",
            dependencies: [
                "CFuzzerDriver", .product(name: "API", package: "Nabla"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
    ]
)
