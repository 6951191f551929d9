import Dispatch
import MicroHTTP
import Synchronization

/// Writes a job's events to an event stream without letting a slow client grow its buffer: an event
/// is written only while less than `lowWater` bytes wait unsent; otherwise it waits as the one
/// pending event, and a newer event replaces it (coalescing: a slow reader sees the latest state, not
/// every step). The final event is written in slices as the client reads, then the stream finishes.
/// Memory per stream: at most `lowWater` plus one slice buffered, one pending event, the final one.
final class EventPacer: Sendable {
    private struct State {
        var pending: [UInt8]?
        var final: [UInt8]?
        var finalOffset = 0
        var retryScheduled = false
    }

    private let stream: HTTPResponseStream
    private let lowWater: Int
    private let state = Mutex(State())

    /// How often a blocked pacer looks again whether the client has read.
    static let retryInterval = DispatchTimeInterval.milliseconds(10)
    /// Where retries and heartbeats run: a serial queue gets a thread of its own from libdispatch,
    /// even while jobs keep the shared pool's threads busy computing.
    static let queue = DispatchQueue(label: "nabla.events", qos: .utility)

    /// A pacer for `stream` that writes while fewer than `lowWater` bytes are buffered.
    init(stream: HTTPResponseStream, lowWater: Int = 64 * 1024) {
        self.stream = stream
        self.lowWater = lowWater
    }

    /// True while an offered event waits unsent (the client reads slowly): the next offer replaces it.
    var hasPendingEvent: Bool { state.withLock { $0.pending != nil } }

    /// Sends `event` when the client keeps up, else keeps it in place of any pending one.
    func offer(_ event: [UInt8]) {
        state.withLock { state in
            guard state.final == nil else { return }
            state.pending = event
        }
        flush()
    }

    /// Sends the pending event, then `event`, then finishes the stream. Later offers are dropped.
    func finish(with event: [UInt8]) {
        state.withLock { state in
            guard state.final == nil else { return }
            state.final = event
        }
        flush()
    }

    /// Writes a comment (a heartbeat) unless the final event has begun: a comment must not land
    /// between two slices of it.
    func comment(_ bytes: [UInt8]) {
        state.withLock { state in
            if state.final == nil { stream.write(bytes) }
        }
    }

    /// Writes what the buffer has room for; if something is left, looks again shortly.
    private func flush() {
        let retry = state.withLock { state -> Bool in
            while !stream.isClosed {
                guard stream.bufferedByteCount < lowWater else {
                    defer { state.retryScheduled = true }
                    return !state.retryScheduled
                }
                if let pending = state.pending {
                    state.pending = nil
                    stream.write(pending)
                } else if let final = state.final, state.finalOffset < final.count {
                    let end = min(final.count, state.finalOffset + lowWater)
                    stream.write(Array(final[state.finalOffset..<end]))
                    state.finalOffset = end
                    if end == final.count { stream.finish() }
                } else {
                    return false
                }
            }
            state.pending = nil
            state.final = nil
            return false
        }
        guard retry else { return }
        Self.queue.asyncAfter(deadline: .now() + Self.retryInterval) { [self] in
            state.withLock { $0.retryScheduled = false }
            flush()
        }
    }
}
