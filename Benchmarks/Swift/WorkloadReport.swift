/// One workload's figures: our time against a target, and Foundation's times on the same input.
struct WorkloadReport {
    /// What was measured, e.g. "decode [100k numbers]".
    let title: String
    /// Size of the JSON text read or written.
    let bytes: Int
    /// Nabla's implementation and its median time.
    let ours: (name: String, milliseconds: Double)
    /// Other ways through Nabla's code, for comparison (not held to the target).
    var variants: [(name: String, milliseconds: Double)] = []
    /// Foundation's implementations and their median times; the first is the reference for the speedup.
    let baselines: [(name: String, milliseconds: Double)]
    /// The time Nabla must stay within.
    let targetMilliseconds: Double

    /// Whether Nabla met the target.
    var passed: Bool { ours.milliseconds <= targetMilliseconds }

    /// The lines printed for this workload.
    var lines: [String] {
        let verdict = passed ? "PASS" : "MISS"
        var lines = [
            "\(title): \(bytes) bytes",
            row(ours.name, ours.milliseconds) + "   target <= \(format(targetMilliseconds, 0)) ms  \(verdict)",
        ]
        lines += variants.map { row($0.name, $0.milliseconds) }
        lines += baselines.map { row($0.name, $0.milliseconds) }
        if let reference = baselines.first {
            lines.append(
                "  speedup over \(reference.name): \(format(reference.milliseconds / ours.milliseconds, 1))x")
        }
        return lines
    }

    private func row(_ name: String, _ milliseconds: Double) -> String {
        let megabytesPerSecond = Double(bytes) / 1e6 / (milliseconds / 1e3)
        return "  \(padded(name, 36)) median \(padded(format(milliseconds, 2), 8, left: true)) ms"
            + "  \(padded(format(megabytesPerSecond, 1), 7, left: true)) MB/s"
    }
}
