public import Dispatch

/// A Dispatch timer that fires every `interval` on `queue` until cancelled from any thread.
public final class RepeatingTimer: @unchecked Sendable {
    // @unchecked: the source is set once in init; DispatchSource's methods are thread-safe.
    private let source: any DispatchSourceTimer

    /// Starts firing `fire` every `interval` (the first time one interval from now).
    public init(
        every interval: Duration, leeway: Duration = .zero, on queue: DispatchQueue,
        _ fire: @escaping @Sendable () -> Void
    ) {
        source = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = Int(interval / .nanoseconds(1))
        source.schedule(
            deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
            leeway: .nanoseconds(Int(leeway / .nanoseconds(1))))
        source.setEventHandler(handler: fire)
        source.resume()
    }

    /// Stops it; `fire` is not called again once a call in progress returns.
    public func cancel() { source.cancel() }
}
