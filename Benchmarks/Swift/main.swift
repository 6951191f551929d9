// NablaBenchmarks: throughput benchmarks of Nabla's own code against Foundation, in one process.
//
//     swift run -c release NablaBenchmarks json|all [--runs N]
//
// Each suite prints its workloads (bytes, median time, MB/s, target PASS/MISS, the Foundation
// baseline and the speedup). Targets are informative: the exit status is 0 whenever the benchmarks
// ran, 2 for a usage error. A new suite is one `BenchmarkSuite` added to `suites`.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let suites: [BenchmarkSuite] = [
    JSONBenchmarks.suite, DerivativeBenchmarks.suite, TrainBenchmarks.suite, TrainWideBenchmarks.suite,
]

let usage = """
    usage: NablaBenchmarks <suite>|all [--runs N]   (build with -c release for meaningful numbers)
    suites:
    \(suites.map { "  \(padded($0.name, 12))\($0.summary)" }.joined(separator: "\n"))
    """

func fail(_ message: String) -> Never {
    print("NablaBenchmarks: \(message)\n\(usage)")
    exit(2)
}

var arguments = CommandLine.arguments.dropFirst()
var options = BenchmarkOptions()
var selected: [BenchmarkSuite] = []
while let argument = arguments.popFirst() {
    switch argument {
    case "-h", "--help":
        print(usage)
        exit(0)
    case "--runs":
        guard let text = arguments.popFirst(), let runs = Int(text), runs > 0 else { fail("--runs needs a count") }
        options.runs = runs
    case "all":
        selected = suites
    default:
        guard let suite = suites.first(where: { $0.name == argument }) else { fail("unknown suite '\(argument)'") }
        selected.append(suite)
    }
}
if selected.isEmpty { fail("name a suite") }
#if DEBUG
    print("note: a debug build; numbers are meaningful only with `swift run -c release NablaBenchmarks ...`")
#endif
for suite in selected {
    suite.run(options)
}
