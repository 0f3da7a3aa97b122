import Benchmark
import SMDRCore
import SMDRSimulation

/// 1,000 generated lines per scaled iteration; instructions and mallocs per 1,000 lines.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.instructions, .mallocCountTotal, .throughput, .wallClock],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    let lines30 = makeLines(count: 1_000, width: 30)
    let lines38 = makeLines(count: 1_000, width: 38)
    let parser = SMDRParser()

    Benchmark("parse 30-field lines") { benchmark in
        for _ in benchmark.scaledIterations {
            for line in lines30 { blackHole(try parser.parse(line.span)) }
        }
    }

    Benchmark("parse 38-field lines") { benchmark in
        for _ in benchmark.scaledIterations {
            for line in lines38 { blackHole(try parser.parse(line.span)) }
        }
    }

    Benchmark("frame 1000 lines (LineFramer)") { benchmark in
        var stream: [UInt8] = []
        for line in lines38 { stream += line + [0x0D, 0x0A] }
        for _ in benchmark.scaledIterations {
            var framer = LineFramer()
            var count = 0
            framer.append(stream) { _ in count += 1 }
            blackHole(count)
        }
    }
}

private func makeLines(count: Int, width: Int) -> [[UInt8]] {
    var generator = StreamGenerator(seed: 42, width: width)
    return (0..<count).map { _ in generator.nextLine() }
}
