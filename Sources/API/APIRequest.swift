public import MicroHTTP
public import JSON

/// A request as a route handler sees it.
public struct APIRequest: Sendable {
    /// The HTTP request.
    public let http: HTTPRequest
    /// Path parameters by name (`id` for `/v1/jobs/{id}`).
    public let parameters: [String: String]
    /// The request id echoed in `X-Request-Id`.
    public let id: String
    /// Who sent it (the API key's name, the address): whose jobs it may see, what limits it counts in.
    public let caller: Caller
    /// The largest JSON nesting accepted.
    let maxJSONDepth: Int

    /// The body parsed as JSON (an empty body is a 400); with `numberArrays`, arrays of numbers alone are
    /// `.numbers` (see `JSONParser.parse`), for routes that read large ones.
    public func json(numberArrays: Bool = false) throws(APIError) -> JSONValue {
        guard !http.body.isEmpty else {
            throw .invalidRequest(
                "the request needs a JSON body", issues: [FieldIssue(pointer: "", detail: "empty body")])
        }
        do {
            return try JSONParser.parse(http.body, maxDepth: maxJSONDepth, numberArrays: numberArrays)
        } catch {
            throw .malformedJSON(error)
        }
    }

    /// A boolean query parameter (`?wait`, `?wait=true`, `?wait=false`).
    public func queryFlag(_ name: String) throws(APIError) -> Bool? {
        guard let value = http.queryValue(name) else { return nil }
        switch value.lowercased() {
        case "", "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw .invalidRequest(
                "query parameter '\(name)' must be true or false",
                issues: [FieldIssue(pointer: "?\(name)", detail: "expected true or false, got '\(value)'")])
        }
    }
}

/// What a route handler answers: a response now, or later from a computation.
public enum Reply: Sendable {
    /// The response, ready now (cheap routes only: this runs on a libmicrohttpd thread).
    case response(HTTPResponse)
    /// Work that answers later: it receives `complete` and must call it exactly once, from any thread.
    case deferred(@Sendable (_ complete: @escaping @Sendable (Result<HTTPResponse, APIError>) -> Void) -> Void)

    /// A JSON response.
    public static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = [])
        -> Reply
    {
        .response(.json(value, status: status, headers: headers))
    }

    /// A reply computed by `body` in a task (on `RouteExecutor`): for routes that wait on a job
    /// backend (a database perhaps), never on a libmicrohttpd thread.
    static func task(_ body: @escaping @Sendable () async throws(APIError) -> Reply) -> Reply {
        .deferred { complete in
            Task(executorPreference: RouteExecutor.shared) {
                do throws(APIError) {
                    try await body().answer(complete)
                } catch {
                    complete(.failure(error))
                }
            }
        }
    }

    /// Hands the response to `complete`, now or when the work is done: for a route that builds its
    /// reply inside work of its own that is already deferred.
    func answer(_ complete: @escaping @Sendable (Result<HTTPResponse, APIError>) -> Void) {
        switch self {
        case .response(let response): complete(.success(response))
        case .deferred(let start): start(complete)
        }
    }
}

extension HTTPResponse {
    /// A JSON response.
    public static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = [])
        -> HTTPResponse
    {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: JSONWriter.bytes(value))
    }
}
