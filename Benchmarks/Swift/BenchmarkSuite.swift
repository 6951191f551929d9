/// A named group of workloads that `main.swift` runs by name (`NablaBenchmarks json`).
struct BenchmarkSuite: Sendable {
    /// The subcommand, e.g. `json`.
    let name: String
    /// One line for the usage text.
    let summary: String
    /// Measures and prints every workload of the suite.
    let run: @Sendable (BenchmarkOptions) -> Void
}

/// Command-line options shared by every suite.
struct BenchmarkOptions: Sendable {
    /// Timed runs per measurement (after one warm-up run); the median is reported.
    var runs = 21
}
