import Foundation
import Jobs
import Logging

/// One log line per job transition (queued, running, and how it ended), from the runner's events.
///
/// Jobs clients can see (`POST /v1/sleep`, `/v1/train`) are logged at `info`; the synchronous work
/// behind a single request (a derivative, an echo) at `debug`, since its request line already says
/// how it went. Each line has the job's id and kind, its state, the request id that made it, its
/// owner's key name (`key`, with API keys), and once it ends its run time and, if it did not
/// succeed, the reason.
struct JobEventLog: Sendable {
    let logger: Logger

    func record(_ event: JobEvent) {
        let state: String
        switch event.change {
        case .queued: state = "queued"
        case .started: state = "running"
        case .finished: state = event.job.status.rawValue
        case .progressed, .cancelRequested, .rejected: return  // for /events; a refusal has its request line
        }
        let level: Logger.Level = event.lane == .kept ? .info : .debug
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "job_id": .string(event.job.id.description), "kind": .string(event.job.kind), "state": .string(state),
            "queue_depth": .stringConvertible(event.queueDepth),
        ]
        if let requestID = event.correlationID { metadata["request_id"] = .string(requestID) }
        if let owner = event.job.owner { metadata["key"] = .string(owner) }
        if event.change == .started, let started = event.job.started {
            metadata["wait_ms"] = .stringConvertible(Milliseconds(started.timeIntervalSince(event.job.created)))
        }
        if event.change == .finished {
            if let started = event.job.started, let finished = event.job.finished {
                metadata["duration_ms"] = .stringConvertible(Milliseconds(finished.timeIntervalSince(started)))
            }
            if let failure = event.job.failure { metadata["reason"] = .string(failure.reason.wireName) }
        }
        logger.log(level: level, "job", metadata: metadata)
    }
}

/// A duration printed as milliseconds with three decimals (`12.345`): a number in JSON log lines.
struct Milliseconds: CustomStringConvertible, Sendable {
    let microseconds: Int64

    init(_ seconds: Double) {
        microseconds = Int64((max(0, min(seconds, 1e9)) * 1e6).rounded())
    }

    init(_ duration: Duration) {
        self.init(duration.seconds)
    }

    var description: String {
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
