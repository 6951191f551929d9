import Foundation
import Jobs
import MicroHTTP
import JSON

/// How jobs look in JSON (`GET /v1/jobs/{id}`, `GET /v1/jobs`, event streams).
enum JobRepresentation {
    /// `{self, events}` links of a job.
    static func links(_ id: JobID) -> JSONValue {
        ["self": .string("/v1/jobs/\(id)"), "events": .string("/v1/jobs/\(id)/events")]
    }

    /// The whole job: state, times, progress (for a running training job with its latest plot from
    /// `LiveTrainingPlots`), the request, and the result or error, as JSON bytes.
    /// The stored request and result are spliced in as they are (JSONWriter wrote them): a training
    /// result of a million epochs is megabytes, and parsing and writing it again would hold a
    /// libmicrohttpd thread for a noticeable time.
    static func full(_ job: JobSnapshot) -> [UInt8] {
        document(job, includingRequest: true)
    }

    /// The finished job with its result but not its request (the `done` event: a training request
    /// may carry megabytes of data; `GET` on the job's `self` link has it).
    static func finished(_ job: JobSnapshot) -> [UInt8] {
        document(job, includingRequest: false)
    }

    /// `full(job)` as a JSON response.
    static func response(_ job: JobSnapshot, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: full(job))
    }

    private static func document(_ job: JobSnapshot, includingRequest: Bool) -> [UInt8] {
        func splice(_ key: String, _ stored: [UInt8], into bytes: inout [UInt8]) {
            bytes += Array(",\"\(key)\":".utf8)
            bytes += stored.isEmpty ? Array("null".utf8) : stored
        }
        let plot = includingRequest && !job.status.isFinished ? LiveTrainingPlots.shared.latest(for: job.id) : nil
        var bytes = JSONWriter.bytes(.object(summaryMembers(job, plot: plot)))
        bytes.removeLast()  // the summary's closing brace
        bytes.reserveCapacity(bytes.count + job.request.count + (job.result?.count ?? 0) + 32)
        if includingRequest { splice("request", job.request, into: &bytes) }
        if let result = job.result { splice("result", result, into: &bytes) }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The job without its request and result (for lists).
    static func summary(_ job: JobSnapshot) -> JSONValue {
        .object(summaryMembers(job))
    }

    /// Progress as an event payload.
    static func progress(_ job: JobSnapshot) -> JSONValue {
        ["id": .string(job.id.description), "status": .string(job.status.rawValue), "progress": progressObject(job)]
    }

    private static func summaryMembers(
        _ job: JobSnapshot, plot: LiveTrainingPlots.Plot? = nil
    ) -> [(key: String, value: JSONValue)] {
        var progress = progressObject(job)
        if let plot, case .object(let values) = progress { progress = .object(values + plot.members) }
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(job.id.description)), ("kind", .string(job.kind)), ("status", .string(job.status.rawValue)),
            ("created", timestamp(job.created)), ("started", timestamp(job.started)),
            ("finished", timestamp(job.finished)), ("progress", progress),
            ("cancel_requested", .bool(job.cancelRequested)),
        ]
        if let failure = job.failure {
            members.append(("error", ["reason": .string(failure.reason), "message": .string(failure.message)]))
        }
        members.append(("links", links(job.id)))
        return members
    }

    /// The progress values, by name.
    static func progressObject(_ job: JobSnapshot) -> JSONValue {
        .object(job.progress.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) })
    }

    private static func timestamp(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
