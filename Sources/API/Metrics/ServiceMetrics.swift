import CoreMetrics
import Jobs
import Prometheus
import Synchronization

/// The service's metrics, written with swift-metrics' API and kept in a Prometheus registry of their
/// own (not the process-wide `MetricsSystem`, so every `NablaAPI`, e.g. one per test, counts apart).
/// `GET /metrics` renders them in the Prometheus text format (`exposition`).
///
/// Requests are counted by method, route pattern (never the raw path: ids would make a series per
/// job) and status; jobs by kind and state from the runner's events (`record(_:)`). Every label value
/// comes from a small fixed set, so the number of series stays bounded whatever clients send.
public final class ServiceMetrics: Sendable {
    /// Label sets of the request metrics.
    struct RequestKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    /// Label sets of the job metrics.
    struct JobKey: Hashable {
        let kind: String
        let state: String
    }

    /// Request handles by label set: looking one up in the registry each time would validate the
    /// names and take the registry's lock; this is one hash lookup.
    private struct RequestHandles {
        var counters: [RequestKey: CoreMetrics.Counter] = [:]
        var timers: [RequestKey: CoreMetrics.Timer] = [:]
    }

    struct JobHandles {
        var transitions: [JobKey: CoreMetrics.Counter] = [:]
        var durations: [JobKey: CoreMetrics.Timer] = [:]
        var waits: [String: CoreMetrics.Timer] = [:]
        var rejections: [JobKey: CoreMetrics.Counter] = [:]
        /// The last `epoch` each running job reported, to count the epochs between two reports.
        var lastEpoch: [JobID: Double] = [:]
    }

    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let requests = Mutex(RequestHandles())
    let jobs = Mutex(JobHandles())
    let queueDepth: CoreMetrics.Gauge
    private let running: CoreMetrics.Gauge
    private let retainedBytes: CoreMetrics.Gauge
    private let residentMemory: CoreMetrics.Gauge
    private let openDescriptors: CoreMetrics.Gauge
    let epochs: CoreMetrics.Counter

    /// Metrics with nothing counted yet, `nabla_build_info` set.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests answer in microseconds to seconds; jobs run for milliseconds to the 300 s limit.
        factory.durationHistogramBuckets = [
            "nabla_http_request_duration_seconds": [
                .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            ],
            "nabla_job_duration_seconds": [
                .milliseconds(1), .milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(30),
                .seconds(60), .seconds(120), .seconds(300),
            ],
            "nabla_job_wait_seconds": [
                .milliseconds(1), .milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60),
            ],
        ]
        self.factory = factory
        queueDepth = CoreMetrics.Gauge(label: "nabla_job_queue_depth", factory: factory)
        running = CoreMetrics.Gauge(label: "nabla_jobs_running", factory: factory)
        epochs = CoreMetrics.Counter(label: "nabla_training_epochs_total", factory: factory)
        retainedBytes = CoreMetrics.Gauge(label: "nabla_jobs_retained_bytes", factory: factory)
        residentMemory = CoreMetrics.Gauge(label: "process_resident_memory_bytes", factory: factory)
        openDescriptors = CoreMetrics.Gauge(label: "process_open_fds", factory: factory)
        CoreMetrics.Gauge(
            label: "nabla_build_info",
            dimensions: [
                ("version", BuildInfo.version), ("swift", BuildInfo.swiftVersion),
                ("configuration", BuildInfo.configuration),
            ], factory: factory
        ).record(1)
    }

    /// The runner's limits, as gauges (for alerts on the queue filling up).
    func recordLimits(_ configuration: JobRunnerConfiguration) {
        CoreMetrics.Gauge(label: "nabla_job_queue_limit", factory: factory).record(configuration.queueLimit)
        CoreMetrics.Gauge(label: "nabla_job_workers", factory: factory).record(configuration.maxConcurrentJobs)
    }

    /// Counts one answered request and its duration.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let key = RequestKey(method: Self.methodLabel(method), route: route, status: status)
        let (counter, timer) = requests.withLock { handles in
            if let counter = handles.counters[key], let timer = handles.timers[key] { return (counter, timer) }
            let counter = CoreMetrics.Counter(
                label: "nabla_http_requests_total",
                dimensions: [("method", key.method), ("route", route), ("status", String(status))], factory: factory)
            // The histogram by method and route only: a status label would multiply its buckets.
            let timer =
                handles.timers.first { $0.key.method == key.method && $0.key.route == route }?.value
                ?? CoreMetrics.Timer(
                    label: "nabla_http_request_duration_seconds",
                    dimensions: [("method", key.method), ("route", route)],
                    factory: factory)
            handles.counters[key] = counter
            handles.timers[key] = timer
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    /// The text of `GET /metrics`, with the queue gauges read from `load`, the retained jobs' bytes
    /// and the process's memory and descriptors (`ProcessFigures`) just before.
    func exposition(load: (queued: Int, running: Int), retainedBytes: Int) -> [UInt8] {
        queueDepth.record(load.queued)
        running.record(load.running)
        self.retainedBytes.record(retainedBytes)
        if let process = ProcessFigures.current() {
            residentMemory.record(process.residentBytes)
            openDescriptors.record(process.openDescriptors)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16_384)
        registry.emit(into: &buffer)
        return buffer
    }

    /// A method as a label: the ones the API serves by name, anything else `other` (a client must
    /// not be able to mint series).
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "DELETE", "PUT", "PATCH", "OPTIONS": method
        default: "other"
        }
    }
}

extension Duration {
    /// Whole nanoseconds (saturating far beyond any request's length).
    fileprivate var nanoseconds: Int64 {
        components.seconds < 9_000_000_000 ? Int64(self / .nanoseconds(1)) : .max
    }
}
