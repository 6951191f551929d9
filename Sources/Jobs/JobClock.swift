public import Foundation

/// Where the runner reads the time: when a job's time limit passes, when eviction is due, and the
/// wall-clock times it shows (`created`, `started`, `finished`). The system's clocks in the service;
/// a clock the test moves by hand (`JobClock.manual`) where a test must not wait for real time.
public struct JobClock: Sendable {
    /// Monotonic time, for deadlines and intervals.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Wall-clock time, for the times a job shows.
    public var date: @Sendable () -> Date

    /// A clock reading these two sources.
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant, date: @escaping @Sendable () -> Date) {
        self.now = now
        self.date = date
    }

    /// The system's continuous clock and wall clock.
    public static let system = JobClock(now: { .now }, date: { Date() })
}
