import API
import Calculus
import Foundation

/// `NablaBenchmarks derivative`: f(x) = sin(x)·exp(−x²/2) + log(1 + x²) and its derivative over
/// x = linspace(−3, 3, N), N = 100,000 and 1,000,000, by each vectorised method, in process: the
/// `DerivativeCalculator.compute` call a `/v1/derivative` request makes once its JSON is read, with
/// the problem compiled beforehand (as the service's cache keeps it). The same workload as the peers
/// of `scripts/bench-derivative.sh`, which runs this suite and puts its rows in the comparison.
/// Environment: `NABLA_BENCH_DERIVATIVE_JSON` a path for the figures as JSON (`report.py` reads them).
enum DerivativeBenchmarks {
    static let suite = BenchmarkSuite(
        name: "derivative", summary: "derivatives in process: 100k and 1M points per method (bench-derivative.sh)",
        run: run)

    static let expression = "sin(x)*exp(-x^2/2) + log(1+x^2)"
    static let methods: [DerivativeMethod] = [.symbolic, .forward, .reverse, .central]

    static func run(_ options: BenchmarkOptions) {
        MemoryTuning.apply()  // as `nabla serve` does (MemoryTuning.swift links to the executable's file)
        let problem = DerivativeProblem(expression: try! Parser.parse(expression).expression, variable: "x")
        var records: [String] = []
        print(
            "derivative: \(expression), median of \(options.runs) runs after one warm-up, problem compiled beforehand")
        for count in [100_000, 1_000_000] {
            let points = (0..<count).map { -3 + 6 * Double($0) / Double(count - 1) }
            for method in methods {
                check(problem, method, points)
                let milliseconds = medianMilliseconds(runs: options.runs) {
                    try! DerivativeCalculator.compute(problem, method: method, at: points).derivatives
                }
                let nanoseconds = milliseconds * 1e6 / Double(count)
                print(
                    "  \(padded(String(describing: method), 10))"
                        + String(format: "%9d points %9.2f ms %7.1f ns/point", count, milliseconds, nanoseconds))
                records.append(
                    "{\"workload\": \"vector\", \"points\": \(count), \"peer\": \"Nabla \(String(describing: method)) (in process)\", "
                        + "\"key\": \"nabla\", \"seconds\": \(milliseconds / 1e3), \"runs\": \(options.runs)}")
            }
        }
        if let path = ProcessInfo.processInfo.environment["NABLA_BENCH_DERIVATIVE_JSON"] {
            let json = "{\"records\": [\n" + records.joined(separator: ",\n") + "\n]}\n"
            guard FileManager.default.createFile(atPath: path, contents: Data(json.utf8)) else {
                print("derivative: cannot write \(path)")
                exit(1)
            }
        }
    }

    /// Stops the benchmark unless `method` agrees with the exact derivative at a few of the points
    /// (1e-6 for central differences, 1e-10 for the exact methods).
    static func check(_ problem: DerivativeProblem, _ method: DerivativeMethod, _ points: [Double]) {
        let derivatives = try! DerivativeCalculator.compute(problem, method: method, at: points).derivatives
        let tolerance = method == .central ? 1e-6 : 1e-10
        for index in stride(from: 0, to: points.count, by: points.count / 7) {
            let x = points[index]
            let exact = cos(x) * exp(-x * x / 2) - x * sin(x) * exp(-x * x / 2) + 2 * x / (1 + x * x)
            guard abs(derivatives[index] - exact) <= tolerance * max(1, abs(exact)) else {
                print(
                    "derivative: \(String(describing: method)) gives \(derivatives[index]) at x = \(x), exact \(exact)")
                exit(1)
            }
        }
    }
}
