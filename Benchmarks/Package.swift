// swift-tools-version:6.1
// Benchmarks for smdr, in their own package so that a normal build never resolves the harness.
//
// SMDRCore and SMDRRating are compiled here from the main package's sources (symlinks in Sources/):
// a `.package(path: "..")` dependency would be named after the checkout directory, which differs
// between machines. SMDRSimulation is compiled the same way but from its Generator folder only
// (Sources/SMDRSimulation links to it), so the benchmarks need neither NIO nor the replayer.
import PackageDescription

let package = Package(
    name: "SMDRBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "SMDRCore", path: "Sources/SMDRCore"),
        .target(name: "SMDRSimulation", dependencies: ["SMDRCore"], path: "Sources/SMDRSimulation"),
        .target(name: "SMDRRating", dependencies: ["SMDRCore"], path: "Sources/SMDRRating"),
        .executableTarget(
            name: "ParserBenchmarks",
            dependencies: [
                "SMDRCore", "SMDRSimulation",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ParserBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Parser lines/s against a bare comma splitter over the same lines, in one process.
        .executableTarget(name: "ParserThroughput", dependencies: ["SMDRCore", "SMDRSimulation"], path: "Sources/ParserThroughput"),
        // Stitching and matching legs/s in memory against a register of numbers and codes, next to
        // one hash lookup per leg over the same legs, in one process.
        .executableTarget(name: "MatchThroughput", dependencies: ["SMDRCore", "SMDRSimulation", "SMDRRating"], path: "Sources/MatchThroughput"),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("NonisolatedNonsendingByDefault"))
    target.swiftSettings = settings
}
