import Dispatch
import Foundation
import Synchronization

/// Runs work on Dispatch with bounded concurrency and bounded FIFO queues, tracks each job's state,
/// progress and cancellation, enforces the per-job time limit and keeps finished kept jobs in a
/// `JobStore`.
///
/// Two lanes (`Lane`): a request's work (answered when done, never listed or kept) and kept jobs
/// (listed, readable by id, cancellable). Each lane has `maxConcurrentJobs` workers and its own queue,
/// so a derivative never waits behind trainings; kept jobs' threads run at a lower priority
/// (`keptJobNiceness`), so when both lanes compute the requests (and libmicrohttpd's threads) get
/// the cores first.
///
/// Every change happens under one lock (`state`) and produces `JobEvent`s; the store and every
/// subscriber are called after the lock is released (`deliver`), so neither a slow store nor a
/// subscriber ever holds up another job.
public final class JobRunner: Sendable {
    /// The work of a job: returns the result's bytes or throws (`JobInterruption`, `JobPartialResult`,
    /// `JobFailure`, any).
    public typealias Work = @Sendable (JobContext) throws -> [UInt8]

    /// Told `JobEvent`s, on the thread where the change happened, after the runner's lock is released:
    /// it must be quick and must not block.
    public typealias Subscriber = @Sendable (JobEvent) -> Void

    /// Where a job runs, and whether it is kept.
    public enum Lane: Sendable, Hashable, CaseIterable {
        /// The work behind one request: answered when done, never listed, kept or cancelled by id.
        case request
        /// A kept job: listed, readable by id and cancellable; runs on lower-priority threads.
        case kept
    }

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

    /// A subscription, to pass back to `unsubscribe`.
    public struct Subscription: Hashable, Sendable {
        let value: UInt64
        /// The job whose events it follows; nil: every job's.
        public let job: JobID?

        /// Subscription `value` (to one job's events, or to every job's when `job` is nil); a backend
        /// outside this module numbers its own.
        public init(value: UInt64, job: JobID?) {
            self.value = value
            self.job = job
        }
    }

    /// The runner's limits.
    public let configuration: JobRunnerConfiguration
    let store: any JobStore
    let clock: JobClock
    let state: Mutex<State>
    /// One serial queue per concurrent request, and one thread per concurrent kept job. A serial
    /// queue's blocks run on libdispatch's overcommit pool, which starts a thread whenever one is
    /// needed; a concurrent queue would share the pool that is capped at the core count with every
    /// other non-overcommit block in the process (Swift concurrency's executor among them), so a job
    /// could wait for a thread while a slot is free.
    private let requestSlots: [DispatchQueue]
    private let keptSlots: [KeptJobThread]
    /// Ten times a second, tells running jobs past their deadline to stop: time limits hold within
    /// about 100 ms (a timer per job would cost more than the small jobs it guards).
    private let watchdog = Mutex<RepeatingTimer?>(nil)
    /// Ids of request-lane work: a random half chosen once and a counter. Such ids are never shown or
    /// looked up, and system randomness per request would sit on the hot path (kept jobs' ids are
    /// random, since clients hold them).
    private let requestIDHigh = UInt64.random(in: .min ... .max)
    private let requestIDCounter = Atomic<UInt64>(0)

