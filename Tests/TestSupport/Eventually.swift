import Foundation

/// Checks `condition` every `interval` until it holds or `timeout` passes; returns whether it held.
///
/// The suites' one polling loop, for state that offers nothing to wait on: a job seen over HTTP, a
/// separate process, a connection libmicrohttpd has yet to notice. Work inside the process is waited
/// on through its events instead (`JobRunner.observe`, `waitUntilFinished`).
@discardableResult
public func eventually(
    timeout: Duration = .seconds(5), interval: Duration = .milliseconds(5), _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: Double(interval / .seconds(1)))
    }
}

/// `eventually` for conditions that must wait themselves (a database read).
@discardableResult
public func eventually(
    timeout: Duration = .seconds(5), interval: Duration = .milliseconds(5), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}
