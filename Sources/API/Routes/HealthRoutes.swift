import Jobs
import MicroHTTP
import JSON

/// `GET /healthz` (liveness) and `GET /readyz` (readiness). Both answer on the libmicrohttpd thread
/// at once, never queued behind jobs.
struct HealthRoutes {
    let runner: JobRunner
    let jobs: any JobBackend
    let service: ServiceState

    func register(in router: inout Router) {
        let alive = HTTPResponse.json(["status": "ok"])  // encoded once: load balancers poll this
        router.add("GET", "/healthz") { _ throws(APIError) in
            .response(alive)
        }
        router.add("GET", "/readyz") { [runner, jobs, service] _ throws(APIError) in
            let load = runner.load
            if service.isDraining {
                throw .unavailable("the service is draining", retryAfterSeconds: 5)
            }
            if let reason = jobs.unavailability {
                throw .unavailable("jobs cannot be taken: \(reason)", retryAfterSeconds: 5)
            }
            if runner.isSaturated {
                throw .unavailable("the job queue is full (\(load.queued) queued)", retryAfterSeconds: 1)
            }
            return .json([
                "status": "ready", "queued": .number(Double(load.queued)), "running": .number(Double(load.running)),
            ])
        }
    }
}
