import Dispatch
import Foundation

extension JobRunner {
    /// Where the runner is in its life: it takes jobs only while `accepting`; `shutdown` drains it.
    enum Lifecycle {
        case accepting
        /// Refusing new jobs; running ones get their grace period.
        case draining
        /// Every job has ended.
        case stopped
    }

    /// A job the runner holds: queued, running, or finished and not yet handed to the store.
    struct LiveJob {
        var snapshot: JobSnapshot
        /// When the time limit passes (set when it starts running).
        var deadline: ContinuousClock.Instant?
        let context: JobContext
        let work: Work
        let lane: Lane
        /// Who submitted it, counted against `maxJobsPerClient`; nil is not counted.
        let client: String?
        let correlationID: String?
        let onFinish: (@Sendable (Outcome, JobSnapshot) -> Void)?
    }

    /// One lane's workers and queue.
    struct LaneState {
        var running = 0
        /// Indices into the lane's slots with no job on them (always `maxConcurrentJobs - running`).
        var freeSlots: [Int]
        var queue: [JobID] = []
    }

    /// An event to deliver once the lock is released: to the store (kept jobs), then to `subscribers`.
    struct Notice {
        let event: JobEvent
        let subscribers: [Subscriber]
        /// True for changes of a kept job that exists (not a refusal).
        var savesJob: Bool {
            if case .rejected = event.change { return false }
            return event.lane == .kept
        }
    }

    /// Everything the runner knows, behind its one lock.
    struct State {
        var live: [JobID: LiveJob] = [:]
        var lanes: [Lane: LaneState]
        /// Queued and running kept jobs per client (clients with none are removed).
        var jobsPerClient: [String: Int] = [:]
        var lifecycle = Lifecycle.accepting
        /// Subscribers to every job's events.
        var subscribers: [Subscription: Subscriber] = [:]
        /// Subscribers to one job's events, until it finishes.
        var jobSubscribers: [JobID: [Subscription: Subscriber]] = [:]
        var nextSubscription: UInt64 = 0
        var lastEviction: ContinuousClock.Instant
        /// Signalled when no job is running any more (`shutdown` waits on them).
        var idleWaiters: [DispatchSemaphore] = []

        init(workers: Int, lastEviction: ContinuousClock.Instant) {
            let lane = LaneState(freeSlots: Array((0..<workers).reversed()))
            self.lanes = [.request: lane, .kept: lane]
            self.lastEviction = lastEviction
        }

        /// Jobs waiting in both lanes.
        var queued: Int { lanes.values.reduce(0) { $0 + $1.queue.count } }

        /// Jobs running in both lanes.
        var running: Int { lanes.values.reduce(0) { $0 + $1.running } }

        /// Why a job of `client` in `lane` is refused now (draining, the client at its limit, no free
        /// worker and a full queue), or nil.
        func refusal(client: String?, lane: Lane, _ configuration: JobRunnerConfiguration) -> JobSubmissionError? {
            if lifecycle != .accepting { return .shuttingDown }
            if let client, jobsPerClient[client, default: 0] >= configuration.maxJobsPerClient {
                return .clientLimit(limit: configuration.maxJobsPerClient, retryAfterSeconds: 1)
            }
            let full =
                lanes[lane]!.running >= configuration.maxConcurrentJobs
                && lanes[lane]!.queue.count >= configuration.queueLimit
            return full ? .queueFull(retryAfterSeconds: 1) : nil
        }

        /// Takes `job` in: running on a free slot of its lane (returned), or queued.
        mutating func admit(
            _ job: LiveJob, _ configuration: JobRunnerConfiguration, _ clock: JobClock
        ) -> Result<(Notice, slot: Int?), JobSubmissionError> {
            if let refusal = refusal(client: job.client, lane: job.lane, configuration) { return .failure(refusal) }
            var job = job
            let slot =
                lanes[job.lane]!.running < configuration.maxConcurrentJobs ? lanes[job.lane]!.freeSlots.popLast() : nil
            if slot != nil {
                lanes[job.lane]!.running += 1
                start(&job, configuration, clock)
            } else {
                lanes[job.lane]!.queue.append(job.snapshot.id)  // `refusal` saw room in the queue
            }
            if let client = job.client { jobsPerClient[client, default: 0] += 1 }
            return .success((update(job, slot == nil ? .queued : .started), slot))
        }

