import Dispatch
import Synchronization

/// An HTTP/1.1 server on libmicrohttpd: a pool of epoll threads that parse requests and hand them to
/// an `HTTPHandler`, suspending each connection until its answer is ready.
///
/// Life cycle: `start()`, then `shutdown(gracePeriod:)` (stop accepting, wait for in-flight requests,
/// stop libmicrohttpd). A server is started at most once.
public final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case running(MHDDaemon)
        case draining(MHDDaemon)
        case stopped
    }

    private struct State {
        var phase = Phase.idle
        var port: UInt16 = 0
        /// Requests libmicrohttpd has not completed yet, by identity.
        var inFlight: [ObjectIdentifier: RequestContext] = [:]
        /// Signalled when the last request in flight completes (`shutdown` waits on them).
        var idleWaiters: [DispatchSemaphore] = []
    }

    /// The settings the server was created with.
    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let state = Mutex(State())
    /// False from `beginDraining()` on: libmicrohttpd's threads read it for each new connection.
    private let accepting = Atomic(true)
    /// Closes connections whose request head and body do not arrive within the request deadline.
    private let deadlines: ConnectionDeadlines

    /// A server that will answer with `handler`; nothing listens until `start()`.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        self.deadlines = ConnectionDeadlines(limit: .seconds(max(1, configuration.requestDeadlineSeconds)))
    }

    /// Connections closed because their request did not arrive within the request deadline.
    public var connectionsCutOff: Int { deadlines.cutOffCount }

    /// Binds and starts listening.
    public func start() throws(HTTPServerError) {
        try configuration.validate()
        try state.withLock { state throws(HTTPServerError) in
            guard case .idle = state.phase else { throw .alreadyStarted }
            let daemon = try MHDDaemon.start(configuration, for: self)
            state.phase = .running(daemon)
            state.port = daemon.boundPort
        }
    }

    /// The bound port (useful after starting on port 0); 0 before `start()`.
    public var port: UInt16 { state.withLock { $0.port } }

    /// True from `beginDraining()` on.
    public var isDraining: Bool {
        state.withLock { state in
            switch state.phase {
            case .draining, .stopped: true
            case .idle, .running: false
            }
        }
    }

    /// Requests received and not yet completed by libmicrohttpd.
    public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    /// Stops accepting new connections (each one is closed as soon as it is accepted, so a client or a
    /// load balancer learns at once, instead of waiting in the listen backlog); requests under way
    /// continue and answers carry `Connection: close`.
    public func beginDraining() {
        state.withLock { state in
            guard case .running(let daemon) = state.phase else { return }
            accepting.store(false, ordering: .releasing)
            state.phase = .draining(daemon)
        }
    }

    /// Read by libmicrohttpd's accept policy for every new connection.
    var acceptsConnections: Bool { accepting.load(ordering: .acquiring) }

    /// Drains (see `beginDraining`), waits up to `gracePeriod` for in-flight requests to be answered,
    /// then answers what is left with 503, ends open streams and stops libmicrohttpd.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        beginDraining()
        waitUntilIdle(upTo: gracePeriod)
        // libmicrohttpd must not be stopped with suspended connections: answer and resume them all.
        for context in state.withLock({ Array($0.inFlight.values) }) {
            context.respond(HTTPResponse(status: 503, headers: [("Retry-After", "1")]))
            context.endStream()
        }
        waitUntilIdle(upTo: .seconds(2))
        let stopping = state.withLock { state -> MHDDaemon? in
            defer { state.phase = .stopped }
            switch state.phase {
            case .running(let daemon), .draining(let daemon): return daemon
            case .idle, .stopped: return nil
            }
        }
        stopping?.stop(releasing: self)
        deadlines.stop()
    }

    /// Waits until no request is in flight, for at most `limit`.
    private func waitUntilIdle(upTo limit: Duration) {
        let idle = DispatchSemaphore(value: 0)
        let mustWait = state.withLock { state -> Bool in
            guard !state.inFlight.isEmpty else { return false }
            state.idleWaiters.append(idle)
            return true
        }
        if mustWait { _ = idle.wait(timeout: .now() + .nanoseconds(Int(limit / .nanoseconds(1)))) }
    }

    // MARK: - Called from MHDBridge on libmicrohttpd threads

    func connectionOpened(_ connection: MHDConnection) {
        deadlines.opened(connection.key, socket: connection.socket)
    }

    func connectionClosed(_ connection: MHDConnection) {
        deadlines.closed(connection.key)
    }

    /// First callback: the head is known. Refuses ambiguous body framing at once and closes the
    /// connection (see `RequestFraming`); refuses an announced body over the limit at once (413,
    /// without reading it).
    func beginRequest(_ context: RequestContext, head: HTTPRequest) -> Bool {
        state.withLock { $0.inFlight[ObjectIdentifier(context)] = context }
        if let violation = RequestFraming.violation(in: head.headers) {
            context.markQueued()
            return queue(violation.response, on: context, closing: true)
        }
        context.bodyLimit = handler.maxBodyBytes(for: head) ?? configuration.maxBodyBytes
        let length = head.header("Content-Length").flatMap { Int($0) }
        if let length, length > context.bodyLimit {
            context.markQueued()
            return queue(handler.responseForOversizedBody(head, limit: context.bodyLimit), on: context)
        }
        if let sink = handler.bodySink(for: head) { context.setBodySink(sink) }
        if let length, length > 0 { handler.bodyWillArrive(for: head, length: length) }
        return true
    }

    /// Later callbacks: body bytes, then the end of the upload, then (after a resume) the answer.
    func continueRequest(_ context: RequestContext, upload: UnsafeBufferPointer<UInt8>) -> Bool {
        if upload.count > 0 {
            context.receive(upload)
            return true
        }
        if let ready = context.takeReadyResponse() {
            return queue(ready, on: context)
        }
        guard !context.isAwaitingAnswer else { return true }
        let (request, overflowed) = context.completeUpload()
        deadlines.requestReceived(context.connection.key)
        if overflowed {
            return queue(handler.responseForOversizedBody(request, limit: context.bodyLimit), on: context)
        }
        handler.handle(request, responder: HTTPResponder(context: context))
        if let immediate = context.answerOrSuspend() {
            return queue(immediate, on: context)
        }
        return true
    }

    /// libmicrohttpd completed (or abandoned) the request.
    func requestFinished(_ context: RequestContext, cleanly: Bool) {
        state.withLock { state in
            state.inFlight.removeValue(forKey: ObjectIdentifier(context))
            if state.inFlight.isEmpty {
                for waiter in state.idleWaiters { waiter.signal() }
                state.idleWaiters = []
            }
        }
        deadlines.requestCompleted(context.connection.key)
        context.finished(cleanly: cleanly)
    }

    private func queue(_ response: HTTPResponse, on context: RequestContext, closing: Bool = false) -> Bool {
        if case .stream(let stream) = response.body {
            context.attach(stream)
            let key = context.connection.key
            stream.setDisconnect { [deadlines] in deadlines.cutOff(key) }
        }
        return context.connection.queue(
            response, close: closing || isDraining, streamBufferLimit: configuration.maxStreamBufferBytes)
    }
}
