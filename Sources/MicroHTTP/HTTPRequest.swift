/// A complete HTTP request as the server hands it to its handler.
public struct HTTPRequest: Sendable {
    /// The method as sent, e.g. `GET`.
    public var method: String
    /// The path, percent-decoded by libmicrohttpd, without the query string.
    public var path: String
    /// Query parameters in order, decoded.
    public var query: [(name: String, value: String)]
    /// Header fields in order as received.
    public var headers: [(name: String, value: String)]
    /// The body (empty when there was none, or when it was refused as too large).
    public var body: [UInt8]
    /// The client's address as text (`127.0.0.1`, `::1`), or `nil` if unknown.
    public var remoteAddress: String?
    /// When the request head arrived (monotonic), for durations.
    public var receivedAt: ContinuousClock.Instant
    /// What took the body instead of `body`, when the handler gave one for this head.
    public var bodySink: (any HTTPBodySink)?

    /// A request built by hand (tests and the router's callers).
    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = [], remoteAddress: String? = nil,
        receivedAt: ContinuousClock.Instant = .now
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.receivedAt = receivedAt
    }

    /// The first header with this name, compared case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// The first query parameter with this name.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}

extension String {
    /// ASCII case-insensitive equality, enough for header names.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7a)
        }
    }
}
