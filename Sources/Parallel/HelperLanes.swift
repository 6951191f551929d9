import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The helper threads of `ParallelLoop`: started at first use, one fewer than the processors this
/// process may run on (its affinity: `taskset`, a container's cpuset; at most 7 helpers), kept for the
/// life of the process. With one processor there are none, and no thread spins beside the caller.
///
/// A loop is published as one 64-bit ticket — its generation (24 bits), its iteration count and the
/// next unclaimed iteration (20 bits each) — and every thread claims an iteration by a compare-and-swap
/// on the whole ticket. A claim therefore succeeds only for the loop it was read for and only while that
/// loop has iterations left, however late a helper arrives; the caller returns once every claimed
/// iteration is done, so `body` is read only while the loop that set it runs.
final class HelperLanes: @unchecked Sendable {
    static let shared = HelperLanes(helpers: min(7, max(0, usableProcessors - 1)))

    let helperCount: Int
    /// Set while a loop has the helpers.
    private let busy = Atomic<Bool>(false)
    private let ticket = Atomic<UInt64>(0)
    /// Iterations of the current loop that have finished.
    private let done = Atomic<Int>(0)
    // Written by the caller before it publishes a loop's ticket (releasing) and cleared after every
    // iteration finished; helpers read it only after claiming an iteration (acquiring), in between.
    private var body: ((Int) -> Void)?
    private let sleepers: [Sleeper]

    /// How long a helper spins for the next loop after its last iteration before it sleeps: longer
    /// than the gaps between the loops of one request (building the answer between evaluating and
    /// writing it is the longest, ~0.2 ms for 100,000 points), short enough to cost little per request.
    static let spin = Duration.milliseconds(2)
    /// How many times the caller looks for the last iterations to finish before it yields between looks.
    static let callerSpins = 4_096

    /// The processors this process may run on: the online ones, or fewer when its affinity mask
    /// (`taskset`, a container's cpuset) allows fewer — read from `/proc/self/status` on Linux.
    private static let usableProcessors: Int = {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
            let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            return min(online, allowedProcessors() ?? online)
        #else
            return 1
        #endif
    }()

    /// `helpers` threads where they can be started (glibc's pthreads), else none: every loop then goes to
    /// `concurrentPerform`.
    init(helpers: Int) {
        #if canImport(Glibc)
            helperCount = helpers
        #else
            helperCount = 0
        #endif
        sleepers = (0..<helperCount).map { _ in Sleeper() }
        #if canImport(Glibc)
            for index in 0..<helperCount {
                let start = Unmanaged.passRetained(HelperStart(lanes: self, index: index)).toOpaque()
                var thread = pthread_t()
                let created = pthread_create(&thread, nil, startHelper, start)
                precondition(created == 0, "pthread_create failed: \(created)")
                pthread_detach(thread)
            }
        #endif
    }

