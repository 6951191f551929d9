import Dispatch
import Synchronization

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
    // `work` is written by the caller before it publishes a new `posted` generation (releasing) and
    // cleared after the partner published the same one in `finished`; the partner reads it in between
    // (acquiring), so the atomics order every access.
    private var work: ((Int) -> Void)?
    private var stopping = false
    /// The last part handed to the partner, and the last it finished (generations, counting up).
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    /// True while the partner sleeps on `wake` (it spins a while after each part first: a product's
    /// parts come back to back, and waking a sleeping thread costs about as much as a small part).
    private let sleeping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)

    /// How long the partner spins for the next part before it sleeps, and how long the caller spins for
    /// the partner's part before it yields the processor between looks.
    static let partnerSpin = Duration.microseconds(200)
    static let callerSpins = 4_096

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
        let generation = post()
        waitForPartner(generation)
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
            let generation = post()
            body(0)
            waitForPartner(generation)
            work = nil
        }
    }

    /// Publishes the next generation and wakes the partner if it sleeps; the generation.
    private func post() -> Int {
        let generation = posted.load(ordering: .relaxed) &+ 1
        posted.store(generation, ordering: .sequentiallyConsistent)
        if sleeping.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent).exchanged {
            wake.signal()
        }
        return generation
    }

    /// Returns once the partner finished `generation`.
    private func waitForPartner(_ generation: Int) {
        var spins = 0
        while finished.load(ordering: .acquiring) != generation {
            spins &+= 1
            if spins > Self.callerSpins {
                #if canImport(Glibc)
                    sched_yield()
                #endif
            }
        }
    }

    /// The partner's loop: one part per generation, until `stopping`.
    fileprivate func partnerLoop() {
        var seen = 0
        while true {
            seen = nextGeneration(after: seen)
            if stopping {
                finished.store(seen, ordering: .releasing)
                return
            }
            work?(1)
            finished.store(seen, ordering: .releasing)
        }
    }

    /// Waits for a generation past `seen`: spins for `partnerSpin`, then sleeps until `post` wakes it.
    private func nextGeneration(after seen: Int) -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.partnerSpin
        var looks = 0
        while true {
            let generation = posted.load(ordering: .acquiring)
            if generation != seen { return generation }
            looks &+= 1
            if looks & 63 == 0, clock.now >= deadline { break }
        }
        while true {
            sleeping.store(true, ordering: .sequentiallyConsistent)
            let generation = posted.load(ordering: .sequentiallyConsistent)
            if generation != seen {
                // Posted meanwhile: take the flag back, or, if the poster took it, its signal.
                if !sleeping.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent)
                    .exchanged
                {
                    wake.wait()
                }
                return generation
            }
            wake.wait()
            let woken = posted.load(ordering: .acquiring)
            if woken != seen { return woken }
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