    /// A runner with these limits, keeping finished kept jobs in `store`, reading the time from `clock`.
    public init(
        configuration: JobRunnerConfiguration = JobRunnerConfiguration(), store: any JobStore = InMemoryJobStore(),
        clock: JobClock = .system
    ) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        let workers = configuration.maxConcurrentJobs
        self.requestSlots = (0..<workers).map { DispatchQueue(label: "nabla.requests.\($0)", qos: .userInitiated) }
        self.keptSlots = (0..<workers).map {
            KeptJobThread(name: "nabla.jobs.\($0)", niceness: configuration.keptJobNiceness)
        }
        self.state = Mutex(State(workers: workers, lastEviction: clock.now()))
        let timer = RepeatingTimer(every: .milliseconds(100), leeway: .milliseconds(20), on: .global(qos: .utility)) {
            [weak self] in self?.interruptOverdueJobs()
        }
        watchdog.withLock { $0 = timer }
    }

    deinit {
        watchdog.withLock { $0?.cancel() }
        for worker in keptSlots { worker.stop() }
    }

    /// Accepts a job: starts it if a worker of its lane is free, else queues it; refuses when the
    /// lane's queue is full, the client is at its limit or the runner is draining.
    /// - Parameters:
    ///   - kind: what it is, shown to clients.
    ///   - request: the submitter's request bytes, kept with the job.
    ///   - lane: `.kept` (listed, readable, cancellable) or `.request` (answered through `onFinish`).
    ///   - client: who submits it; at most `maxJobsPerClient` of one client's jobs are queued or
    ///     running at once. Nil: not counted (requests).
    ///   - owner: whose job it is (kept with it, for `recent(limit:ownedBy:)`); nil: anonymous.
    ///   - correlationID: the submitter's tag, passed on in every `JobEvent` of this job.
    ///   - id: the kept job's id when it has one already (a job shared by replicas, run here); nil: a
    ///     new one.
    ///   - onFinish: called once, on a worker thread, when the job ends in any way.
    @discardableResult
    public func submit(
        kind: String, request: [UInt8] = [], lane: Lane = .kept, client: String? = nil, owner: String? = nil,
        correlationID: String? = nil, id: JobID? = nil,
        onFinish: (@Sendable (Outcome, JobSnapshot) -> Void)? = nil,
        work: @escaping Work
    ) throws(JobSubmissionError) -> JobSnapshot {
        let id =
            lane == .kept
            ? id ?? JobID.random()
            : JobID(high: requestIDHigh, low: requestIDCounter.wrappingAdd(1, ordering: .relaxed).newValue)
        let context = JobContext(id: id) { [weak self] values, attachment in
            self?.updateProgress(id, values, attachment)
        }
        let snapshot = JobSnapshot(id: id, kind: kind, request: request, created: clock.date(), owner: owner)
        let job = LiveJob(
            snapshot: snapshot, context: context, work: work, lane: lane, client: client,
            correlationID: correlationID, onFinish: onFinish)
        let admitted = state.withLock { state in state.admit(job, configuration, clock) }
        switch admitted {
        case .failure(let error):
            let (queued, subscribers) = state.withLock { ($0.queued, Array($0.subscribers.values)) }
            let event = JobEvent(
                change: .rejected(error), job: snapshot, lane: lane, correlationID: correlationID, queueDepth: queued)
            deliver([Notice(event: event, subscribers: subscribers)])
            throw error
        case .success(let (notice, slot)):
            deliver([notice])
            if let slot { launch(id, lane: lane, slot: slot) }
            return notice.event.job
        }
    }

    /// The kept job as it is now, live or from the store.
    public func snapshot(_ id: JobID) -> JobSnapshot? {
        evictIfDue()
        return state.withLock { state in state.live[id].flatMap { $0.lane == .kept ? $0.snapshot : nil } }
            ?? store.load(id)
    }

    /// Kept jobs, newest first.
    public func recent(limit: Int) -> [JobSnapshot] {
        evictIfDue()
        return store.recent(limit: limit)
    }

    /// `owner`'s kept jobs (nil: the anonymous ones), newest first.
    public func recent(limit: Int, ownedBy owner: String?) -> [JobSnapshot] {
        evictIfDue()
        return store.recent(limit: limit, ownedBy: owner)
    }

    /// Bytes of the kept jobs' requests and results the store holds in memory (bounded by the
    /// configuration's `maxRetainedBytes`).
    public var retainedByteCount: Int { store.byteCount }

    /// Jobs waiting and running now, in both lanes.
    public var load: (queued: Int, running: Int) {
        state.withLock { ($0.queued, $0.running) }
    }

    /// Why a kept job of `client` would be refused now, or nil if it would be accepted: lets a route
    /// refuse at once, before it parses and checks the request (`submit` checks again).
    public func refusal(for client: String?) -> JobSubmissionError? {
        state.withLock { $0.refusal(client: client, lane: .kept, configuration) }
    }

    /// True when one more job would be refused (a lane's queue is full or the runner is draining).
    public var isSaturated: Bool {
        state.withLock { state in
            state.lifecycle != .accepting || state.lanes.values.contains { $0.queue.count >= configuration.queueLimit }
        }
    }

    /// Forgets finished kept jobs past their retention, at most once a second (or now, when `force`).
    func evictIfDue(force: Bool = false) {
        let now = clock.now()
        let due = state.withLock { state -> Bool in
            guard force || now - state.lastEviction > .seconds(1) else { return false }
            state.lastEviction = now
            return true
        }
        if due {
            store.evict(
                finishedBefore: clock.date().addingTimeInterval(-configuration.retention.seconds),
                keepingAtMost: configuration.maxRetainedJobs, bytesAtMost: configuration.maxRetainedBytes)
        }
    }

    // MARK: - Running

    /// Runs `id` on a worker of its lane, then every job the finished one hands on: under load a worker
    /// keeps taking queued jobs itself instead of waking another thread for each.
    private func launch(_ id: JobID, lane: Lane, slot: Int) {
        let run: @Sendable () -> Void = {
            var next: JobID? = id
            while let id = next { next = self.execute(id, lane: lane, slot: slot) }
        }
        switch lane {
        case .kept: keptSlots[slot].async(run)
        case .request: requestSlots[slot].async(execute: run)
        }
    }

    /// Runs one job to its end; returns the queued job that started in its place, if any.
    private func execute(_ id: JobID, lane: Lane, slot: Int) -> JobID? {
        let job = state.withLock { state in state.live[id].map { ($0.context, $0.work) } }
        guard let (context, work) = job else {
            state.withLock { $0.releaseSlot(slot, of: lane) }
            return nil
        }
        let result = Result { try work(context) }
        let (notices, next) = state.withLock { state in
            state.finish(id, with: result, slot: slot, configuration, clock)
        }
        deliver(notices)
        if lane == .kept { evictIfDue(force: true) }
        return next
    }

    /// Tells every running job past its deadline to stop (called by the watchdog).
    private func interruptOverdueJobs() {
        let now = clock.now()
        let overdue = state.withLock { state in
            state.live.values.filter { $0.deadline.map { $0 <= now } ?? false }.map(\.context)
        }
        for context in overdue { context.interrupt(.timeLimit) }
    }

    private func updateProgress(_ id: JobID, _ values: [String: Double], _ attachment: [JobAttachment.Member]?) {
        let notice = state.withLock { state -> Notice? in
            guard var job = state.live[id], !job.snapshot.status.isFinished else { return nil }
            job.snapshot.progress = values
            if let attachment {
                let sequence = (job.snapshot.attachment?.sequence ?? 0) + 1
                job.snapshot.attachment = JobAttachment(sequence: sequence, members: attachment)
            }
            return state.update(job, .progressed)
        }
        if let notice { deliver([notice]) }
    }
}
