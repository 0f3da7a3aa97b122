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
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Already in the graph through swift-nio; named for `pipe2` (FileDescriptor.pipe(options:)),
        // which Glibc's module hides behind _GNU_SOURCE.
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        // The web app for billing staff (smdr web, serve --web); bcrypt from hummingbird-auth.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        // Already in the graph through hummingbird; named for HTTPField, which it does not re-export.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Record model and byte-level parser. Standard library only.
        .target(name: "SMDRCore"),
        // Pure billing logic: number normalisation, call stitching, matching (and rating). No I/O.
        .target(name: "SMDRRating", dependencies: ["SMDRCore"]),
        // Pure writers and readers of what billing staff exchange: CSV (formula-safe), reports.
        .target(name: "SMDRReports", dependencies: ["SMDRCore", "SMDRRating"]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(
            name: "SMDRPostgres",
            dependencies: [
                "CLibPQ", "SMDRCore", "SMDRRating", "SMDRReports",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The durable per-site journal of received lines: format, recovery, segments.
        .target(
            name: "SMDRJournal",
            dependencies: [
                "SMDRCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SMDRListener",
            dependencies: [
                "SMDRCore", "SMDRJournal",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The stream generator and the replayer: a simulated IP Office for smdr generate / replay,
        // tests and load measurements.
        .target(
            name: "SMDRSimulation",
            dependencies: [
                "SMDRCore", "SMDRListener",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SMDRPipeline",
            dependencies: [
                "SMDRCore", "SMDRRating", "SMDRReports", "SMDRPostgres", "SMDRJournal", "SMDRListener",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The web app for billing staff: pages call SMDRPipeline and the stores, never SQL of their own.
        .target(
            name: "SMDRWeb",
            dependencies: [
                "SMDRCore", "SMDRRating", "SMDRReports", "SMDRPostgres", "SMDRPipeline", "SMDRListener",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "smdr",
            dependencies: [
                "SMDRCore", "SMDRRating", "SMDRReports", "SMDRPipeline", "SMDRJournal", "SMDRListener", "SMDRPostgres",
                "SMDRSimulation", "SMDRWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SMDRTestSupport",
            dependencies: [
                "SMDRCore", "SMDRJournal", "SMDRListener", "SMDRPostgres",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SMDRCoreTests", dependencies: ["SMDRCore", "SMDRSimulation", "SMDRTestSupport"]),
        .testTarget(name: "SMDRPostgresTests", dependencies: ["SMDRCore", "SMDRRating", "SMDRPostgres", "SMDRTestSupport"]),
        .testTarget(name: "SMDRRatingTests", dependencies: ["SMDRCore", "SMDRRating", "SMDRSimulation", "SMDRTestSupport"]),
        .testTarget(name: "SMDRReportsTests", dependencies: ["SMDRCore", "SMDRRating", "SMDRReports", "SMDRTestSupport"]),
        .testTarget(
            name: "SMDRJournalTests",
            dependencies: [
                "SMDRCore", "SMDRJournal", "SMDRTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SMDRSimulationTests",
            dependencies: [
                "SMDRCore", "SMDRListener", "SMDRSimulation", "SMDRTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SMDRListenerTests",
            dependencies: [
                "SMDRCore", "SMDRJournal", "SMDRListener", "SMDRSimulation", "SMDRTestSupport",
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
                "SMDRPipeline", "SMDRTestSupport", "SMDRCore", "SMDRRating", "SMDRReports", "SMDRJournal", "SMDRListener",
                "SMDRPostgres", "SMDRSimulation", "SMDRWeb",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SMDRWebTests",
            dependencies: [
                "SMDRWeb", "SMDRTestSupport", "SMDRCore", "SMDRReports", "SMDRPostgres", "SMDRPipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
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
