import Foundation
import Jobs
import PostgresNIO

/// How a job is written into a row of `nabla_jobs` and read back.
enum JobRow {
    /// Every column a reader needs except the request, result and plot (lists).
    static let summaryColumns = """
        id, kind, owner, status, created_at, started_at, finished_at, progress, plot_seq, failure_reason,
        failure_message, cancel_requested, attempt, seq
        """
    /// The whole job (`GET /v1/jobs/{id}`).
    static let allColumns = summaryColumns + ", request, result, plot"
    /// What an event stream needs: no request; the result only once finished.
    static let streamColumns =
        summaryColumns + ", NULL::bytea AS request, CASE WHEN finished_at IS NOT NULL THEN result END AS result, plot"

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// The job in `row` (read with one of the column lists above; absent columns read as empty).
    static func snapshot(_ row: PostgresRow) throws -> JobSnapshot {
        let cells = row.makeRandomAccess()
        let uuid = try cells["id"].decode(UUID.self)
        guard let id = JobID(uuid.uuidString.replacing("-", with: "")),
            let status = JobStatus(rawValue: try cells["status"].decode(String.self))
        else { throw Problem(description: "a row with a bad id or status") }
        let reason = try cells["failure_reason"].decode(String?.self)
        let failure = try reason.map {
            JobFailure(
                JobFailure.Reason(storedCode: $0), message: try cells["failure_message"].decode(String?.self) ?? "")
        }
        func bytes(_ column: String) throws -> [UInt8]? {
            guard cells.contains(column) else { return nil }
            return try cells[column].decode(ByteBuffer?.self).map { Array($0.readableBytesView) }
        }
        let plotSequence = try cells["plot_seq"].decode(Int.self)
        let attachment = try bytes("plot").map {
            JobAttachment(sequence: plotSequence, members: try PlotCodec.members($0))
        }
        return JobSnapshot(
            id: id, kind: try cells["kind"].decode(String.self), owner: try cells["owner"].decode(String?.self),
            status: status, created: try cells["created_at"].decode(Date.self),
            started: try cells["started_at"].decode(Date?.self), finished: try cells["finished_at"].decode(Date?.self),
            progress: try ProgressCodec.values(try cells["progress"].decode(String.self)), attachment: attachment,
            request: try bytes("request") ?? [], result: try bytes("result"), failure: failure,
            cancelRequested: try cells["cancel_requested"].decode(Bool.self),
            attempt: try cells["attempt"].decode(Int.self), revision: try cells["seq"].decode(Int.self))
    }

    /// The row's id as PostgreSQL's uuid.
    static func uuid(_ id: JobID) -> UUID {
        let hex = Array(id.description)
        let parts = [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]].map { String($0) }
        return UUID(uuidString: parts.joined(separator: "-"))!
    }

    /// The id of a row's uuid written as `replace(id::text, '-', '')` (notifications).
    static func id(fromNotified text: Substring) -> JobID? {
        JobID(String(text))
    }
}

/// Progress values as the row keeps them: a JSON object, non-finite values as the strings `nan`,
/// `inf` and `-inf` (as job files keep them), since a diverging training reports them.
enum ProgressCodec {
    static func text(_ values: [String: Double]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func values(_ text: String) throws -> [String: Double] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode([String: Double].self, from: Data(text.utf8))
    }
}

/// A job's attachment (the latest plot) as the row keeps it: its members one after another, each as
/// its name's length (4 bytes, big-endian), the name in UTF-8, its value's length and the value (the
/// submitter's encoding, opaque here).
enum PlotCodec {
    static func bytes(_ members: [JobAttachment.Member]) -> [UInt8] {
        var bytes: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8)
            append(UInt32(name.count), to: &bytes)
            bytes += name
            append(UInt32(member.encoded.count), to: &bytes)
            bytes += member.encoded
        }
        return bytes
    }

    static func members(_ bytes: [UInt8]) throws -> [JobAttachment.Member] {
        var members: [JobAttachment.Member] = []
        var offset = 0
        func field() throws -> [UInt8] {
            guard offset + 4 <= bytes.count else { throw JobRow.Problem(description: "a truncated plot") }
            let count = bytes[offset..<offset + 4].reduce(0) { Int($0) << 8 | Int($1) }
            offset += 4
            guard offset + count <= bytes.count else { throw JobRow.Problem(description: "a truncated plot") }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }
        while offset < bytes.count {
            let name = String(decoding: try field(), as: UTF8.self)
            members.append(JobAttachment.Member(name: name, encoded: try field()))
        }
        return members
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
