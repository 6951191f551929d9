import Foundation
import Jobs

/// How jobs look in JSON (`GET /v1/jobs/{id}`, `GET /v1/jobs`, event streams).
enum JobRepresentation {
    /// `{self, events}` links of a job.
    static func links(_ id: JobID) -> JSONValue {
        ["self": .string("/v1/jobs/\(id)"), "events": .string("/v1/jobs/\(id)/events")]
    }

    /// The whole job: state, times, progress, the request, and the result or error.
    static func full(_ job: JobSnapshot) -> JSONValue {
        var members = summaryMembers(job)
        members.append(("request", embedded(job.request) ?? .null))
        if let result = job.result { members.append(("result", embedded(result) ?? .null)) }
        return .object(members)
    }

    /// The finished job with its result but not its request (the `done` event: a training request
    /// may carry megabytes of data; `GET` on the job's `self` link has it).
    static func finished(_ job: JobSnapshot) -> JSONValue {
        var members = summaryMembers(job)
        if let result = job.result { members.append(("result", embedded(result) ?? .null)) }
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

    private static func summaryMembers(_ job: JobSnapshot) -> [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(job.id.description)), ("kind", .string(job.kind)), ("status", .string(job.status.rawValue)),
            ("created", timestamp(job.created)), ("started", timestamp(job.started)),
            ("finished", timestamp(job.finished)), ("progress", progressObject(job)),
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

    private static func embedded(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        // Written by JSONWriter from a parsed request or a result: valid and shallow.
        return try? JSONParser.parse(bytes, maxDepth: 512)
    }

    private static func timestamp(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
