import Foundation
import Jobs
import JSON

/// `POST /v1/sleep {seconds, wait?}`: a job that waits, checking for cancellation every 10 ms and
/// reporting progress; shows queueing, cancellation, events and draining without a heavy workload.
struct SleepRequest {
    let seconds: Double
    let wait: Bool

    /// Reads `{seconds (0...maxSeconds, default 1), wait?}`.
    init(_ json: JSONValue, maxSeconds: Double) throws(APIError) {
        var fields = try JSONFields(json)
        seconds = try fields.double("seconds", default: 1, in: 0...maxSeconds)
        wait = try fields.bool("wait", default: false)
        try fields.finish()
    }

    /// The request as the job keeps it (and a replica rebuilds it from).
    func normalized(wait: Bool) -> [UInt8] {
        JSONWriter.bytes(["seconds": .number(seconds), "wait": .bool(wait)])
    }

    /// Waits `seconds` as job `context`: progress every 100 ms; a cancel wakes the pause at once.
    static func sleep(_ seconds: Double, _ context: JobContext) throws -> JSONValue {
        let start = ContinuousClock.now
        let total = Duration.milliseconds(Int64((seconds * 1000).rounded()))
        while true {
            let elapsed = ContinuousClock.now - start
            if elapsed >= total { break }
            try context.pause(for: min(.milliseconds(100), total - elapsed))
            let slept = ContinuousClock.now - start
            if slept < total { context.report(["elapsed_seconds": slept.seconds, "seconds": seconds]) }
        }
        return ["slept_seconds": .number((ContinuousClock.now - start).seconds)]
    }
}
