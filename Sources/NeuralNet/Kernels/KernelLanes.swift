import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// One or two lanes for the parts of a big product (`Gemm.parts`): the calling thread, and with two a
/// partner thread of the run's own, started with it and ended by `deinit`. The partner takes the nice
/// value of the thread that creates the lanes (a kept job's worker, so the request lane keeps its
/// priority), or `niceness` when that is higher. Which lane runs which part never changes the results.
final class KernelLanes: @unchecked Sendable {
    /// 1 or 2.
    let count: Int
    // `work` is written by the caller before `start.signal()` and cleared after `done.wait()`; the
    // partner reads it between the two, so the semaphores order every access.
    private var work: ((Int) -> Void)?
    private var stopping = false
    private let start = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// 2 on a machine with two processors or more (online ones), else 1.
    static let defaultThreads: Int = {
        #if canImport(Glibc)
            return sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 ? 2 : 1
        #else
            return 1
        #endif
    }()

    /// The calling thread alone.
    static let single = KernelLanes(threads: 1)

    /// Lanes for `threads` threads (1 or more; more than 2 counts as 2).
    init(threads: Int, niceness: Int32? = nil) {
        count = threads >= 2 ? 2 : 1
        guard count == 2 else { return }
        #if canImport(Glibc)
            let inherited = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            let wanted = Swift.max(inherited, niceness ?? inherited)
            let context = Unmanaged.passRetained(PartnerStart(lanes: self, niceness: wanted)).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, startPartner, context)
            precondition(created == 0, "pthread_create failed: \(created)")
            pthread_detach(thread)
        #endif
    }

    deinit {
        guard count == 2 else { return }
        stopping = true
        start.signal()
        done.wait()
    }

    /// Runs `body(0)` … `body(parts - 1)` (`parts` 1 or 2) and returns when all are done: part 1 on the
    /// partner while the caller runs part 0, when there are two lanes.
    func run(parts: Int, _ body: (Int) -> Void) {
        guard parts == 2 else {
            body(0)
            return
        }
        guard count == 2 else {
            body(0)
            body(1)
            return
        }
        withoutActuallyEscaping(body) { body in
            work = body
            start.signal()
            body(0)
            done.wait()
            work = nil
        }
    }

    /// The partner's loop: one part per `start`, until `stopping`.
    fileprivate func partnerLoop() {
        while true {
            start.wait()
            if stopping {
                done.signal()
                return
            }
            work?(1)
            done.signal()
        }
    }
}

/// The partner thread's entry point: takes its `PartnerStart` (retained by `KernelLanes.init`) and runs.
#if canImport(Glibc)
    private func startPartner(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        Unmanaged<PartnerStart>.fromOpaque(context!).takeRetainedValue().run()
        return nil
    }
#endif

/// What the partner thread starts with (a strong reference to the lanes would keep them alive forever).
private final class PartnerStart {
    unowned(unsafe) let lanes: KernelLanes
    let niceness: Int32

    init(lanes: KernelLanes, niceness: Int32) {
        self.lanes = lanes
        self.niceness = niceness
    }

    func run() {
        #if canImport(Glibc)
            // Per thread on Linux (NPTL); the new thread already inherited its creator's value.
            if niceness > getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) {
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
            }
        #endif
        lanes.partnerLoop()
    }
}