    /// Runs the loop with the helpers and returns true, or returns false at once when it cannot (no
    /// helpers, another loop has them, too many iterations for a ticket).
    func run(iterations: Int, _ body: (Int) -> Void) -> Bool {
        guard helperCount > 0, iterations < Ticket.maxCount,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        withoutActuallyEscaping(body) { body in
            self.body = body
            done.store(0, ordering: .relaxed)
            let generation = (Ticket(ticket.load(ordering: .relaxed)).generation &+ 1) & Ticket.generationMask
            ticket.store(
                Ticket(generation: generation, count: iterations, next: 0).bits, ordering: .sequentiallyConsistent)
            for sleeper in sleepers { sleeper.wakeIfAsleep() }
            while let iteration = claim(generation) {
                body(iteration)
                done.add(1, ordering: .releasing)
            }
            var looks = 0
            while done.load(ordering: .acquiring) != iterations {
                looks &+= 1
                if looks > Self.callerSpins { sched_yield() }
            }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// The next unclaimed iteration of the loop of `generation`, claimed; nil when that loop has none
    /// left or is no longer the current one.
    private func claim(_ generation: UInt64) -> Int? {
        var bits = ticket.load(ordering: .acquiring)
        while true {
            let current = Ticket(bits)
            guard current.generation == generation, current.next < current.count else { return nil }
            let (exchanged, original) = ticket.compareExchange(
                expected: bits, desired: bits &+ 1, ordering: .acquiringAndReleasing)
            if exchanged { return current.next }
            bits = original
        }
    }

    /// A helper's life: wait for a loop it has not seen, take its iterations while there are any.
    fileprivate func helperLoop(_ index: Int) {
        var seen = Ticket(ticket.load(ordering: .acquiring)).generation
        while true {
            seen = nextGeneration(after: seen, sleeper: sleepers[index])
            while let iteration = claim(seen) {
                body!(iteration)
                done.add(1, ordering: .releasing)
            }
        }
    }

    /// Waits for a generation other than `seen`: spins for `spin`, then sleeps until a loop or `prepare`
    /// wakes it, and after `prepare` spins again.
    private func nextGeneration(after seen: UInt64, sleeper: Sleeper) -> UInt64 {
        let clock = ContinuousClock()
        while true {
            let deadline = clock.now + Self.spin
            var looks = 0
            while true {
                let generation = Ticket(ticket.load(ordering: .acquiring)).generation
                if generation != seen { return generation }
                looks &+= 1
                if looks & 63 == 0 {
                    if clock.now >= deadline { break }
                    // Lets a thread that shares this processor run (a caller pinned to the same one).
                    sched_yield()
                }
            }
            sleeper.asleep.store(true, ordering: .sequentiallyConsistent)
            let generation = Ticket(ticket.load(ordering: .sequentiallyConsistent)).generation
            if generation != seen {
                // Published meanwhile: take the flag back, or, if the caller took it, its signal.
                if !sleeper.asleep.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent)
                    .exchanged
                {
                    sleeper.wake.wait()
                }
                return generation
            }
            sleeper.wake.wait()
        }
    }

    /// Wakes the sleeping helpers, to spin for `spin` in case a loop comes: for a caller that knows loops
    /// are near (a large request body has begun to arrive), so that the first one finds them awake.
    func prepare() {
        for sleeper in sleepers { sleeper.wakeIfAsleep() }
    }
}

/// A loop's ticket: generation in the top 24 bits, iteration count in the next 20, next unclaimed
/// iteration in the low 20 (claiming adds 1 to the whole word).
private struct Ticket {
    let bits: UInt64

    static let maxCount = 1 << 19
    static let generationMask: UInt64 = 0xFF_FFFF

    init(_ bits: UInt64) { self.bits = bits }

    init(generation: UInt64, count: Int, next: Int) {
        bits = (generation & Self.generationMask) << 40 | UInt64(count) << 20 | UInt64(next)
    }

    var generation: UInt64 { bits >> 40 }
    var count: Int { Int(truncatingIfNeeded: bits >> 20 & 0xF_FFFF) }
    var next: Int { Int(truncatingIfNeeded: bits & 0xF_FFFF) }
}

/// One helper's sleep: the flag it sets before sleeping and the semaphore a caller signals when it
/// takes the flag back.
private final class Sleeper: Sendable {
    let asleep = Atomic<Bool>(false)
    let wake = DispatchSemaphore(value: 0)

    func wakeIfAsleep() {
        if asleep.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent).exchanged {
            wake.signal()
        }
    }
}

#if canImport(Glibc)
    /// A helper thread's entry point: takes its `HelperStart` (retained by `HelperLanes.init`) and runs.
    private func startHelper(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        let start = Unmanaged<HelperStart>.fromOpaque(context!).takeRetainedValue()
        start.lanes.helperLoop(start.index)
        return nil
    }
#endif

/// What a helper thread starts with.
private final class HelperStart {
    let lanes: HelperLanes
    let index: Int

    init(lanes: HelperLanes, index: Int) {
        self.lanes = lanes
        self.index = index
    }
}

/// The number of processors in this process's affinity mask (`Cpus_allowed:` of `/proc/self/status`, a
/// hexadecimal mask in comma-separated words), or nil when it cannot be read.
private func allowedProcessors() -> Int? {
    #if canImport(Glibc)
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 4_096)
        let prefix = "Cpus_allowed:"
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix(prefix) else { continue }
            var count = 0
            for character in text.dropFirst(prefix.count) {
                guard let digit = character.hexDigitValue else { continue }
                count += digit.nonzeroBitCount
            }
            return count > 0 ? count : nil
        }
        return nil
    #else
        return nil
    #endif
}
