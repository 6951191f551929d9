/// What the server calls for every request. Implemented by the API's router.
///
/// Both methods are called on a libmicrohttpd thread, which must never compute: answer at once when
/// the answer is cheap, else hand the work off (Dispatch) and answer later from any thread. The
/// connection is suspended meanwhile and holds no thread.
public protocol HTTPHandler: Sendable {
    /// Handles a complete request; must call `responder.respond` exactly once, now or later.
    func handle(_ request: HTTPRequest, responder: HTTPResponder)

    /// The answer for a request whose body passed `limit` bytes (413); `request.body` is empty.
    func responseForOversizedBody(_ request: HTTPRequest, limit: Int) -> HTTPResponse

    /// The largest body accepted for this request head, or nil for the server's `maxBodyBytes`. Asked
    /// once, when the head arrives, before any body byte is buffered.
    func maxBodyBytes(for head: HTTPRequest) -> Int?

    /// What takes this request's body as it arrives instead of `HTTPRequest.body`, or nil to gather it
    /// as usual. Asked once, when the head arrives, after `maxBodyBytes(for:)` (which still applies).
    func bodySink(for head: HTTPRequest) -> (any HTTPBodySink)?

    /// Told when a request whose head announces a body of `length` bytes (within the limit) begins to
    /// arrive, before any body byte: a handler may prepare for the work to come. Must return at once.
    func bodyWillArrive(for head: HTTPRequest, length: Int)
}

extension HTTPHandler {
    public func maxBodyBytes(for head: HTTPRequest) -> Int? { nil }
    public func bodySink(for head: HTTPRequest) -> (any HTTPBodySink)? { nil }
    public func bodyWillArrive(for head: HTTPRequest, length: Int) {}
}
