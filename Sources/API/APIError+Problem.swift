public import MicroHTTP
public import JSON

extension APIError {
    /// The HTTP status for this error.
    public var status: Int {
        switch self {
        case .malformedJSON, .invalidRequest: 400
        case .unauthorized: 401
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .payloadTooLarge: 413
        case .unsupportedMediaType: 415
        case .unprocessable: 422
        case .tooManyJobs, .tooManyStreams: 429
        case .internalError: 500
        case .storageFull: 507
        case .notImplemented: 501
        case .queueFull, .unavailable, .timeLimitExceeded: 503
        }
    }

    /// A short, stable name: the last part of the problem `type` URI.
    public var slug: String {
        switch self {
        case .malformedJSON: "malformed-json"
        case .invalidRequest: "invalid-request"
        case .unauthorized: "unauthorized"
        case .notFound: "not-found"
        case .methodNotAllowed: "method-not-allowed"
        case .unsupportedMediaType: "unsupported-media-type"
        case .payloadTooLarge: "payload-too-large"
        case .conflict: "conflict"
        case .unprocessable: "unprocessable"
        case .tooManyJobs: "too-many-jobs"
        case .tooManyStreams: "too-many-streams"
        case .queueFull: "queue-full"
        case .unavailable: "unavailable"
        case .timeLimitExceeded: "time-limit"
        case .internalError: "internal-error"
        case .storageFull: "insufficient-storage"
        case .notImplemented: "not-implemented"
        }
    }

    private var title: String {
        switch self {
        case .malformedJSON: "Malformed JSON"
        case .invalidRequest: "Invalid request"
        case .unauthorized: "Unauthorized"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .unsupportedMediaType: "Unsupported media type"
        case .payloadTooLarge: "Payload too large"
        case .conflict: "Conflict"
        case .unprocessable: "Cannot compute"
        case .tooManyJobs: "Too many jobs"
        case .tooManyStreams: "Too many event streams"
        case .queueFull: "Queue full"
        case .unavailable: "Service unavailable"
        case .timeLimitExceeded: "Time limit exceeded"
        case .internalError: "Internal server error"
        case .storageFull: "Insufficient storage"
        case .notImplemented: "Not implemented"
        }
    }

    var detail: String {
        switch self {
        case .malformedJSON(let error): "the body is not valid JSON: \(error)"
        case .invalidRequest(let detail, _), .notFound(let detail), .conflict(let detail),
            .unprocessable(let detail, _), .unavailable(let detail, _), .timeLimitExceeded(let detail),
            .storageFull(let detail), .notImplemented(let detail):
            detail
        case .unauthorized(tokenGiven: false):
            "this service needs an API key: send 'Authorization: Bearer TOKEN' (the token from 'nabla keys create')"
        case .unauthorized(tokenGiven: true): "the bearer token is not one of this service's API keys"
        case .methodNotAllowed(let allowed): "allowed methods: \(allowed.joined(separator: ", "))"
        case .unsupportedMediaType(let received, let expected):
            "send the body as \(expected) (received \(received.map { "'\($0)'" } ?? "no Content-Type"))"
        case .payloadTooLarge(let limit): "the body is larger than the limit of \(limit) bytes"
        case .tooManyJobs(let limit, let seconds):
            "this client already has \(limit) jobs queued or running (the limit, set by nabla serve --max-jobs-per-client); retry after \(seconds) s or cancel one"
        case .tooManyStreams(let limit, let seconds):
            "this client already has \(limit) event streams open (the limit, set by nabla serve --max-streams-per-client); close one or retry after \(seconds) s"
        case .queueFull(let seconds): "the job queue is full; retry after \(seconds) s"
        case .internalError: "an unexpected error occurred; it has been logged"
        }
    }

    private var issues: [FieldIssue] {
        switch self {
        case .invalidRequest(_, let issues), .unprocessable(_, let issues): issues
        case .malformedJSON(let error): [FieldIssue(pointer: "", detail: error.reason, position: error.column)]
        default: []
        }
    }

    /// Extra headers the status requires (`WWW-Authenticate` for 401 (RFC 6750 §3: an error code only
    /// when a token came), `Allow` for 405, `Retry-After` for 429 and 503).
    private var headers: [(name: String, value: String)] {
        switch self {
        case .unauthorized(let tokenGiven):
            [("WWW-Authenticate", #"Bearer realm="nabla""# + (tokenGiven ? #", error="invalid_token""# : ""))]
        case .methodNotAllowed(let allowed): [("Allow", allowed.joined(separator: ", "))]
        case .queueFull(let seconds), .unavailable(_, let seconds), .tooManyJobs(_, let seconds),
            .tooManyStreams(_, let seconds):
            [("Retry-After", String(seconds))]
        case .timeLimitExceeded: [("Retry-After", "1")]
        default: []
        }
    }

    /// The problem document (RFC 9457) for this error.
    public var problem: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("type", .string("urn:nabla:problem:\(slug)")), ("title", .string(title)),
            ("status", .number(Double(status))), ("detail", .string(detail)),
        ]
        if case .malformedJSON(let error) = self {
            members.append(("line", .number(Double(error.line))))
            members.append(("column", .number(Double(error.column))))
        }
        let issues = self.issues
        if !issues.isEmpty {
            members.append(
                (
                    "errors",
                    .array(
                        issues.map { issue in
                            var fields: [(key: String, value: JSONValue)] = [
                                ("pointer", .string(issue.pointer)), ("detail", .string(issue.detail)),
                            ]
                            if let position = issue.position { fields.append(("position", .number(Double(position)))) }
                            return .object(fields)
                        })
                ))
        }
        return .object(members)
    }

    /// The complete HTTP response for this error.
    public var response: HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/problem+json")] + headers,
            body: JSONWriter.bytes(problem))
    }
}
