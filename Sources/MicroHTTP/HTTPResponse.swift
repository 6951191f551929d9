/// What a handler answers: a status, headers and either a complete body or a stream.
public struct HTTPResponse: Sendable {
    /// The body of a response.
    public enum Body: Sendable {
        /// The whole body, known now.
        case bytes([UInt8])
        /// A body written over time (chunked transfer), e.g. Server-Sent Events.
        case stream(HTTPResponseStream)
    }

    /// HTTP status code.
    public var status: Int
    /// Header fields to send (libmicrohttpd adds Date, Content-Length or Transfer-Encoding).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Body

    /// A response with a complete body.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    /// A streamed response; the handler keeps `stream` and writes to it from any thread.
    public init(status: Int, headers: [(name: String, value: String)] = [], stream: HTTPResponseStream) {
        self.status = status
        self.headers = headers
        self.body = .stream(stream)
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// The complete body, or `nil` for a stream.
    public var bodyBytes: [UInt8]? {
        if case .bytes(let bytes) = body { return bytes }
        return nil
    }
}
