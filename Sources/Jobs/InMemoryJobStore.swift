public import Foundation
import Synchronization

/// A `JobStore` in this process's memory: lost on restart.
public final class InMemoryJobStore: JobStore {
    private struct State {
        var snapshots: [JobID: JobSnapshot] = [:]
        /// Ids in insertion order (the creation order), for `recent` and eviction.
        var order: [JobID] = []
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    public func save(_ snapshot: JobSnapshot) {
        state.withLock { state in
            if state.snapshots.updateValue(snapshot, forKey: snapshot.id) == nil {
                state.order.append(snapshot.id)
            }
        }
    }

    public func load(_ id: JobID) -> JobSnapshot? {
        state.withLock { $0.snapshots[id] }
    }

    public func recent(limit: Int) -> [JobSnapshot] {
        state.withLock { state in
            state.order.reversed().prefix(max(0, limit)).compactMap { state.snapshots[$0] }
        }
    }

    public func evict(finishedBefore cutoff: Date, keepingAtMost maxFinished: Int) {
        state.withLock { state in
            var finished = state.order.filter { state.snapshots[$0]?.status.isFinished == true }
            // Oldest by finishing time first.
            finished.sort {
                (state.snapshots[$0]?.finished ?? .distantPast) < (state.snapshots[$1]?.finished ?? .distantPast)
            }
            var doomed = Set<JobID>()
            for id in finished where (state.snapshots[id]?.finished ?? .distantPast) < cutoff {
                doomed.insert(id)
            }
            let survivors = finished.filter { !doomed.contains($0) }
            for id in survivors.prefix(max(0, survivors.count - maxFinished)) {
                doomed.insert(id)
            }
            guard !doomed.isEmpty else { return }
            for id in doomed { state.snapshots[id] = nil }
            state.order.removeAll { doomed.contains($0) }
        }
    }
}
