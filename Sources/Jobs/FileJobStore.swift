public import Foundation
import Synchronization

/// A `JobStore` that also keeps every job on disk, one file per job in a directory, so that a restart
/// loses no accepted job: finished jobs come back as they were, and jobs that were still queued or
/// running when the process stopped come back as `failed` with reason `shutdown`.
///
/// Reads are served from memory (an `InMemoryJobStore`). A file is written when a job is first
/// saved and when it finishes (never for progress), on a serial queue so the runner's lock never
/// waits for the disk; `flush()` waits for every write (called on shutdown). Each write goes to a
/// temporary file, is synced, and is renamed over the old one: a crash leaves the old file or the new
/// one, never half of one. Evicted jobs' files are deleted.
public final class FileJobStore: JobStore {
    /// The job files' directory.
    public let directory: URL
    private let memory = InMemoryJobStore()
    /// For each kept job, whether its file records it finished (progress saves write nothing).
    private let written = Mutex<[JobID: Bool]>([:])
    private let writer = DispatchQueue(label: "nabla.jobs.store", qos: .utility)
    private let errors = Mutex<[String]>([])

    /// Opens (creating if needed) `directory` and loads every job file in it. Files that cannot be
    /// read are skipped and named in `problems`.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let probe = directory.appendingPathComponent(".write-test")
        try Data().write(to: probe)
        try FileManager.default.removeItem(at: probe)
        var loaded: [JobSnapshot] = []
        var problems: [String] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names where name.hasSuffix(".job") {
            let url = directory.appendingPathComponent(name)
            do {
                loaded.append(try JobFile.decode(Array(try Data(contentsOf: url))))
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        for name in names where name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
        self.loadProblems = problems
        self.loadedCount = loaded.count
        for var snapshot in loaded.sorted(by: { $0.created < $1.created }) {
            let wasFinished = snapshot.status.isFinished
            if !wasFinished { snapshot.markInterruptedByRestart() }
            memory.save(snapshot)
            written.withLock { $0[snapshot.id] = true }
            if !wasFinished { write(snapshot) }
        }
    }

    /// Files that could not be read at start-up (name and reason).
    public let loadProblems: [String]
    /// Jobs read back at start-up.
    public let loadedCount: Int

    public func save(_ snapshot: JobSnapshot) {
        guard memory.saveIfNewer(snapshot) else { return }
        let finished = snapshot.status.isFinished
        let mustWrite = written.withLock { written -> Bool in
            guard written[snapshot.id] != finished, written[snapshot.id] != true else { return false }
            written[snapshot.id] = finished
            return true
        }
        if mustWrite { write(snapshot) }
    }

    public func load(_ id: JobID) -> JobSnapshot? { memory.load(id) }

    public func recent(limit: Int) -> [JobSnapshot] { memory.recent(limit: limit) }

    public func recent(limit: Int, ownedBy owner: String?) -> [JobSnapshot] {
        memory.recent(limit: limit, ownedBy: owner)
    }

    public var byteCount: Int { memory.byteCount }

    public func evict(finishedBefore cutoff: Date, keepingAtMost maxFinished: Int, bytesAtMost maxBytes: Int) {
        let evicted = memory.evictReturningIDs(
            finishedBefore: cutoff, keepingAtMost: maxFinished, bytesAtMost: maxBytes)
        guard !evicted.isEmpty else { return }
        written.withLock { written in for id in evicted { written[id] = nil } }
        writer.async { [directory] in
            for id in evicted {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(id).job"))
            }
        }
    }

    /// Waits until every file written or deleted so far is on disk.
    public func flush() {
        writer.sync {}
    }

    /// Write failures so far (the disk full, the directory gone), oldest first; cleared when read.
    public func takeErrors() -> [String] {
        errors.withLock { errors in
            defer { errors = [] }
            return errors
        }
    }

    private func write(_ snapshot: JobSnapshot) {
        writer.async { [self] in
            let final = directory.appendingPathComponent("\(snapshot.id).job")
            let temporary = directory.appendingPathComponent("\(snapshot.id).tmp")
            do {
                try JobFile.writeDurably(JobFile.encode(snapshot), to: temporary)
                guard rename(temporary.path, final.path) == 0 else {
                    throw JobFile.Problem("rename failed (errno \(errno))")
                }
            } catch {
                self.errors.withLock { $0.append("job \(snapshot.id): \(error)") }
            }
        }
    }
}

extension JobSnapshot {
    /// A job the previous process accepted and did not finish: it failed because the service stopped.
    mutating func markInterruptedByRestart() {
        status = .failed
        finished = finished ?? Date()
        failure = JobFailure(.shutdown, message: "the service stopped before this job finished; submit it again")
    }
}
