import Dispatch
import Glibc
import Synchronization

/// Cuts off connections whose request takes too long to arrive.
///
/// libmicrohttpd's idle timeout restarts with every byte, so a client that trickles one header line
/// every few seconds holds its connection forever. This gives each request one deadline for its whole
/// head and body, from the moment the connection opens (or the previous request on it completes) to the
/// moment the body is complete. Past it, a sweep shuts the socket down; libmicrohttpd then sees the
/// connection end and closes it. Requests being answered (handled, suspended or streaming) have no
/// deadline.
///
/// Connections are known by libmicrohttpd's handle (`MHDConnection.key`) from its opened to its closed
/// notification; libmicrohttpd closes the socket only after the closed notification returns, so a
/// socket is never shut down after its descriptor could have been reused.
final class ConnectionDeadlines: @unchecked Sendable {
    // @unchecked: `timer` is made once in init; DispatchSource methods are thread-safe. The rest is
    // under `state`.
    private struct Entry {
        let socket: Int32
        /// When the current request must be complete; nil while it is being answered.
        var deadline: ContinuousClock.Instant?
    }

    private struct State {
        var entries: [UInt: Entry] = [:]
        var cutOff = 0
    }

    /// Time a request's head and body get to arrive.
    let limit: Duration
    private let state = Mutex(State())
    private let timer: any DispatchSourceTimer

    /// Starts sweeping for overdue requests every quarter of `limit` (at most every second).
    init(limit: Duration) {
        self.limit = limit
        let interval = min(Duration.seconds(1), limit / 4)
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "nabla.http.deadlines", qos: .utility))
        let nanoseconds = Int(interval / .nanoseconds(1))
        timer.schedule(deadline: .now(), repeating: .nanoseconds(max(1_000_000, nanoseconds)))
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Stops sweeping (server shutdown).
    func stop() { timer.cancel() }

    /// Connections cut off so far.
    var cutOffCount: Int { state.withLock { $0.cutOff } }

    /// A connection opened: its first request's clock starts.
    func opened(_ key: UInt, socket: Int32) {
        guard socket >= 0 else { return }
        let deadline = ContinuousClock.now + limit
        state.withLock { $0.entries[key] = Entry(socket: socket, deadline: deadline) }
    }

    /// The request's body is complete: no deadline while it is answered.
    func requestReceived(_ key: UInt) {
        state.withLock { $0.entries[key]?.deadline = nil }
    }

    /// The request was answered; the next one on this connection starts its clock now.
    func requestCompleted(_ key: UInt) {
        let deadline = ContinuousClock.now + limit
        state.withLock { $0.entries[key]?.deadline = deadline }
    }

    /// The connection closed (libmicrohttpd has not closed its socket yet).
    func closed(_ key: UInt) {
        state.withLock { _ = $0.entries.removeValue(forKey: key) }
    }

    /// Shuts the connection's socket down now, if it is still open (a stream whose client stopped reading).
    func cutOff(_ key: UInt) {
        state.withLock { state in
            guard let entry = state.entries[key] else { return }
            shutdown(entry.socket, Int32(SHUT_RDWR))
        }
    }

    /// Shuts down every socket past its deadline, under the lock that `closed` takes.
    private func sweep() {
        let now = ContinuousClock.now
        state.withLock { state in
            for (key, entry) in state.entries {
                guard let deadline = entry.deadline, deadline <= now else { continue }
                shutdown(entry.socket, Int32(SHUT_RDWR))
                state.entries[key]?.deadline = nil
                state.cutOff += 1
            }
        }
    }
}
