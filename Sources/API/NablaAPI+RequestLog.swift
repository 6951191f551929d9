import Logging
import MicroHTTP

extension NablaAPI {
    /// The route a request is counted and logged under: the matched pattern (`/v1/jobs/{id}`, never
    /// the raw path), `static` for files under Public/ (found or not), `unmatched` for the rest.
    static func routeLabel(_ match: Router.Match, method: String) -> String {
        switch match {
        case .found(let route, _): route.pattern
        case .notFound where method == "GET" || method == "HEAD": "static"
        case .notFound, .methodNotAllowed: "unmatched"
        }
    }

    /// Counts an answered request and writes its log line: method, route, path, status, duration,
    /// request id, client address, the API key's name when one was presented (never the token), and
    /// the job's id when the request names or creates one.
    static func finished(
        _ request: HTTPRequest, _ response: HTTPResponse, id: String, route: String, match: Router.Match,
        keyName: String?, logger: Logger, metrics: ServiceMetrics
    ) {
        let elapsed = ContinuousClock.now - request.receivedAt
        metrics.recordRequest(method: request.method, route: route, status: response.status, duration: elapsed)
        guard logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "method": .string(request.method), "route": .string(route), "path": .string(request.path),
            "status": .stringConvertible(response.status), "duration_ms": .stringConvertible(Milliseconds(elapsed)),
            "request_id": .string(id), "remote": .string(request.remoteAddress ?? "-"),
        ]
        if let keyName { metadata["key"] = .string(keyName) }
        if let jobID = jobID(match, response) { metadata["job_id"] = .string(jobID) }
        logger.info("request", metadata: metadata)
    }

    /// The job a request is about: the `{id}` of a job route, or the job a 202 created (`Location`).
    private static func jobID(_ match: Router.Match, _ response: HTTPResponse) -> String? {
        if case .found(_, let parameters) = match, let id = parameters["id"] { return id }
        let prefix = "/v1/jobs/"
        guard response.status == 202,
            let location = response.headers.first(where: { $0.name == "Location" })?.value, location.hasPrefix(prefix)
        else { return nil }
        return String(location.dropFirst(prefix.count))
    }
}
