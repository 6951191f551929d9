import Dispatch
import Foundation
import Synchronization

/// Runs work on Dispatch with bounded concurrency and a bounded FIFO queue, tracks each job's state,
/// progress and cancellation, enforces the per-job time limit and keeps finished jobs in a `JobStore`.
///
/// Synchronous requests and asynchronous jobs both come through here: a synchronous request is a job
/// with `retain: false` (not listed, not kept) whose `onFinish` answers the client.
public final class JobRunner: Sendable {
    /// The work of a job: returns the result's bytes or throws (`JobInterruption`, `JobFailure`, any).
    public typealias Work = @Sendable (JobContext) throws -> [UInt8]

    /// How a job ended, handed to its `onFinish`.
    public enum Outcome: Sendable {
        case succeeded([UInt8])
        /// The work threw this error (not an interruption).
        case failed(any Error)
        case cancelled
        case timeLimit
    }

    /// What `cancel` did.
    public enum CancelOutcome: Sendable {
        /// It was queued and is now cancelled.
        case cancelled(JobSnapshot)
        /// It is running and will stop at its next check.
        case cancelling(JobSnapshot)
        /// It had already finished (`snapshot.status` says how).
        case alreadyFinished(JobSnapshot)
        /// No such job (never existed, or evicted).
        case notFound
    }

    /// A registered observer, to pass back to `removeObserver`.
    public struct ObserverToken: Hashable, Sendable {
        let value: UInt64
    }

    typealias Observer = @Sendable (JobSnapshot) -> Void

    /// Told every `JobEvent`, on the thread where it happened (a worker, or the submitter's thread).
    public typealias EventHandler = @Sendable (JobEvent) -> Void

    struct LiveJob {
        var snapshot: JobSnapshot
        /// When the time limit passes (set when it starts running).
        var deadline: ContinuousClock.Instant?
        let context: JobContext
        let work: Work
        let retain: Bool
        /// Who submitted it (a client address), counted against `maxJobsPerOwner`; nil is not counted.
        let owner: String?
        let correlationID: String?
        let onFinish: (@Sendable (Outcome, JobSnapshot) -> Void)?
    }

    struct State {
        var live: [JobID: LiveJob] = [:]
        var queue: [JobID] = []
        var running = 0
        /// Queued and running jobs per owner (owners with none are removed).
        var jobsPerOwner: [String: Int] = [:]
        /// Indices into `slots` with no job on them (always `maxConcurrentJobs - running` of them).
        var freeSlots: [Int] = []
        var accepting = true
        var observers: [JobID: [ObserverToken: Observer]] = [:]
        var nextObserverToken: UInt64 = 0
        var lastEviction = ContinuousClock.now
    }

    /// The runner's limits.
    public let configuration: JobRunnerConfiguration
    let store: any JobStore
    let state = Mutex(State())
    /// One serial queue per concurrent job. A serial queue's blocks run on libdispatch's overcommit
    /// pool, which starts a thread whenever one is needed; a concurrent queue would share the pool
    /// that is capped at the core count with every other non-overcommit block in the process (Swift
    /// concurrency's executor among them), so a job could wait for a thread while a slot is free.
    private let slots: [DispatchQueue]
    /// Told every `JobEvent` (see `addEventHandler`).
    let eventHandlers = Mutex<[EventHandler]>([])
    /// One timer for every job's time limit (a timer per job costs more than the small jobs it guards).
    private let watchdog: TimeLimitWatchdog

    /// A runner with these limits, keeping finished jobs in `store`.
    public init(
        configuration: JobRunnerConfiguration = JobRunnerConfiguration(), store: any JobStore = InMemoryJobStore()
    ) {
        self.configuration = configuration
        self.store = store
        self.watchdog = TimeLimitWatchdog()
        self.slots = (0..<configuration.maxConcurrentJobs).map {
            DispatchQueue(label: "nabla.jobs.\($0)", qos: .userInitiated)
        }
        state.withLock { $0.freeSlots = Array((0..<configuration.maxConcurrentJobs).reversed()) }
        watchdog.start { [weak self] in self?.interruptOverdueJobs() }
    }

    deinit { watchdog.cancel() }

