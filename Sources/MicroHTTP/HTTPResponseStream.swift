import Synchronization

/// A response body written over time and sent with chunked transfer encoding (Server-Sent Events).
///
/// The writer appends with `write` from any thread and ends with `finish`. libmicrohttpd pulls the
/// bytes through a content-reader callback; when nothing is buffered the connection is suspended
/// (never a busy loop, never a held thread) and `write` resumes it. A client that does not read
/// lets the buffer grow to the server's `maxStreamBufferBytes`; past it the stream is aborted.
public final class HTTPResponseStream: Sendable {
    fileprivate struct State {
        var buffer: [UInt8] = []
        var readOffset = 0
        var finished = false
        var closed = false
        var aborted = false
        var readerSuspended = false
        var readerCalls = 0
        var connection: MHDConnection?
        var maxBufferedBytes: Int
        var closeHandlers: [@Sendable (_ clientLeft: Bool) -> Void] = []
        /// Bytes libmicrohttpd has taken, in all; and the count at the last `isStalled` check.
        var pulledBytes = 0
        var pulledAtLastCheck = 0
        /// Shuts the connection's socket down (set by the server when the response is queued).
        var disconnect: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>

    /// A new, empty stream. `maxBufferedBytes` overrides the server's limit for this stream.
    public init(maxBufferedBytes: Int = 1 << 20) {
        state = Mutex(State(maxBufferedBytes: maxBufferedBytes))
    }

    /// Appends bytes for the client. Returns false if the stream is closed (client gone, finished
    /// or aborted for an overfull buffer); the bytes are then dropped.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        var overfull = false
        let (accepted, resume) = state.withLock { state -> (Bool, MHDConnection?) in
            guard !state.closed, !state.finished, !state.aborted else { return (false, nil) }
            if state.buffer.count - state.readOffset + bytes.count > state.maxBufferedBytes {
                state.aborted = true
                overfull = true
            } else {
                state.buffer.append(contentsOf: bytes)
            }
            return (!overfull, state.takeSuspendedReader())
        }
        resume?.resume()
        if overfull { runCloseHandlers(clientLeft: true) }
        return accepted
    }

    /// Ends the stream after everything written so far has been sent.
    public func finish() {
        let resume = state.withLock { state -> MHDConnection? in
            state.finished = true
            return state.takeSuspendedReader()
        }
        resume?.resume()
    }

    /// True once the stream is finished, aborted or its client left.
    public var isClosed: Bool {
        state.withLock { $0.closed || $0.finished || $0.aborted }
    }

    /// Bytes written but not yet taken by libmicrohttpd.
    public var bufferedByteCount: Int {
        state.withLock { $0.buffer.count - $0.readOffset }
    }

    /// How many times libmicrohttpd has asked this stream for bytes (diagnostics: an idle stream must
    /// not be polled, it suspends its connection instead).
    public var readerCalls: Int {
        state.withLock { $0.readerCalls }
    }

    /// True while libmicrohttpd's reader found nothing to send and the connection waits suspended for
    /// the next write (diagnostics, like `readerCalls`).
    public var isReaderSuspended: Bool {
        state.withLock { $0.readerSuspended }
    }

    /// Runs `handler` once when the stream closes (`clientLeft` false after a clean finish); at once
    /// if it has closed already.
    public func onClose(_ handler: @escaping @Sendable (_ clientLeft: Bool) -> Void) {
        let closedAlready = state.withLock { state -> Bool? in
            if state.closed { return state.aborted }
            state.closeHandlers.append(handler)
            return nil
        }
        if let clientLeft = closedAlready { handler(clientLeft) }
    }

    /// True if bytes are waiting and the client has taken none since the previous call: called at a
    /// steady interval (the heartbeat), two true answers in a row mean the client stopped reading.
    public func isStalled() -> Bool {
        state.withLock { state in
            defer { state.pulledAtLastCheck = state.pulledBytes }
            return state.buffer.count - state.readOffset > 0 && state.pulledBytes == state.pulledAtLastCheck
        }
    }

    /// Ends the stream at once and closes its connection: for a client that stopped reading (its
    /// socket is full, so libmicrohttpd would never ask for more).
    public func abort() {
        let (resume, disconnect) = state.withLock { state -> (MHDConnection?, (@Sendable () -> Void)?) in
            state.aborted = true
            state.buffer.removeAll()
            state.readOffset = 0
            return (state.takeSuspendedReader(), state.disconnect)
        }
        disconnect?()
        resume?.resume()
        runCloseHandlers(clientLeft: true)
    }

    // MARK: - Server side

    /// How `abort` closes the connection.
    func setDisconnect(_ disconnect: @escaping @Sendable () -> Void) {
        state.withLock { $0.disconnect = disconnect }
    }

    /// Ties the stream to the connection that sends it (when its response is queued).
    func bind(to connection: MHDConnection, maxBufferedBytes: Int) {
        state.withLock { state in
            state.connection = connection
            state.maxBufferedBytes = min(state.maxBufferedBytes, maxBufferedBytes)
        }
    }

    /// The result of one pull by libmicrohttpd's content reader.
    enum Pull: Equatable {
        case bytes(Int)
        case endOfStream
        case error
        case suspended
    }

    /// Copies up to `capacity` bytes into `destination`; with nothing to copy and the stream still
    /// open, suspends the connection (called on the MHD thread that sends this response).
    func pull(into destination: UnsafeMutableRawPointer, capacity: Int) -> Pull {
        state.withLock { state in
            state.readerCalls += 1
            if state.aborted || state.closed { return .error }
            let available = state.buffer.count - state.readOffset
            if available > 0 {
                let count = min(available, capacity)
                state.buffer.withUnsafeBytes { source in
                    destination.copyMemory(from: source.baseAddress! + state.readOffset, byteCount: count)
                }
                state.readOffset += count
                state.pulledBytes += count
                if state.readOffset == state.buffer.count {
                    state.buffer.removeAll(keepingCapacity: true)
                    state.readOffset = 0
                } else if state.readOffset > 64 * 1024 && state.readOffset * 2 > state.buffer.count {
                    state.buffer.removeFirst(state.readOffset)
                    state.readOffset = 0
                }
                return .bytes(count)
            }
            if state.finished { return .endOfStream }
            guard let connection = state.connection else { return .error }
            state.readerSuspended = true
            connection.suspend()
            return .suspended
        }
    }

    /// The request is over: the client read everything (`clientLeft` false) or left.
    func close(clientLeft: Bool) {
        let first = state.withLock { state -> Bool in
            defer { state.closed = true }
            if clientLeft && !state.finished { state.aborted = true }
            return !state.closed
        }
        if first { runCloseHandlers(clientLeft: clientLeft) }
    }

    /// Server shutdown: finish at once, dropping what the client has not read.
    func forceFinish() {
        let resume = state.withLock { state -> MHDConnection? in
            state.finished = true
            state.buffer.removeAll()
            state.readOffset = 0
            return state.takeSuspendedReader()
        }
        resume?.resume()
    }

    private func runCloseHandlers(clientLeft: Bool) {
        let handlers = state.withLock { state -> [@Sendable (Bool) -> Void] in
            defer { state.closeHandlers = [] }
            return state.closeHandlers
        }
        for handler in handlers { handler(clientLeft) }
    }
}

extension HTTPResponseStream.State {
    /// The connection to resume if the reader is waiting for bytes (clears the flag).
    fileprivate mutating func takeSuspendedReader() -> MHDConnection? {
        guard readerSuspended else { return nil }
        readerSuspended = false
        return connection
    }
}
