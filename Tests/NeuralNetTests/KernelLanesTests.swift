import Foundation
import Synchronization
import Testing

@testable import NeuralNet

/// The run's second thread: it runs part 1 while the caller runs part 0, at the caller's nice value (a
/// kept job's) or the one asked for when higher, never the service's.
@Suite struct KernelLanesTests {
    /// Creates lanes on a fresh thread at nice value `callerNiceness` and returns each part's thread id
    /// and nice value, as seen from inside the part.
    static func partsSeen(callerNiceness: Int32, asked: Int32?) -> [(thread: pthread_t, niceness: Int32)] {
        let seen = Mutex<[Int: (pthread_t, Int32)]>([:])
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, callerNiceness)
            let lanes = KernelLanes(threads: 2, niceness: asked)
            lanes.run(parts: 2) { part in
                let niceness = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                seen.withLock { $0[part] = (pthread_self(), niceness) }
            }
            finished.signal()
        }
        thread.start()
        finished.wait()
        return seen.withLock { parts in (0..<2).map { parts[$0]! } }
    }

    @Test func partnerRunsAtTheCallersNiceValue() {
        let parts = Self.partsSeen(callerNiceness: 7, asked: nil)
        #expect(parts[0].thread != parts[1].thread)
        #expect(parts.map(\.niceness) == [7, 7])
    }

    @Test func partnerTakesAHigherNiceValueWhenAsked() {
        let parts = Self.partsSeen(callerNiceness: 3, asked: 12)
        #expect(parts.map(\.niceness) == [3, 12])
    }

    @Test func oneLaneRunsBothPartsInTheCaller() {
        let lanes = KernelLanes(threads: 1)
        var threads: [pthread_t] = []
        lanes.run(parts: 2) { _ in threads.append(pthread_self()) }
        #expect(threads == [pthread_self(), pthread_self()])
    }
}
