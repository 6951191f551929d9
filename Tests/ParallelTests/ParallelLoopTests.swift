import Dispatch
import Synchronization
import Testing

@testable import Parallel

/// Counts per iteration, written from several threads.
private final class Counts: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Atomic<Int>>

    init(_ count: Int) {
        slots = .allocate(capacity: count)
        for index in 0..<count { (slots.baseAddress! + index).initialize(to: Atomic(0)) }
    }

    deinit { slots.deallocate() }

    func add(_ index: Int) { slots[index].add(1, ordering: .relaxed) }
    func value(_ index: Int) -> Int { slots[index].load(ordering: .relaxed) }
}

@Suite struct ParallelLoopTests {
    @Test func runsEveryIterationExactlyOnceInLoopsBackToBack() {
        // Loops of every size up to 64, many times over: a helper arriving late for one loop must never
        // run an iteration of the next, nor one twice.
        for round in 0..<200 {
            let iterations = round % 64 + 1
            let counts = Counts(iterations)
            ParallelLoop.forEach(iterations: iterations) { counts.add($0) }
            let wrong = (0..<iterations).filter { counts.value($0) != 1 }
            #expect(wrong.isEmpty, "round \(round): iterations \(wrong) ran \(wrong.map(counts.value)) times")
        }
    }

    @Test func runsEveryIterationOnceWhetherTheHelpersSleptWokeOrSpun() {
        // Past the helpers' spin (asleep), woken by prepare (spinning again), and prepared twice.
        for round in 0..<30 {
            switch round % 3 {
            case 0: usleep(5_000)
            case 1:
                usleep(5_000)
                ParallelLoop.prepare()
            default:
                ParallelLoop.prepare()
                ParallelLoop.prepare()
            }
            let iterations = 8 + round
            let counts = Counts(iterations)
            ParallelLoop.forEach(iterations: iterations) { counts.add($0) }
            #expect((0..<iterations).allSatisfy { counts.value($0) == 1 }, "round \(round)")
        }
    }

    @Test func spreadsIterationsOverTheHelpersWhenTheMachineHasThem() {
        // Each iteration long enough (~1 ms) that an awake helper takes some of them; recorded by thread.
        guard ParallelLoop.threads > 1 else { return }
        let threads = Mutex<Set<UInt>>([])
        ParallelLoop.forEach(iterations: 16) { _ in
            let clock = ContinuousClock()
            let end = clock.now + .milliseconds(1)
            while clock.now < end {}
            threads.withLock { _ = $0.insert(currentThread()) }
        }
        #expect(threads.withLock { $0.count } >= 2)
    }

    @Test func loopsStartedTogetherFromSeveralThreadsAllComplete() {
        // Only one loop has the helpers at a time; the others run on Dispatch's threads instead, and
        // every iteration of every loop still runs once.
        let loops = 8
        let iterations = 40
        let counts = (0..<loops).map { _ in Counts(iterations) }
        DispatchQueue.concurrentPerform(iterations: loops) { loop in
            for _ in 0..<20 {
                ParallelLoop.forEach(iterations: iterations) { counts[loop].add($0) }
            }
        }
        for loop in 0..<loops {
            #expect((0..<iterations).allSatisfy { counts[loop].value($0) == 20 }, "loop \(loop)")
        }
    }

    @Test func aLoopInsideALoopRuns() {
        let counts = Counts(6 * 5)
        ParallelLoop.forEach(iterations: 6) { outer in
            ParallelLoop.forEach(iterations: 5) { inner in counts.add(outer * 5 + inner) }
        }
        #expect((0..<30).allSatisfy { counts.value($0) == 1 })
    }

    @Test func zeroAndOneIterations() {
        let counts = Counts(1)
        ParallelLoop.forEach(iterations: 0) { _ in counts.add(0) }
        #expect(counts.value(0) == 0)
        ParallelLoop.forEach(iterations: 1) { counts.add($0) }
        #expect(counts.value(0) == 1)
    }
}

private func currentThread() -> UInt {
    #if canImport(Glibc)
        return UInt(pthread_self())
    #else
        return 0
    #endif
}

#if canImport(Glibc)
    import Glibc
#endif
