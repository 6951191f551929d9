/// Routes by method and path, with `{name}` path parameters. Built once at start-up, then read-only.
public struct Router: Sendable {
    /// What a route's handler gets.
    public typealias Handler = @Sendable (APIRequest) throws(APIError) -> Reply

    /// What a route accepts as a body.
    public enum BodyKind: Sendable {
        /// No body is expected (it is ignored).
        case none
        /// A JSON body; anything else is answered 415.
        case json
        /// A JSON body that may carry large numeric arrays (points, data sets): allowed up to
        /// `APIConfiguration.maxDataBodyBytes` instead of the server's general limit.
        case jsonWithData
        /// An upload: CSV (`text/csv`, read as it streams in) or JSON, allowed up to
        /// `APIConfiguration.maxDatasetBytes`.
        case dataset
    }

    struct Route: Sendable {
        let method: String
        /// As registered (`/v1/jobs/{id}`): what metrics and logs name the route by.
        let pattern: String
        let segments: [Segment]
        let body: BodyKind
        let handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// The result of matching a request.
    enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private(set) var routes: [Route] = []
    /// Indices into `routes` of the patterns without parameters, by path: most requests are found
    /// with one hash lookup instead of splitting the path and trying every pattern.
    private var literalRoutes: [String: [Int]] = [:]

    /// An empty router.
    public init() {}

    /// Adds a route; `pattern` like `/v1/jobs/{id}`.
    public mutating func add(_ method: String, _ pattern: String, body: BodyKind = .none, handler: @escaping Handler) {
        let segments = Self.split(pattern).map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}")
                ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        if segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            let path =
                "/" + segments.map { if case .literal(let text) = $0 { text } else { "" } }.joined(separator: "/")
            literalRoutes[path, default: []].append(routes.count)
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, body: body, handler: handler))
    }

    /// Every route as (method, pattern), for documentation checks.
    public var table: [(method: String, pattern: String)] {
        routes.map { route in
            let path = route.segments.map { segment in
                switch segment {
                case .literal(let text): text
                case .parameter(let name): "{\(name)}"
                }
            }
            return (route.method, "/" + path.joined(separator: "/"))
        }
    }

    /// The body kind of the route for `method` and `path`, if there is one.
    func bodyKind(method: String, path: String) -> BodyKind? {
        if case .found(let route, _) = match(method: method, path: path) { return route.body }
        return nil
    }

    /// Finds the route for `method` and `path`. HEAD is served by GET routes.
    func match(method: String, path: String) -> Match {
        if let candidates = literalRoutes[path] {
            for index in candidates where Self.serves(routes[index].method, method) {
                return .found(routes[index], parameters: [:])
            }
        }
        let parts = Self.split(path)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: parts) else { continue }
            if Self.serves(route.method, method) {
                return .found(route, parameters: parameters)
            }
            for allow in route.method == "GET" ? ["GET", "HEAD"] : [route.method] where !allowed.contains(allow) {
                allowed.append(allow)
            }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// Whether a route registered for `routeMethod` answers `method` (GET routes answer HEAD too).
    private static func serves(_ routeMethod: String, _ method: String) -> Bool {
        routeMethod == method || (method == "HEAD" && routeMethod == "GET")
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): guard text[...] == part else { return nil }
            case .parameter(let name): parameters[name] = String(part)
            }
        }
        return parameters
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
