/// One piece of work timed through Nabla's code and through Foundation on the same input.
struct Workload {
    /// A way to do the work; returns its result so the optimiser cannot drop it.
    struct Contender {
        let name: String
        let run: () -> Any
    }

    /// What is measured, e.g. "decode array [100000 numbers]".
    let title: String
    /// Size of the JSON text read or written.
    let bytes: Int
    /// Nabla's way, held to the target.
    let ours: Contender
    /// Other ways through Nabla's code, shown for comparison.
    var variants: [Contender] = []
    /// Foundation's ways; the first is the reference for the speedup.
    let baselines: [Contender]

    var contenders: [Contender] { [ours] + variants + baselines }

    /// Runs every contender of every workload once before any is timed, so that none is timed against a
    /// colder allocator than the others (the first large allocations of a process fault in fresh pages),
    /// then times each and reports them against `targetMilliseconds`.
    static func measure(_ workloads: [Workload], runs: Int, targetMilliseconds: Double) -> [WorkloadReport] {
        for workload in workloads {
            for contender in workload.contenders { keep(contender.run()) }
        }
        return workloads.map { workload in
            func time(_ contender: Contender) -> (String, Double) {
                (contender.name, medianMilliseconds(runs: runs, contender.run))
            }
            var report = WorkloadReport(
                title: workload.title, bytes: workload.bytes, ours: time(workload.ours),
                baselines: workload.baselines.map(time), targetMilliseconds: targetMilliseconds)
            report.variants = workload.variants.map(time)
            return report
        }
    }
}
