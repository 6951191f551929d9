import Dispatch
import Synchronization

extension JobRunner {
    /// Cancels a kept job: a queued one at once, a running one at its next interruption check.
    /// Idempotent: cancelling again reports the same.
    public func cancel(_ id: JobID) -> CancelOutcome {
        let result = state.withLock { state -> (CancelOutcome, Notice?)? in
            guard var job = state.live[id], job.lane == .kept else { return nil }
            if job.snapshot.status.isFinished { return (.alreadyFinished(job.snapshot), nil) }
            if job.snapshot.status == .queued {
                state.live[id]!.snapshot.cancelRequested = true
                let notice = state.cancelQueued(id, configuration, clock)
                return (.cancelled(notice.event.job), notice)
            }
            job.context.interrupt(.cancelled)
            if job.snapshot.cancelRequested { return (.cancelling(job.snapshot), nil) }
            job.snapshot.cancelRequested = true
            let notice = state.update(job, .cancelRequested)
            return (.cancelling(notice.event.job), notice)
        }
        guard let (outcome, notice) = result else {
            guard let snapshot = store.load(id) else { return .notFound }
            return snapshot.status.isFinished ? .alreadyFinished(snapshot) : .cancelling(snapshot)
        }
        if let notice { deliver([notice]) }
        return outcome
    }

    /// Blocks the calling thread until kept job `id` finishes or `timeout` passes; returns its snapshot.
    /// For tests and tools: never call it on a libmicrohttpd thread.
    public func waitUntilFinished(_ id: JobID, timeout: Duration) -> JobSnapshot? {
        let done = DispatchSemaphore(value: 0)
        guard let (snapshot, subscription) = observe(id, { if $0.change == .finished { done.signal() } }) else {
            return nil
        }
        guard let subscription else { return snapshot }
        if done.wait(timeout: .now() + timeout.seconds) == .timedOut { unsubscribe(subscription) }
        return self.snapshot(id)
    }

    /// Shutdown: takes no new jobs, cancels the queued ones, lets running ones finish for up to
    /// `gracePeriod`, then interrupts them too and waits up to five seconds more for them to stop.
    public func shutdown(gracePeriod: Duration) {
        let dequeued = state.withLock { state -> [Notice] in
            state.lifecycle = .draining
            let ids = state.lanes.values.flatMap(\.queue)
            return ids.map { state.cancelQueued($0, configuration, clock) }
        }
        deliver(dequeued)
        if !waitUntilIdle(upTo: gracePeriod) {
            let running = state.withLock { state in state.live.values.map(\.context) }
            for context in running { context.interrupt(.cancelled) }
            _ = waitUntilIdle(upTo: .seconds(5))
        }
        state.withLock { state in if state.running == 0 { state.lifecycle = .stopped } }
    }

    /// Waits until no job runs, for at most `limit`; true if none does.
    private func waitUntilIdle(upTo limit: Duration) -> Bool {
        let idle = DispatchSemaphore(value: 0)
        let mustWait = state.withLock { state -> Bool in
            guard state.running > 0 else { return false }
            state.idleWaiters.append(idle)
            return true
        }
        guard mustWait else { return true }
        return idle.wait(timeout: .now() + limit.seconds) == .success || state.withLock { $0.running == 0 }
    }
}
