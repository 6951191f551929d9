public import JSON

/// One problem with one part of a request: a JSON pointer (RFC 6901) into the body or a query
/// parameter's name, what is wrong, and for expressions the 1-based column.
public struct FieldIssue: Sendable, Equatable {
    /// `/field/0/name`, `?wait` for a query parameter, or `` for the whole body.
    public var pointer: String
    /// What is wrong, for people.
    public var detail: String
    /// 1-based column inside the field's text, when known (expressions).
    public var position: Int?

    /// An issue at `pointer`.
    public init(pointer: String, detail: String, position: Int? = nil) {
        self.pointer = pointer
        self.detail = detail
        self.position = position
    }
}

/// Every error the API answers with. `APIError+Problem.swift` is the one place that turns them into
/// HTTP statuses and `application/problem+json` bodies (RFC 9457).
public enum APIError: Error, Sendable, Equatable {
    /// The body is not well-formed JSON (400).
    case malformedJSON(JSONParseError)
    /// Well-formed but wrong: missing, unknown or mistyped fields, values out of range (400).
    case invalidRequest(String, issues: [FieldIssue] = [])
    /// `/v1` needs `Authorization: Bearer TOKEN` with a configured key (401, with `WWW-Authenticate`):
    /// `tokenGiven` says whether a token came and was refused, or none came.
    case unauthorized(tokenGiven: Bool)
    /// No such resource (404).
    case notFound(String)
    /// The path exists, the method does not (405, with `Allow`).
    case methodNotAllowed(allowed: [String])
    /// A POST whose body is not of a type the route takes (415): `expected` says which, as the detail's
    /// end ("JSON with 'Content-Type: application/json'").
    case unsupportedMediaType(received: String?, expected: String = "JSON with 'Content-Type: application/json'")
    /// The body passed the configured limit (413).
    case payloadTooLarge(limit: Int)
    /// What the request would store does not fit in the room left (507), e.g. an uploaded dataset.
    case storageFull(String)
    /// The request conflicts with the resource's state, e.g. cancelling a finished job (409).
    case conflict(String)
    /// Valid request, but the value cannot be computed (422), e.g. a domain error at the point.
    case unprocessable(String, issues: [FieldIssue] = [])
    /// The client already has `limit` jobs queued or running (429, with `Retry-After`).
    case tooManyJobs(limit: Int, retryAfterSeconds: Int)
    /// The client already has `limit` event streams open (429, with `Retry-After`).
    case tooManyStreams(limit: Int, retryAfterSeconds: Int)
    /// The job queue is full (503, with `Retry-After`).
    case queueFull(retryAfterSeconds: Int)
    /// The service is draining or shutting down (503, with `Retry-After`).
    case unavailable(String, retryAfterSeconds: Int)
    /// A synchronous computation ran past the job time limit (503).
    case timeLimitExceeded(String)
    /// The service cannot do this as it is deployed (501), e.g. uploads while replicas share jobs.
    case notImplemented(String)
    /// A bug: logged in full, answered as a bare 500.
    case internalError
}
