import Synchronization

/// One request's life on the server: receiving its body, waiting for the handler's answer, sending it.
///
/// Created on libmicrohttpd's first callback for the request and released in its request-completed
/// callback (see `MHDBridge.swift`). The stages, in order:
/// - `receiving`: body bytes arrive and are appended, up to the configured limit;
/// - `handling`: the handler runs on the MHD thread; an answer given now is queued at once;
/// - `suspended`: the handler handed off; the connection is suspended and holds no thread;
/// - `ready`: an answer arrived; the connection was resumed and MHD calls us back to queue it;
/// - `queued`: the response is with libmicrohttpd.
final class RequestContext: Sendable {
    enum Stage {
        case receiving, handling, suspended, ready(HTTPResponse), queued
    }

    private struct State {
        var request: HTTPRequest
        var overflowed = false
        var stage = Stage.receiving
        var stream: HTTPResponseStream?
        var bodyLimit = 0
        /// Bytes received so far (the body's, or the sink's).
        var received = 0
    }

    let connection: MHDConnection
    unowned let server: HTTPServer
    private let state: Mutex<State>

    init(server: HTTPServer, connection: MHDConnection, request: HTTPRequest) {
        self.server = server
        self.connection = connection
        self.state = Mutex(State(request: request))
    }

    /// The largest body this request may have (decided from its head).
    var bodyLimit: Int {
        get { state.withLock { $0.bodyLimit } }
        set { state.withLock { $0.bodyLimit = newValue } }
    }

    /// Where the body goes instead of `request.body` (set from the head, before any body byte).
    func setBodySink(_ sink: any HTTPBodySink) {
        state.withLock { $0.request.bodySink = sink }
    }

    /// Appends body bytes, or hands them to the body sink; past `bodyLimit`, drops everything and only
    /// counts (the 413 comes at the end).
    func receive(_ bytes: UnsafeBufferPointer<UInt8>) {
        let sink = state.withLock { state -> (any HTTPBodySink)? in
            guard case .receiving = state.stage, !state.overflowed else { return nil }
            state.received += bytes.count
            if state.received > state.bodyLimit {
                state.overflowed = true
                state.request.body = []
                state.request.bodySink = nil
                return nil
            }
            guard let sink = state.request.bodySink else {
                state.request.body.append(contentsOf: bytes)
                return nil
            }
            return sink
        }
        // Outside the lock: the sink may take a while over a piece (parsing it).
        sink?.consume(bytes)
    }

    /// Called when the whole body has arrived: the request and whether it overflowed the limit.
    /// Moves to `handling`, or straight to `queued` for an overflow (answered 413 by the server).
    func completeUpload() -> (request: HTTPRequest, overflowed: Bool) {
        state.withLock { state in
            state.stage = state.overflowed ? .queued : .handling
            return (state.request, state.overflowed)
        }
    }

    /// After the handler returned on the MHD thread: the answer if it came already, else suspends
    /// the connection (under the lock, so a concurrent `respond` resumes only after the suspension).
    func answerOrSuspend() -> HTTPResponse? {
        state.withLock { state in
            if case .ready(let response) = state.stage {
                state.stage = .queued
                return response
            }
            state.stage = .suspended
            connection.suspend()
            return nil
        }
    }

    /// After a resume: the answer to queue now, if there is one.
    func takeReadyResponse() -> HTTPResponse? {
        state.withLock { state in
            guard case .ready(let response) = state.stage else { return nil }
            state.stage = .queued
            return response
        }
    }

    /// Marks the response as queued directly (the 413 on the first callback).
    func markQueued() {
        state.withLock { $0.stage = .queued }
    }

    /// Records the handler's answer; resumes the connection if it was suspended. First answer wins.
    func respond(_ response: HTTPResponse) {
        let mustResume = state.withLock { state -> Bool in
            switch state.stage {
            case .handling:
                state.stage = .ready(response)
                return false
            case .suspended:
                state.stage = .ready(response)
                return true
            case .receiving, .ready, .queued:
                return false
            }
        }
        if mustResume { connection.resume() }
    }

    /// Remembers the stream this request answers with, to close it if the client leaves.
    func attach(_ stream: HTTPResponseStream) {
        state.withLock { $0.stream = stream }
    }

    /// libmicrohttpd is done with this request; `cleanly` is false if the client left or it failed.
    func finished(cleanly: Bool) {
        let stream = state.withLock { $0.stream }
        stream?.close(clientLeft: !cleanly)
    }

    /// Ends the response stream, if any, at once (server shutdown).
    func endStream() {
        state.withLock { $0.stream }?.forceFinish()
    }

    /// True while the handler owes an answer (handling or suspended).
    var isAwaitingAnswer: Bool {
        state.withLock { state in
            switch state.stage {
            case .handling, .suspended: true
            default: false
            }
        }
    }
}
