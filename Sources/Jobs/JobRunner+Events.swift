import Synchronization

extension JobRunner {
    /// Calls `handler` with every job event from now on: queued, started, progress, finished and
    /// refused submissions. It runs on the thread of the change, after the runner's lock is released,
    /// so it must be quick and must not block.
    public func addEventHandler(_ handler: @escaping EventHandler) {
        eventHandlers.withLock { $0.append(handler) }
    }

    func emit(_ change: JobEvent.Change, _ job: JobSnapshot, retained: Bool, correlationID: String?, queueDepth: Int) {
        let handlers = eventHandlers.withLock { $0 }
        guard !handlers.isEmpty else { return }
        let event = JobEvent(
            change: change, job: job, retained: retained, correlationID: correlationID, queueDepth: queueDepth)
        for handler in handlers { handler(event) }
    }
}
