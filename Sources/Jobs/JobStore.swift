public import Foundation

/// Where job snapshots are kept for clients to read back: in memory (`InMemoryJobStore`) or also on
/// disk (`FileJobStore`, `--state-dir`); another durable store (SQLite, PostgreSQL shared by replicas)
/// would implement the same members. Nothing outside `Jobs` knows which.
public protocol JobStore: Sendable {
    /// Inserts or replaces the snapshot with this id, unless the store has a later `revision` of it:
    /// the runner saves outside its lock, so saves of one job may arrive out of order.
    func save(_ snapshot: JobSnapshot)
    /// The snapshot with this id, if kept.
    func load(_ id: JobID) -> JobSnapshot?
    /// The newest snapshots first, at most `limit`.
    func recent(limit: Int) -> [JobSnapshot]
    /// The newest snapshots of `owner`'s jobs first (nil: the anonymous jobs), at most `limit`.
    func recent(limit: Int, ownedBy owner: String?) -> [JobSnapshot]
    /// Forgets finished jobs that finished before `cutoff`, then the oldest finished ones beyond
    /// `maxFinished` or while all kept jobs' requests and results together pass `maxBytes`. Jobs
    /// still queued or running are kept.
    func evict(finishedBefore cutoff: Date, keepingAtMost maxFinished: Int, bytesAtMost maxBytes: Int)
    /// Bytes of the kept jobs' requests and results held in memory (what `maxBytes` bounds).
    var byteCount: Int { get }
}
