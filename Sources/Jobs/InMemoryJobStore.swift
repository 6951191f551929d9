public import Foundation
import Synchronization

/// A `JobStore` in this process's memory: lost on restart.
///
/// Eviction costs nothing while nothing is due: finished jobs are kept in the order they finished,
/// so the ones to forget are always at the front.
public final class InMemoryJobStore: JobStore {
    private struct State {
        var snapshots: [JobID: JobSnapshot] = [:]
        /// Ids in insertion (creation) order, for `recent`; may hold evicted ids until compacted.
        var order: [JobID] = []
        /// Finished ids in the order they finished; `finishedHead` is the first one still kept.
        var finished: [JobID] = []
        var finishedHead = 0
        var finishedCount: Int { finished.count - finishedHead }
        /// Bytes of every kept job's request and result.
        var bytes = 0
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    public func save(_ snapshot: JobSnapshot) {
        saveIfNewer(snapshot)
    }

    /// `save`; false when the store already has this revision of the job or a later one (and keeps it).
    @discardableResult
    func saveIfNewer(_ snapshot: JobSnapshot) -> Bool {
        state.withLock { state in
            if let kept = state.snapshots[snapshot.id], kept.revision >= snapshot.revision, snapshot.revision > 0 {
                return false
            }
            let previous = state.snapshots.updateValue(snapshot, forKey: snapshot.id)
            state.bytes += snapshot.byteCount - (previous?.byteCount ?? 0)
            if previous == nil { state.order.append(snapshot.id) }
            if snapshot.status.isFinished && previous?.status.isFinished != true {
                state.finished.append(snapshot.id)
            }
            return true
        }
    }

    public func load(_ id: JobID) -> JobSnapshot? {
        state.withLock { $0.snapshots[id] }
    }

    public func recent(limit: Int) -> [JobSnapshot] {
        recent(limit: limit) { _ in true }
    }

    public func recent(limit: Int, ownedBy owner: String?) -> [JobSnapshot] {
        recent(limit: limit) { $0.owner == owner }
    }

    private func recent(limit: Int, where included: (JobSnapshot) -> Bool) -> [JobSnapshot] {
        state.withLock { state in
            var newest: [JobSnapshot] = []
            for id in state.order.reversed() where newest.count < limit {
                if let snapshot = state.snapshots[id], included(snapshot) { newest.append(snapshot) }
            }
            return newest
        }
    }

    public func evict(finishedBefore cutoff: Date, keepingAtMost maxFinished: Int, bytesAtMost maxBytes: Int) {
        evictReturningIDs(finishedBefore: cutoff, keepingAtMost: maxFinished, bytesAtMost: maxBytes)
    }

    /// Bytes of every kept job's request and result.
    public var byteCount: Int { state.withLock { $0.bytes } }

    /// `evict`, returning the ids it forgot.
    @discardableResult
    public func evictReturningIDs(
        finishedBefore cutoff: Date, keepingAtMost maxFinished: Int, bytesAtMost maxBytes: Int
    )
        -> [JobID]
    {
        state.withLock { state in
            var evicted: [JobID] = []
            while state.finishedCount > 0 {
                let id = state.finished[state.finishedHead]
                let finishedAt = state.snapshots[id]?.finished ?? .distantPast
                guard state.finishedCount > maxFinished || finishedAt < cutoff || state.bytes > maxBytes else { break }
                state.bytes -= state.snapshots.removeValue(forKey: id)?.byteCount ?? 0
                state.finishedHead += 1
                evicted.append(id)
            }
            guard !evicted.isEmpty else { return evicted }
            // Compact lazily, so each eviction costs O(1) amortised.
            if state.finishedHead > 64 && state.finishedHead * 2 > state.finished.count {
                state.finished.removeFirst(state.finishedHead)
                state.finishedHead = 0
            }
            if state.order.count > 64 && state.order.count > 2 * state.snapshots.count {
                state.order.removeAll { state.snapshots[$0] == nil }
            }
            return evicted
        }
    }
}

extension JobSnapshot {
    /// What keeping it costs, roughly: its request and result bytes.
    var byteCount: Int { request.count + (result?.count ?? 0) }
}