    /// Accepts a job: starts it if a worker is free, else queues it; refuses when the queue is full.
    /// - Parameters:
    ///   - kind: what it is, shown to clients.
    ///   - request: the submitter's request bytes, kept with the job.
    ///   - retain: keep it in the store (listed and readable by id); false for synchronous requests.
    ///   - owner: who submits it (a client address); at most `maxJobsPerOwner` of one owner's jobs
    ///     are queued or running at once. Nil: not counted (synchronous requests).
    ///   - correlationID: the submitter's tag, passed on in every `JobEvent` of this job.
    ///   - onFinish: called once, on a worker thread, when the job ends in any way.
    @discardableResult
    public func submit(
        kind: String, request: [UInt8] = [], retain: Bool = true, owner: String? = nil, correlationID: String? = nil,
        onFinish: (@Sendable (Outcome, JobSnapshot) -> Void)? = nil,
        work: @escaping Work
    ) throws(JobSubmissionError) -> JobSnapshot {
        let id = JobID.random()
        let context = JobContext(id: id) { [weak self] progress in self?.updateProgress(id, progress) }
        var job = LiveJob(
            snapshot: JobSnapshot(id: id, kind: kind, request: request), context: context, work: work,
            retain: retain, owner: owner, correlationID: correlationID, onFinish: onFinish)
        let admission = state.withLock { state -> Result<(slot: Int?, queueDepth: Int), JobSubmissionError> in
            guard state.accepting else { return .failure(.shuttingDown) }
            if let owner, state.jobsPerOwner[owner, default: 0] >= configuration.maxJobsPerOwner {
                return .failure(.ownerLimit(limit: configuration.maxJobsPerOwner, retryAfterSeconds: 1))
            }
            let slot = state.running < configuration.maxConcurrentJobs ? state.freeSlots.popLast() : nil
            if slot != nil {
                state.running += 1
                job.snapshot.status = .running
                job.snapshot.started = Date()
                job.deadline = .now + configuration.timeLimit
            } else if state.queue.count < configuration.queueLimit {
                state.queue.append(id)
            } else {
                return .failure(.queueFull(retryAfterSeconds: 1))
            }
            state.live[id] = job
            if let owner { state.jobsPerOwner[owner, default: 0] += 1 }
            if retain { store.save(job.snapshot) }
            return .success((slot, state.queue.count))
        }
        switch admission {
        case .failure(let error):
            emit(
                .rejected(error), job.snapshot, retained: retain, correlationID: correlationID, queueDepth: load.queued)
            throw error
        case .success(let (slot, queueDepth)):
            emit(
                slot == nil ? .queued : .started, job.snapshot, retained: retain, correlationID: correlationID,
                queueDepth: queueDepth)
            if let slot { launch(id, on: slot) }
        }
        return job.snapshot
    }

    /// The job as it is now, live or from the store.
    public func snapshot(_ id: JobID) -> JobSnapshot? {
        evictIfDue()
        return state.withLock { state in state.live[id].flatMap { $0.retain ? $0.snapshot : nil } } ?? store.load(id)
    }

    /// Retained jobs, newest first.
    public func recent(limit: Int) -> [JobSnapshot] {
        evictIfDue()
        return store.recent(limit: limit)
    }

    /// Jobs waiting and running now (retained or not).
    public var load: (queued: Int, running: Int) {
        state.withLock { ($0.queue.count, $0.running) }
    }

    /// Why a job of `owner` would be refused now, or nil if it would be accepted: lets a route refuse
    /// at once, before it spends time reading a large request (`submit` checks again).
    public func refusal(for owner: String?) -> JobSubmissionError? {
        state.withLock { state in
            if !state.accepting { return .shuttingDown }
            if let owner, state.jobsPerOwner[owner, default: 0] >= configuration.maxJobsPerOwner {
                return .ownerLimit(limit: configuration.maxJobsPerOwner, retryAfterSeconds: 1)
            }
            let full = state.running >= configuration.maxConcurrentJobs && state.queue.count >= configuration.queueLimit
            return full ? .queueFull(retryAfterSeconds: 1) : nil
        }
    }

    /// True when one more job would be refused (the queue is full or the runner is shutting down).
    public var isSaturated: Bool {
        state.withLock { !$0.accepting || $0.queue.count >= configuration.queueLimit }
    }

    // MARK: - Running

    /// Runs `id` on a worker, then every job the finished one hands on: under load a worker keeps
    /// taking queued jobs itself instead of waking another thread for each.
    private func launch(_ id: JobID, on slot: Int) {
        slots[slot].async {
            var next: JobID? = id
            while let id = next { next = self.execute(id, on: slot) }
        }
    }

    /// Runs one job to its end; returns the queued job that started in its place, if any. The slot is
    /// given back when there is none.
    private func execute(_ id: JobID, on slot: Int) -> JobID? {
        let job = state.withLock { state in
            let job = state.live[id].map { ($0.context, $0.work) }
            if job == nil {
                state.running -= 1
                state.freeSlots.append(slot)
            }
            return job
        }
        guard let (context, work) = job else { return nil }
        return finish(id, with: Result { try work(context) }, on: slot)
    }

