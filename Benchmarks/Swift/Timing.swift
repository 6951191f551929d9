/// Wall-clock time of `body`: the median of `runs` timed calls after one warm-up call, in milliseconds.
/// Each result is handed to `keep` so the optimiser cannot drop the work.
func medianMilliseconds<Result>(runs: Int, _ body: () throws -> Result) rethrows -> Double {
    keep(try body())
    let clock = ContinuousClock()
    var samples: [Double] = []
    samples.reserveCapacity(runs)
    for _ in 0..<runs {
        var result: Result?
        let elapsed = try clock.measure { result = try body() }
        keep(result)
        let (seconds, attoseconds) = elapsed.components
        samples.append(Double(seconds) * 1e3 + Double(attoseconds) * 1e-15)
    }
    samples.sort()
    return samples[samples.count / 2]
}

@inline(never)
func keep<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
