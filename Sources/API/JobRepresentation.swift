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

    /// The whole job: state, times, progress (with a running job's latest attachment, a training
    /// run's plot), the request, and the result or error, as JSON bytes. The stored request and result
    /// are written as they were stored (`JSONValue.encoded`): a training result of a million epochs is
    /// megabytes, and parsing and writing it again would hold a libmicrohttpd thread noticeably long.
    static func full(_ job: JobSnapshot) -> [UInt8] {
        JSONWriter.bytes(document(job, includingRequest: true))
    }

    /// The finished job with its result but not its request (the `done` event: a training request
    /// may carry megabytes of data; `GET` on the job's `self` link has it).
    static func finished(_ job: JobSnapshot) -> JSONValue {
        document(job, includingRequest: false)
    }

    /// `full(job)` as a JSON response.
    static func response(_ job: JobSnapshot, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: full(job))
    }

    private static func document(_ job: JobSnapshot, includingRequest: Bool) -> JSONValue {
        func stored(_ bytes: [UInt8]) -> JSONValue { bytes.isEmpty ? .null : .encoded(bytes) }
        var members = summaryMembers(job, withAttachment: includingRequest)
        if includingRequest { members.append(("request", stored(job.request))) }
        if let result = job.result { members.append(("result", stored(result))) }
        return .object(members)
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
        _ job: JobSnapshot, withAttachment: Bool = false
    ) -> [(key: String, value: JSONValue)] {
        let progress = progressObject(job, attachment: withAttachment ? job.attachment : nil)
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(job.id.description)), ("kind", .string(job.kind)), ("status", .string(job.status.rawValue)),
            ("created", timestamp(job.created)), ("started", timestamp(job.started)),
            ("finished", timestamp(job.finished)), ("progress", progress),
            ("cancel_requested", .bool(job.cancelRequested)),
        ]
        // Where replicas share jobs: how many times one has started it (more than 1 after a replica stopped).
        if job.attempt > 0 { members.append(("attempt", .number(Double(job.attempt)))) }
        if let failure = job.failure {
            members.append(
                ("error", ["reason": .string(failure.reason.wireName), "message": .string(failure.message)]))
        }
        members.append(("links", links(job.id)))
        return members
    }

    /// The progress values, by name, followed by `attachment`'s members (a plot: `curve` or
    /// `boundary`, then `plot_epoch`) when given.
    static func progressObject(_ job: JobSnapshot, attachment: JobAttachment? = nil) -> JSONValue {
        let values = job.progress.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.number($0.value)) }
        let attached = (attachment?.members ?? []).map { (key: $0.name, value: JSONValue.encoded($0.encoded)) }
        return .object(values + attached)
    }

    private static func timestamp(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
