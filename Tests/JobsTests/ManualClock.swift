import Foundation
import Jobs
import Synchronization

/// A `JobClock` that moves only when the test says: deadlines and retention without waiting.
final class ManualClock: Sendable {
    private let start = ContinuousClock.now
    private let startDate = Date()
    private let elapsed = Mutex(Duration.zero)

    /// The clock for a runner.
    var jobClock: JobClock {
        JobClock(
            now: { [self] in start + elapsed.withLock { $0 } },
            date: { [self] in startDate.addingTimeInterval(Double(elapsed.withLock { $0 } / .seconds(1))) })
    }

    /// Moves both readings forward by `duration`.
    func advance(by duration: Duration) {
        elapsed.withLock { $0 += duration }
    }
}
