import Dispatch
import Foundation
import Synchronization

/// Runs work on Dispatch with bounded concurrency and bounded FIFO queues, tracks each job's state,
/// progress and cancellation, enforces the per-job time limit and keeps finished jobs in a `JobStore`.
///
/// Synchronous requests and asynchronous jobs both come through here: a synchronous request is a job
/// with `retain: false` (not listed, not kept) whose `onFinish` answers the client. The two run in
/// separate lanes, each with `maxConcurrentJobs` workers and its own queue, so a derivative never
/// waits behind trainings; kept jobs' threads run at a lower priority (`backgroundNiceness`), so
/// when both lanes compute the requests (and libmicrohttpd's threads) get the cores first.
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

    /// Jobs of one kind (synchronous requests, or kept jobs): running, free workers, waiting.
    struct Lane {
        var running = 0
        /// Indices into the lane's `slots` with no job on them (always `maxConcurrentJobs - running`).
        var freeSlots: [Int]
        var queue: [JobID] = []
    }

    /// The lane of synchronous requests (`retain: false`) and of kept jobs.
    static let requestLane = 0
    static let keptLane = 1

    struct State {
        var live: [JobID: LiveJob] = [:]
        var lanes: [Lane]
        /// Queued and running jobs per owner (owners with none are removed).
        var jobsPerOwner: [String: Int] = [:]
        var accepting = true
        var observers: [JobID: [ObserverToken: Observer]] = [:]
        var nextObserverToken: UInt64 = 0
        var lastEviction = ContinuousClock.now
    }

    /// The runner's limits.
    public let configuration: JobRunnerConfiguration
    let store: any JobStore
    let state: Mutex<State>
    /// One serial queue per concurrent request, and one thread per concurrent kept job. A serial queue's blocks run on libdispatch's overcommit
    /// pool, which starts a thread whenever one is needed; a concurrent queue would share the pool
    /// that is capped at the core count with every other non-overcommit block in the process (Swift
    /// concurrency's executor among them), so a job could wait for a thread while a slot is free.
    private let requestSlots: [DispatchQueue]
    private let keptSlots: [BackgroundWorker]
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
        let workers = configuration.maxConcurrentJobs
        self.requestSlots = (0..<workers).map { DispatchQueue(label: "nabla.requests.\($0)", qos: .userInitiated) }
        self.keptSlots = (0..<workers).map {
            BackgroundWorker(name: "nabla.jobs.\($0)", niceness: configuration.backgroundNiceness)
        }
        let lane = Lane(freeSlots: Array((0..<workers).reversed()))
        self.state = Mutex(State(lanes: [lane, lane]))
        watchdog.start { [weak self] in self?.interruptOverdueJobs() }
    }

    deinit {
        watchdog.cancel()
        for worker in keptSlots { worker.stop() }
    }

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
        let lane = retain ? Self.keptLane : Self.requestLane
        let admission = state.withLock { state -> Result<(slot: Int?, queueDepth: Int), JobSubmissionError> in
            if let refusal = state.refusal(owner: owner, lane: lane, configuration) { return .failure(refusal) }
            let slot =
                state.lanes[lane].running < configuration.maxConcurrentJobs
                ? state.lanes[lane].freeSlots.popLast() : nil
            if slot != nil {
                state.lanes[lane].running += 1
                job.snapshot.status = .running
                job.snapshot.started = Date()
                job.deadline = .now + configuration.timeLimit
            } else {
                state.lanes[lane].queue.append(id)  // `refusal` saw room in the queue
            }
            state.live[id] = job
            if let owner { state.jobsPerOwner[owner, default: 0] += 1 }
            if retain { store.save(job.snapshot) }
            return .success((slot, state.queued))
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
            if let slot { launch(id, lane: lane, slot: slot) }
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

    /// Bytes of the retained jobs' requests and results in memory (bounded by the configuration's
    /// `maxRetainedBytes`).
    public var retainedByteCount: Int { store.byteCount }

    /// Jobs waiting and running now (retained or not).
    public var load: (queued: Int, running: Int) {
        state.withLock { ($0.queued, $0.running) }
    }

    /// Why a kept job of `owner` would be refused now, or nil if it would be accepted: lets a route
    /// refuse at once, before it parses and checks the request (`submit` checks again).
    public func refusal(for owner: String?) -> JobSubmissionError? {
        state.withLock { $0.refusal(owner: owner, lane: Self.keptLane, configuration) }
    }

    /// True when one more job would be refused (a lane's queue is full or the runner is shutting down).
    public var isSaturated: Bool {
        state.withLock { state in
            !state.accepting || state.lanes.contains { $0.queue.count >= configuration.queueLimit }
        }
    }

    // MARK: - Running

    /// Runs `id` on a worker, then every job the finished one hands on: under load a worker keeps
    /// taking queued jobs itself instead of waking another thread for each.
    private func launch(_ id: JobID, lane: Int, slot: Int) {
        let run: @Sendable () -> Void = {
            var next: JobID? = id
            while let id = next { next = self.execute(id, lane: lane, slot: slot) }
        }
        if lane == Self.keptLane { keptSlots[slot].async(run) } else { requestSlots[slot].async(execute: run) }
    }

    /// Runs one job to its end; returns the queued job that started in its place, if any. The slot is
    /// given back when there is none.
    private func execute(_ id: JobID, lane: Int, slot: Int) -> JobID? {
        let job = state.withLock { state in
            let job = state.live[id].map { ($0.context, $0.work) }
            if job == nil {
                state.lanes[lane].running -= 1
                state.lanes[lane].freeSlots.append(slot)
            }
            return job
        }
        guard let (context, work) = job else { return nil }
        return finish(id, with: Result { try work(context) }, lane: lane, slot: slot)
    }

    private func finish(_ id: JobID, with result: Result<[UInt8], any Error>, lane: Int, slot: Int) -> JobID? {
        let (outcome, observers, finished, next, nextObservers, queueDepth) = state.withLock { state in
            var job = state.removeLive(id)!
            let outcome = Self.outcome(of: result)
            job.snapshot.apply(outcome, shuttingDown: !state.accepting, timeLimit: configuration.timeLimit)
            if case .failure(let partial as JobPartialResult) = result { job.snapshot.result = partial.result }
            if job.retain { store.save(job.snapshot) }
            state.lanes[lane].running -= 1
            let next = startNextQueued(&state, lane: lane)
            if next == nil { state.lanes[lane].freeSlots.append(slot) }
            let observers = state.observers.removeValue(forKey: id).map { Array($0.values) } ?? []
            let nextObservers = next.flatMap { state.observers[$0].map { Array($0.values) } } ?? []
            return (
                outcome, observers, job, next.flatMap { state.live[$0] }, nextObservers, state.queued
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

    /// Moves the lane's oldest queued job to running (inside the lock); returns its id.
    private func startNextQueued(_ state: inout State, lane: Int) -> JobID? {
        guard state.lanes[lane].running < configuration.maxConcurrentJobs, !state.lanes[lane].queue.isEmpty else {
            return nil
        }
        let id = state.lanes[lane].queue.removeFirst()
        state.lanes[lane].running += 1
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
            return (job, state.observers[id].map { Array($0.values) } ?? [], state.queued)
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
            store.evict(
                finishedBefore: cutoff, keepingAtMost: configuration.maxRetainedJobs,
                bytesAtMost: configuration.maxRetainedBytes)
        }
    }
}

extension JobRunner.State {
    /// Jobs waiting in both lanes.
    var queued: Int { lanes.reduce(0) { $0 + $1.queue.count } }

    /// Jobs running in both lanes.
    var running: Int { lanes.reduce(0) { $0 + $1.running } }

    /// Why a job of `owner` in `lane` is refused now (shutting down, the owner at its limit, no free
    /// worker and a full queue), or nil.
    func refusal(owner: String?, lane: Int, _ configuration: JobRunnerConfiguration) -> JobSubmissionError? {
        if !accepting { return .shuttingDown }
        if let owner, jobsPerOwner[owner, default: 0] >= configuration.maxJobsPerOwner {
            return .ownerLimit(limit: configuration.maxJobsPerOwner, retryAfterSeconds: 1)
        }
        let full =
            lanes[lane].running >= configuration.maxConcurrentJobs
            && lanes[lane].queue.count >= configuration.queueLimit
        return full ? .queueFull(retryAfterSeconds: 1) : nil
    }

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
