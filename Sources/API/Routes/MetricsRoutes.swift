import Jobs
import MicroHTTP

/// `GET /metrics`: the service's metrics in the Prometheus text exposition format (version 0.0.4),
/// rendered on the libmicrohttpd thread (a few kilobytes from counters already kept).
struct MetricsRoutes {
    let runner: JobRunner
    let metrics: ServiceMetrics

    func register(in router: inout Router) {
        router.add("GET", "/metrics") { [runner, metrics] _ throws(APIError) in
            .response(
                HTTPResponse(
                    status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                    body: metrics.exposition(load: runner.load, retainedBytes: runner.retainedByteCount)))
        }
    }
}
