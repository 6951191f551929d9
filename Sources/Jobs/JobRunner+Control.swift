import Foundation
import Synchronization

extension JobRunner {
    /// Cancels a job: a queued one at once, a running one at its next cancellation check.
    /// Idempotent: cancelling again reports the same.
    public func cancel(_ id: JobID) -> CancelOutcome {
        let result = state.withLock { state -> (CancelOutcome, LiveJob?, [Observer])? in
            guard var job = state.live[id], job.retain else { return nil }
            job.snapshot.cancelRequested = true
            if job.snapshot.status == .queued {
                state.lanes[JobRunner.keptLane].queue.removeAll { $0 == id }
                _ = state.removeLive(id)
                job.snapshot.apply(.cancelled, shuttingDown: false, timeLimit: configuration.timeLimit)
                store.save(job.snapshot)
                let observers = state.observers.removeValue(forKey: id).map { Array($0.values) } ?? []
                return (.cancelled(job.snapshot), job, observers)
            }
            state.live[id] = job
            store.save(job.snapshot)
            job.context.interrupt(.cancelled)
            return (.cancelling(job.snapshot), nil, [])
        }
        guard let (outcome, dequeued, observers) = result else {
            guard let snapshot = store.load(id) else { return .notFound }
            return snapshot.status.isFinished ? .alreadyFinished(snapshot) : .cancelling(snapshot)
        }
        if let dequeued {
            for observer in observers { observer(dequeued.snapshot) }
            emit(
                .finished, dequeued.snapshot, retained: dequeued.retain, correlationID: dequeued.correlationID,
                queueDepth: load.queued)
            dequeued.onFinish?(.cancelled, dequeued.snapshot)
        }
        return outcome
    }

    /// Calls `observer` with every progress update and the final snapshot of a live job. Returns the
    /// current snapshot, and a token unless the job has already finished (then nothing more comes).
    public func observe(_ id: JobID, _ observer: @escaping @Sendable (JobSnapshot) -> Void)
        -> (snapshot: JobSnapshot, token: ObserverToken?)?
    {
        let live = state.withLock { state -> (JobSnapshot, ObserverToken)? in
            guard let job = state.live[id], job.retain else { return nil }
            let token = ObserverToken(value: state.nextObserverToken)
            state.nextObserverToken += 1
            state.observers[id, default: [:]][token] = observer
            return (job.snapshot, token)
        }
        if let (snapshot, token) = live { return (snapshot, token) }
        return store.load(id).map { ($0, nil) }
    }

    /// Stops calling an observer.
    public func removeObserver(_ id: JobID, _ token: ObserverToken) {
        state.withLock { state in
            state.observers[id]?[token] = nil
            if state.observers[id]?.isEmpty == true { state.observers[id] = nil }
        }
    }

    /// Blocks the calling thread until the job finishes or `timeout` passes; returns its snapshot.
    /// For tests and tools: never call it on a libmicrohttpd thread.
    public func waitUntilFinished(_ id: JobID, timeout: Duration) -> JobSnapshot? {
        let done = DispatchSemaphore(value: 0)
        guard let (snapshot, token) = observe(id, { if $0.status.isFinished { done.signal() } }) else { return nil }
        guard let token else { return snapshot }
        _ = done.wait(timeout: .now() + timeout.timeInterval)
        removeObserver(id, token)
        return self.snapshot(id)
    }

    /// Shutdown: takes no new jobs, cancels the queued ones, lets running ones finish for up to
    /// `gracePeriod`, then cancels them too and waits briefly for them to stop.
    public func shutdown(gracePeriod: Duration) {
        let dequeued = state.withLock { state -> [(LiveJob, [Observer])] in
            state.accepting = false
            let ids = state.lanes.flatMap(\.queue)
            for lane in state.lanes.indices { state.lanes[lane].queue.removeAll() }
            return ids.map { id in
                var job = state.removeLive(id)!
                job.snapshot.apply(.cancelled, shuttingDown: true, timeLimit: configuration.timeLimit)
                if job.retain { store.save(job.snapshot) }
                return (job, state.observers.removeValue(forKey: id).map { Array($0.values) } ?? [])
            }
        }
        for (job, observers) in dequeued {
            for observer in observers { observer(job.snapshot) }
            emit(.finished, job.snapshot, retained: job.retain, correlationID: job.correlationID, queueDepth: 0)
            job.onFinish?(.cancelled, job.snapshot)
        }
        waitForRunningJobs(upTo: gracePeriod)
        let running = state.withLock { state in state.live.values.map(\.context) }
        for context in running { context.interrupt(.cancelled) }
        waitForRunningJobs(upTo: .seconds(5))
    }

    private func waitForRunningJobs(upTo limit: Duration) {
        let deadline = ContinuousClock.now + limit
        while state.withLock({ $0.running }) > 0 && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
    }
}
