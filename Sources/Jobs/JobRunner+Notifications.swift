import Synchronization

extension JobRunner {
    /// Calls `subscriber` with every job event from now on: queued, started, progress, cancel
    /// requests, finished and refused submissions (the service's metrics and log lines listen here).
    @discardableResult
    public func subscribe(_ subscriber: @escaping Subscriber) -> Subscription {
        state.withLock { state in
            let subscription = Subscription(value: state.nextSubscription, job: nil)
            state.nextSubscription += 1
            state.subscribers[subscription] = subscriber
            return subscription
        }
    }

    /// Calls `subscriber` with every later event of kept job `id` until it finishes (its `finished`
    /// event is the last). Returns the job as it is now, and a subscription unless the job has
    /// already finished (then nothing more comes); nil if there is no such job.
    public func observe(_ id: JobID, _ subscriber: @escaping Subscriber) -> (
        snapshot: JobSnapshot, subscription: Subscription?
    )? {
        let live = state.withLock { state -> (JobSnapshot, Subscription?)? in
            guard let job = state.live[id], job.lane == .kept else { return nil }
            guard !job.snapshot.status.isFinished else { return (job.snapshot, nil) }
            let subscription = Subscription(value: state.nextSubscription, job: id)
            state.nextSubscription += 1
            state.jobSubscribers[id, default: [:]][subscription] = subscriber
            return (job.snapshot, subscription)
        }
        if let live { return live }
        return store.load(id).map { ($0, nil) }
    }

    /// Stops calling a subscriber.
    public func unsubscribe(_ subscription: Subscription) {
        state.withLock { state in
            guard let id = subscription.job else {
                state.subscribers[subscription] = nil
                return
            }
            state.jobSubscribers[id]?[subscription] = nil
            if state.jobSubscribers[id]?.isEmpty == true { state.jobSubscribers[id] = nil }
        }
    }

    /// The one way news leaves the runner, outside its lock: each kept job's new state goes to the
    /// store (which keeps the highest revision, whatever order saves arrive in), then each event to
    /// its subscribers: those of every job first (metrics, logs), then the job's own, so whoever waits
    /// on a job wakes to counts and logs that already include its news.
    ///
    /// A job that ended leaves `live` between the two: by the time anyone hears of its end, readers
    /// find its final state in the store.
    func deliver(_ notices: [Notice]) {
        for notice in notices where notice.savesJob { store.save(notice.event.job) }
        let ended = notices.filter { $0.event.change == .finished }.map(\.event.job.id)
        if !ended.isEmpty { state.withLock { state in for id in ended { state.forget(id) } } }
        for notice in notices {
            for subscriber in notice.subscribers { subscriber(notice.event) }
        }
    }
}
