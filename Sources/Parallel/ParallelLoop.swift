import Dispatch

/// Data-parallel loops of one request — reading a big JSON array of numbers, evaluating a batch,
/// writing the answer's arrays — on the calling thread and on helper threads kept for the process
/// (`HelperLanes`: one fewer than the machine has cores).
///
/// Why not `DispatchQueue.concurrentPerform` alone: its worker threads sleep the moment a loop ends, and
/// a request runs several loops a few microseconds apart. On a virtual machine whose idle processor
/// halts, each loop then waits for the other processor to come back, and mostly runs on the caller
/// alone (measured on a 2-vCPU KVM guest: a 100,000-point derivative request ~8 ms of server time back
/// to back, ~14 ms after 15 ms idle, every phase slower by the same ~1.7×). The helpers spin a while
/// after each loop, so the loops of one request find them awake; then they sleep, costing nothing
/// between requests.
///
/// One loop at a time has the helpers; a loop started while another runs (another request's, or one
/// nested in a body) goes to `concurrentPerform` as before. Iterations are handed out one at a time as
/// threads come free, and the caller takes them too, so the loop never waits on a helper that is slow to
/// wake: it only shares the work when the helper is there. Which thread runs which iteration never
/// changes what the iterations compute.
public enum ParallelLoop {
    /// Runs `body(0)` … `body(iterations - 1)`, on this thread and the helpers, and returns when all
    /// have run. The iterations must be independent (each writes only its own part of any output).
    public static func forEach(iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1 else {
            if iterations == 1 { body(0) }
            return
        }
        if HelperLanes.shared.run(iterations: iterations, body) { return }
        // The callers' bodies write disjoint parts of their outputs, which is what Sendable would ask.
        withoutActuallyEscaping(body) { body in
            let iteration = UncheckedBody(body: body)
            DispatchQueue.concurrentPerform(iterations: iterations) { iteration.body($0) }
        }
    }

    /// Wakes the helpers if they sleep, so that loops starting within a few milliseconds find them
    /// awake (waking a sleeping processor can take a millisecond or more on a virtual machine). For a
    /// caller that knows loops are coming, e.g. when a large request body begins to arrive.
    public static func prepare() {
        HelperLanes.shared.prepare()
    }

    /// The threads a loop may run on: this one and the helpers.
    public static var threads: Int { HelperLanes.shared.helperCount + 1 }
}

/// A loop body handed to Dispatch's threads (see `forEach`).
private struct UncheckedBody: @unchecked Sendable {
    let body: (Int) -> Void
}
