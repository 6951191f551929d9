import Dispatch

/// A repeating timer that lets the runner check running jobs against their time limits, ten times a
/// second: time limits are enforced within about 100 ms.
final class TimeLimitWatchdog: @unchecked Sendable {
    // @unchecked: the source is created once in init; DispatchSource methods are thread-safe.
    private let source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
    static let interval = DispatchTimeInterval.milliseconds(100)

    func start(_ check: @escaping @Sendable () -> Void) {
        source.schedule(deadline: .now() + Self.interval, repeating: Self.interval, leeway: .milliseconds(20))
        source.setEventHandler(handler: check)
        source.resume()
    }

    func cancel() { source.cancel() }
}
