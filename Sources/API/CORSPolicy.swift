import MicroHTTP

/// Cross-origin access (CORS) for the origins `nabla serve --cors-origin` names; none by default.
/// Allowed origins get `Access-Control-Allow-Origin` and may read `Location`, `Retry-After` and
/// `X-Request-Id`; their preflights are answered 204. Other origins get no CORS headers at all.
struct CORSPolicy: Sendable {
    /// Origins as browsers send them (`https://app.example.com`, `http://localhost:8080`).
    let origins: [String]

    /// The request's `Origin` when it is allowed.
    func allowedOrigin(_ request: HTTPRequest) -> String? {
        guard !origins.isEmpty, let origin = request.header("Origin"), origins.contains(origin) else { return nil }
        return origin
    }

    /// The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed
    /// origin, or nil for any other request (routed as usual). It needs no key: browsers send
    /// preflights without credentials.
    func preflightResponse(_ request: HTTPRequest) -> HTTPResponse? {
        guard request.method == "OPTIONS", request.header("Access-Control-Request-Method") != nil,
            allowedOrigin(request) != nil
        else { return nil }
        return HTTPResponse(
            status: 204,
            headers: [
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE"),
                ("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id"),
                ("Access-Control-Max-Age", "600"),
            ])
    }

    /// Adds the CORS headers for an allowed origin to `response`. With origins configured, every
    /// response also says it varies by `Origin`, so that a cache does not hand one origin's answer to
    /// another.
    func addHeaders(to response: inout HTTPResponse, for request: HTTPRequest) {
        guard !origins.isEmpty else { return }
        response.headers.append(("Vary", "Origin"))
        guard let origin = allowedOrigin(request) else { return }
        response.headers.append(("Access-Control-Allow-Origin", origin))
        if response.status != 204 || request.method != "OPTIONS" {
            response.headers.append(("Access-Control-Expose-Headers", "Location, Retry-After, X-Request-Id"))
        }
    }
}