    private func finish(_ id: JobID, with result: Result<[UInt8], any Error>, on slot: Int) -> JobID? {
        let (outcome, observers, finished, next, nextObservers, queueDepth) = state.withLock { state in
            var job = state.removeLive(id)!
            let outcome = Self.outcome(of: result)
            job.snapshot.apply(outcome, shuttingDown: !state.accepting, timeLimit: configuration.timeLimit)
            if case .failure(let partial as JobPartialResult) = result { job.snapshot.result = partial.result }
            if job.retain { store.save(job.snapshot) }
            state.running -= 1
            let next = startNextQueued(&state)
            if next == nil { state.freeSlots.append(slot) }
            let observers = state.observers.removeValue(forKey: id).map { Array($0.values) } ?? []
            let nextObservers = next.flatMap { state.observers[$0].map { Array($0.values) } } ?? []
            return (
                outcome, observers, job, next.flatMap { state.live[$0] }, nextObservers, state.queue.count
            )
        }
        for observer in observers { observer(finished.snapshot) }
        emit(
            .finished, finished.snapshot, retained: finished.retain, correlationID: finished.correlationID,
            queueDepth: queueDepth)
        finished.onFinish?(outcome, finished.snapshot)
        if let next {
            for observer in nextObservers { observer(next.snapshot) }  // its status is now `running`
            emit(
                .started, next.snapshot, retained: next.retain, correlationID: next.correlationID,
                queueDepth: queueDepth)
        }
        if finished.retain { evictIfDue(force: true) }
        return next?.snapshot.id
    }

    /// Moves the oldest queued job to running (inside the lock); returns its id.
    private func startNextQueued(_ state: inout State) -> JobID? {
        guard state.running < configuration.maxConcurrentJobs, !state.queue.isEmpty else { return nil }
        let id = state.queue.removeFirst()
        state.running += 1
        state.live[id]!.snapshot.status = .running
        state.live[id]!.snapshot.started = Date()
        state.live[id]!.deadline = .now + configuration.timeLimit
        if state.live[id]!.retain { store.save(state.live[id]!.snapshot) }
        return id
    }

    private static func outcome(of result: Result<[UInt8], any Error>) -> Outcome {
        switch result {
        case .success(let bytes): .succeeded(bytes)
        case .failure(let error as JobInterruption): error == .timeLimit ? .timeLimit : .cancelled
        case .failure(let partial as JobPartialResult): partial.interruption == .timeLimit ? .timeLimit : .cancelled
        case .failure(let error): .failed(error)
        }
    }

    /// Tells every running job past its deadline to stop (called by the watchdog).
    private func interruptOverdueJobs() {
        let now = ContinuousClock.now
        let overdue = state.withLock { state in
            state.live.values.filter { $0.deadline.map { $0 <= now } ?? false }.map(\.context)
        }
        for context in overdue { context.interrupt(.timeLimit) }
    }

    private func updateProgress(_ id: JobID, _ progress: [String: Double]) {
        let notify = state.withLock { state -> (LiveJob, [Observer], Int)? in
            guard state.live[id] != nil else { return nil }
            state.live[id]!.snapshot.progress = progress
            let job = state.live[id]!
            if job.retain { store.save(job.snapshot) }
            return (job, state.observers[id].map { Array($0.values) } ?? [], state.queue.count)
        }
        if let (job, observers, queueDepth) = notify {
            for observer in observers { observer(job.snapshot) }
            emit(
                .progressed, job.snapshot, retained: job.retain, correlationID: job.correlationID,
                queueDepth: queueDepth)
        }
    }

    private func evictIfDue(force: Bool = false) {
        let due = state.withLock { state -> Bool in
            guard force || ContinuousClock.now - state.lastEviction > .seconds(1) else { return false }
            state.lastEviction = .now
            return true
        }
        if due {
            let cutoff = Date().addingTimeInterval(-configuration.retention.timeInterval)
            store.evict(finishedBefore: cutoff, keepingAtMost: configuration.maxRetainedJobs)
        }
    }
}

extension JobRunner.State {
    /// Takes a job out of `live` and its owner's count.
    mutating func removeLive(_ id: JobID) -> JobRunner.LiveJob? {
        guard let job = live.removeValue(forKey: id) else { return nil }
        if let owner = job.owner {
            let remaining = jobsPerOwner[owner, default: 1] - 1
            jobsPerOwner[owner] = remaining > 0 ? remaining : nil
        }
        return job
    }
}