        /// Ends job `id` with `result`: records the outcome, frees its slot or hands it to the lane's
        /// next queued job (returned). The job stays in `live`, finished, until `deliver` has saved it
        /// and forgets it: readers see its final state while the store is being told.
        mutating func finish(
            _ id: JobID, with result: Result<[UInt8], any Error>, slot: Int, _ configuration: JobRunnerConfiguration,
            _ clock: JobClock
        ) -> ([Notice], next: JobID?) {
            var job = live[id]!
            let outcome = Self.outcome(of: result)
            job.snapshot.apply(
                outcome, shuttingDown: lifecycle != .accepting, timeLimit: configuration.timeLimit, at: clock.date())
            if case .failure(let partial as JobPartialResult) = result { job.snapshot.result = partial.result }
            release(job)
            lanes[job.lane]!.running -= 1
            var notices = [ended(job, outcome)]
            let next = startNextQueued(in: job.lane, configuration, clock)
            if let next {
                notices.append(update(live[next]!, .started))
            } else {
                lanes[job.lane]!.freeSlots.append(slot)
            }
            if running == 0 { signalIdle() }
            return (notices, next)
        }

        /// Ends a queued job as cancelled (by a client, or because the runner is draining).
        mutating func cancelQueued(_ id: JobID, _ configuration: JobRunnerConfiguration, _ clock: JobClock) -> Notice {
            var job = live[id]!
            lanes[job.lane]!.queue.removeAll { $0 == id }
            job.snapshot.apply(
                .cancelled, shuttingDown: lifecycle != .accepting, timeLimit: configuration.timeLimit, at: clock.date())
            release(job)
            return ended(job, .cancelled)
        }

        /// Gives a slot back when its worker found its job gone.
        mutating func releaseSlot(_ slot: Int, of lane: Lane) {
            lanes[lane]!.running -= 1
            lanes[lane]!.freeSlots.append(slot)
            if running == 0 { signalIdle() }
        }

        /// Drops a finished job from `live` once the store has it.
        mutating func forget(_ id: JobID) {
            if live[id]?.snapshot.status.isFinished == true { live[id] = nil }
        }

        /// Stores `job` as changed by `change` (a new revision) and returns the event for its subscribers.
        mutating func update(_ job: LiveJob, _ change: JobEvent.Change) -> Notice {
            var job = job
            job.snapshot.revision += 1
            live[job.snapshot.id] = job
            return notice(change, job, subscribers: Array(jobSubscribers[job.snapshot.id, default: [:]].values))
        }

        func notice(_ change: JobEvent.Change, _ job: LiveJob, subscribers: [Subscriber]) -> Notice {
            let event = JobEvent(
                change: change, job: job.snapshot, lane: job.lane, correlationID: job.correlationID,
                queueDepth: queued)
            return Notice(event: event, subscribers: Array(self.subscribers.values) + subscribers)
        }

        /// The `finished` event of `job`: for everyone's subscribers, its own (removed: nothing more
        /// comes), then its `onFinish`.
        private mutating func ended(_ job: LiveJob, _ outcome: Outcome) -> Notice {
            var job = job
            job.snapshot.revision += 1
            live[job.snapshot.id] = job
            var subscribers = Array(self.subscribers.values)
            subscribers += (jobSubscribers.removeValue(forKey: job.snapshot.id) ?? [:]).values
            if let onFinish = job.onFinish { subscribers.append { event in onFinish(outcome, event.job) } }
            let event = JobEvent(
                change: .finished, job: job.snapshot, lane: job.lane, correlationID: job.correlationID,
                queueDepth: queued)
            return Notice(event: event, subscribers: subscribers)
        }

        /// Moves `job` to running: times and deadline.
        private func start(_ job: inout LiveJob, _ configuration: JobRunnerConfiguration, _ clock: JobClock) {
            job.snapshot.status = .running
            job.snapshot.started = clock.date()
            job.deadline = clock.now() + configuration.timeLimit
        }

        /// Moves the lane's oldest queued job to running; returns its id.
        private mutating func startNextQueued(
            in lane: Lane, _ configuration: JobRunnerConfiguration, _ clock: JobClock
        ) -> JobID? {
            guard lanes[lane]!.running < configuration.maxConcurrentJobs, !lanes[lane]!.queue.isEmpty else {
                return nil
            }
            let id = lanes[lane]!.queue.removeFirst()
            lanes[lane]!.running += 1
            start(&live[id]!, configuration, clock)
            return id
        }

        /// Takes a finished job off its client's count.
        private mutating func release(_ job: LiveJob) {
            guard let client = job.client else { return }
            let remaining = jobsPerClient[client, default: 1] - 1
            jobsPerClient[client] = remaining > 0 ? remaining : nil
        }

        private mutating func signalIdle() {
            for waiter in idleWaiters { waiter.signal() }
            idleWaiters = []
        }

        private static func outcome(of result: Result<[UInt8], any Error>) -> Outcome {
            switch result {
            case .success(let bytes): .succeeded(bytes)
            case .failure(let error as JobInterruption): error == .timeLimit ? .timeLimit : .cancelled
            case .failure(let partial as JobPartialResult): partial.interruption == .timeLimit ? .timeLimit : .cancelled
            case .failure(let error): .failed(error)
            }
        }
    }
}
