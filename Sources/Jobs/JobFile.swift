import Foundation

/// The file format of `FileJobStore`: one job per file.
///
///     NABLA-JOB 1\n
///     {"id":…,"kind":…,"status":…,"created":…,…,"request_bytes":N,"result_bytes":M}\n
///     <N bytes of request><M bytes of result>
///
/// The first line names the format and its version; the second is the job's metadata as JSON (dates
/// as seconds since 2001-01-01, Foundation's reference date, which round-trips exactly; non-finite progress values as strings); the request and result follow as
/// they are (they are JSON already, and can be megabytes).
enum JobFile {
    struct Problem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static let magic = Array("NABLA-JOB 1\n".utf8)

    private struct Metadata: Codable {
        var id: String
        var kind: String
        /// Absent in files written before jobs had owners (they read back as anonymous).
        var owner: String?
        var status: String
        var created: Double
        var started: Double?
        var finished: Double?
        var progress: [String: Double]
        var failureReason: String?
        var failureMessage: String?
        var cancelRequested: Bool
        var requestBytes: Int
        var resultBytes: Int?
    }

    static func encode(_ snapshot: JobSnapshot) throws -> [UInt8] {
        let metadata = Metadata(
            id: snapshot.id.description, kind: snapshot.kind, owner: snapshot.owner, status: snapshot.status.rawValue,
            created: snapshot.created.timeIntervalSinceReferenceDate,
            started: snapshot.started?.timeIntervalSinceReferenceDate,
            finished: snapshot.finished?.timeIntervalSinceReferenceDate, progress: snapshot.progress,
            failureReason: snapshot.failure.map { $0.reason.storedCode }, failureMessage: snapshot.failure?.message,
            cancelRequested: snapshot.cancelRequested, requestBytes: snapshot.request.count,
            resultBytes: snapshot.result?.count)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let line = Array(try encoder.encode(metadata))
        return magic + line + [UInt8(ascii: "\n")] + snapshot.request + (snapshot.result ?? [])
    }

    static func decode(_ bytes: [UInt8]) throws -> JobSnapshot {
        guard bytes.starts(with: magic) else { throw Problem("not a job file (or another version)") }
        guard let newline = bytes[magic.count...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw Problem("no metadata line")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let metadata = try decoder.decode(Metadata.self, from: Data(bytes[magic.count..<newline]))
        let payload = bytes[(newline + 1)...]
        let resultCount = metadata.resultBytes ?? 0
        guard metadata.requestBytes >= 0, resultCount >= 0,
            payload.count == metadata.requestBytes + resultCount
        else {
            throw Problem("expected \(metadata.requestBytes) + \(resultCount) payload bytes, found \(payload.count)")
        }
        guard let id = JobID(metadata.id), let status = JobStatus(rawValue: metadata.status) else {
            throw Problem("bad id or status")
        }
        var snapshot = JobSnapshot(
            id: id, kind: metadata.kind, request: Array(payload.prefix(metadata.requestBytes)),
            created: Date(timeIntervalSinceReferenceDate: metadata.created), owner: metadata.owner)
        snapshot.status = status
        snapshot.started = metadata.started.map(Date.init(timeIntervalSinceReferenceDate:))
        snapshot.finished = metadata.finished.map(Date.init(timeIntervalSinceReferenceDate:))
        snapshot.progress = metadata.progress
        if let reason = metadata.failureReason {
            snapshot.failure = JobFailure(JobFailure.Reason(storedCode: reason), message: metadata.failureMessage ?? "")
        }
        snapshot.cancelRequested = metadata.cancelRequested
        if metadata.resultBytes != nil { snapshot.result = Array(payload.suffix(resultCount)) }
        return snapshot
    }

    /// Writes `bytes` to `url` (replacing it) and syncs the file to disk.
    static func writeDurably(_ bytes: [UInt8], to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Problem("cannot create \(url.path) (errno \(errno))") }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Problem("write failed (errno \(errno))") }
            offset += count
        }
        guard fsync(descriptor) == 0 else { throw Problem("fsync failed (errno \(errno))") }
    }
}
