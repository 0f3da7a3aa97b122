// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "smdr",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smdr", targets: ["smdr"]),
        .library(name: "SMDRCore", targets: ["SMDRCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Record model and byte-level parser. Standard library only.
        .target(name: "SMDRCore"),
        // Number normalisation, matching, stitching, rating. Pure logic.
        .target(name: "SMDRRating", dependencies: ["SMDRCore"]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(
            name: "SMDRPostgres",
            dependencies: [
                "CLibPQ", "SMDRCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SMDRListener",
            dependencies: [
                "SMDRCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SMDRPipeline",
            dependencies: [
                "SMDRCore", "SMDRRating", "SMDRPostgres", "SMDRListener",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "smdr",
            dependencies: [
                "SMDRCore", "SMDRPipeline", "SMDRListener", "SMDRPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "SMDRTestSupport", dependencies: ["SMDRCore", "SMDRPostgres"]),
        .testTarget(name: "SMDRCoreTests", dependencies: ["SMDRCore", "SMDRTestSupport"]),
        .testTarget(name: "SMDRPostgresTests", dependencies: ["SMDRPostgres", "SMDRTestSupport"]),
        .testTarget(
            name: "SMDRListenerTests",
            dependencies: [
                "SMDRCore", "SMDRListener", "SMDRTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SMDRPipelineTests",
            dependencies: [
                "SMDRPipeline", "SMDRTestSupport", "SMDRCore", "SMDRListener", "SMDRPostgres",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("NonisolatedNonsendingByDefault"))
    target.swiftSettings = settings
}
