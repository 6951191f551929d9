import CoreMetrics
import Foundation
import Jobs
import Prometheus
import Synchronization

extension ServiceMetrics {
    /// Counts a job event: transitions by kind and state, durations, refusals, training epochs.
    func record(_ event: JobEvent) {
        let kind = event.job.kind
        queueDepth.record(event.queueDepth)
        switch event.change {
        case .queued, .started:
            let state = event.change == .queued ? "queued" : "running"
            let (counter, wait) = jobs.withLock { handles in
                (
                    handles.transition(JobKey(kind: kind, state: state), factory),
                    state == "running" ? handles.wait(kind, factory) : nil
                )
            }
            counter.increment()
            if let wait, let started = event.job.started {
                // A wall-clock interval: a clock step could make it negative.
                wait.recordSeconds(max(0, started.timeIntervalSince(event.job.created)))
            }
        case .progressed:
            guard let epoch = event.job.progress["epoch"] else { return }
            let previous = jobs.withLock { handles in
                defer { handles.lastEpoch[event.job.id] = epoch }
                return handles.lastEpoch[event.job.id] ?? 0
            }
            if epoch > previous { epochs.increment(by: Int64(epoch - previous)) }
        case .cancelRequested: return
        case .finished:
            let key = JobKey(kind: kind, state: event.job.status.rawValue)
            let (counter, duration) = jobs.withLock { handles in
                handles.lastEpoch[event.job.id] = nil
                return (handles.transition(key, factory), handles.duration(key, factory))
            }
            counter.increment()
            // Jobs cancelled while queued never ran: no duration.
            if let started = event.job.started, let finished = event.job.finished {
                duration.recordSeconds(max(0, finished.timeIntervalSince(started)))
            }
        case .rejected(let error):
            let reason =
                switch error {
                case .queueFull: "queue_full"
                case .clientLimit: "client_limit"
                case .shuttingDown: "shutting_down"
                case .unavailable: "unavailable"
                }
            jobs.withLock { $0.rejection(JobKey(kind: kind, state: reason), factory) }.increment()
        }
    }
}

extension ServiceMetrics.JobHandles {
    fileprivate mutating func transition(_ key: ServiceMetrics.JobKey, _ factory: PrometheusMetricsFactory)
        -> CoreMetrics.Counter
    {
        Self.handle(in: &transitions, key) {
            CoreMetrics.Counter(
                label: "nabla_jobs_total", dimensions: [("kind", key.kind), ("state", key.state)], factory: factory)
        }
    }

    fileprivate mutating func duration(_ key: ServiceMetrics.JobKey, _ factory: PrometheusMetricsFactory)
        -> CoreMetrics.Timer
    {
        Self.handle(in: &durations, key) {
            CoreMetrics.Timer(
                label: "nabla_job_duration_seconds", dimensions: [("kind", key.kind), ("state", key.state)],
                factory: factory)
        }
    }

    fileprivate mutating func wait(_ kind: String, _ factory: PrometheusMetricsFactory) -> CoreMetrics.Timer {
        Self.handle(in: &waits, kind) {
            CoreMetrics.Timer(label: "nabla_job_wait_seconds", dimensions: [("kind", kind)], factory: factory)
        }
    }

    fileprivate mutating func rejection(_ key: ServiceMetrics.JobKey, _ factory: PrometheusMetricsFactory)
        -> CoreMetrics.Counter
    {
        Self.handle(in: &rejections, key) {
            CoreMetrics.Counter(
                label: "nabla_jobs_rejected_total", dimensions: [("kind", key.kind), ("reason", key.state)],
                factory: factory)
        }
    }

    /// The handle kept under `key`, made by `make` and kept the first time.
    private static func handle<Key: Hashable, Handle>(
        in table: inout [Key: Handle], _ key: Key, make: () -> Handle
    ) -> Handle {
        if let handle = table[key] { return handle }
        let handle = make()
        table[key] = handle
        return handle
    }
}
