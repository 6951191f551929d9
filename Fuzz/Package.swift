// swift-tools-version: 6.1
import PackageDescription

/// The fuzzer, a package of its own so that `-sanitize=fuzzer` instruments only it and the engine it
/// drives (`Calculus`), never the service. `bash scripts/fuzz.sh` builds and runs it.
let package = Package(
    name: "NablaFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Nabla", path: "..")],
    targets: [
        // LLVMFuzzerRunDriver, declared for Swift, with a weak fallback so that a build without
        // -sanitize=fuzzer still links (it then runs the files named on its command line once).
        .target(name: "CFuzzerDriver", path: "CFuzzerDriver"),
        .executableTarget(
            name: "NablaFuzz",
            dependencies: ["CFuzzerDriver", .product(name: "Calculus", package: "Nabla")],
            path: "Sources",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ]
)
