import Foundation
import Jobs
import PostgresNIO
import Synchronization

extension PostgresJobBackend {
    /// Claims queued jobs whenever the doorbell rings (a notification, a finished local job, the
    /// poll), as many as this replica has free workers.
    func claimLoop() async {
        for await _ in rings where !Task.isCancelled {
            await claimWhileFree()
        }
    }

    private func claimWhileFree() async {
        while !Task.isCancelled {
            // Submissions come first: a claim does not hold workers while it asks, so a job submitted
            // meanwhile starts here at once, and a claimed job no worker is left for goes back.
            let free = state.withLock { state -> Int in
                guard state.phase == .ready, state.databaseReachable else { return 0 }
                return state.freeWorkers(of: runner.configuration.maxConcurrentJobs)
            }
            guard free > 0 else { return }
            var claimed: [(JobID, String, [UInt8], String?, Int)] = []
            do {
                let rows = try await fetch(
                    """
                    WITH next AS MATERIALIZED (
                        SELECT id FROM nabla_jobs WHERE status = 'queued' ORDER BY created_at, id
                        LIMIT \(free) FOR UPDATE SKIP LOCKED)
                    UPDATE nabla_jobs j
                       SET status = 'running', worker = \(settings.replicaID), attempt = j.attempt + 1,
                           started_at = now(), lease_expires_at = now() + make_interval(secs => \(settings.lease.seconds)),
                           seq = j.seq + 1, updated_at = clock_timestamp()
                      FROM next WHERE j.id = next.id
                    RETURNING j.id, j.kind, j.request, j.owner, j.attempt
                    """
                )
                for row in rows {
                    let (uuid, kind, request, owner, attempt) = try row.decode(
                        (UUID, String, ByteBuffer, String?, Int).self)
                    guard let id = JobID(uuid.uuidString.replacing("-", with: "")) else { continue }
                    claimed.append((id, kind, Array(request.readableBytesView), owner, attempt))
                }
            } catch {
                warn("claiming jobs failed", error)
                markUnreachable()
                return
            }
            let surplus = state.withLock { state -> [JobID] in
                let room = state.freeWorkers(of: runner.configuration.maxConcurrentJobs)
                for (id, _, _, _, attempt) in claimed.prefix(room) { state.local[id] = LocalRun(attempt: attempt) }
                return claimed.dropFirst(room).map(\.0)
            }
            if !surplus.isEmpty {
                claimed.removeLast(surplus.count)
                state.withLock { state in
                    for id in surplus { state.local[id] = LocalRun(attempt: 0, released: true) }
                }
                await release(surplus)
            }
            for (id, kind, request, owner, attempt) in claimed {
                do {
                    let work = try await registry.work(kind: kind, request: request)
                    runLocally(
                        id: id, kind: kind, request: request, owner: owner, attempt: attempt, correlationID: nil,
                        work: work)
                } catch {
                    let failure =
                        error as? JobFailure
                        ?? JobFailure(
                            .failed(code: "invalid_request"), message: "the stored request cannot be run: \(error)")
                    Task { await self.writeEnd(id, attempt: attempt, failedWith: failure) }
                }
            }
            if claimed.count < free || !surplus.isEmpty { return }
        }
    }

    /// Runs a job this replica holds on the local runner's kept lane.
    func runLocally(
        id: JobID, kind: String, request: [UInt8], owner: String?, attempt: Int, correlationID: String?,
        work: @escaping JobRunner.Work
    ) {
        do throws(JobSubmissionError) {
            try runner.submit(
                kind: kind, request: request, lane: .kept, owner: owner, correlationID: correlationID, id: id,
                work: work)
            logger.debug(
                "job started here", metadata: ["job": .stringConvertible(id), "attempt": .stringConvertible(attempt)])
        } catch {
            // The local runner drains: give the job back (or let its lease lapse if that fails).
            Task { await self.release([id]) }
        }
    }

    /// The local runner's news of the jobs this replica runs: progress is written at most every
    /// `progressInterval` (the latest values win), the plot at most every `plotInterval`; the end is
    /// always written.
    func localEvent(_ event: JobEvent) {
        guard event.lane == .kept else { return }
        let id = event.job.id
        switch event.change {
        case .progressed:
            let start = state.withLock { state -> Bool in
                guard state.local[id] != nil else { return false }
                state.local[id]!.pending = event.job.progress
                if let plot = event.job.attachment { state.local[id]!.pendingPlot = plot }
                guard !state.local[id]!.writing else { return false }
                state.local[id]!.writing = true
                return true
            }
            if start { Task { await self.writeProgress(id) } }
        case .finished:
            guard let run = state.withLock({ $0.local[id] }) else { return }
            if run.released { return }
            Task { await self.writeEnd(event.job, attempt: run.attempt) }
        case .queued, .started, .cancelRequested, .rejected:
            return
        }
    }

    /// Writes job `id`'s pending progress, then again while more arrived meanwhile, spaced by
    /// `progressInterval`. Fenced: nothing changes unless the row is still this replica's attempt.
    private func writeProgress(_ id: JobID) async {
        while !Task.isCancelled {
            let wait = state.withLock { state in
                state.local[id]?.progressWrittenAt.map { settings.progressInterval - (.now - $0) } ?? .zero
            }
            if wait > .zero { try? await Task.sleep(for: wait) }
            let taken = state.withLock { state -> (attempt: Int, values: [String: Double], plot: JobAttachment?)? in
                guard var run = state.local[id], let values = run.pending else {
                    state.local[id]?.writing = false
                    return nil
                }
                run.pending = nil
                state.local[id] = run
                guard let plot = run.pendingPlot, plot.sequence > run.writtenPlot,
                    run.plotWrittenAt.map({ ContinuousClock.now - $0 >= settings.plotInterval }) ?? true
                else { return (run.attempt, values, nil) }
                return (run.attempt, values, plot)
            }
            guard let (attempt, progress, plot) = taken else { return }
            do {
                let rows: [PostgresRow]
                if let plot {
                    rows = try await fetch(
                        """
                        UPDATE nabla_jobs SET progress = \(ProgressCodec.text(progress)),
                            plot = \(ByteBuffer(bytes: PlotCodec.bytes(plot.members))), plot_seq = \(plot.sequence),
                            seq = seq + 1, updated_at = clock_timestamp()
                         WHERE id = \(JobRow.uuid(id)) AND worker = \(settings.replicaID) AND attempt = \(attempt)
                           AND status = 'running'
                        RETURNING cancel_requested
                        """
                    )
                } else {
                    rows = try await fetch(
                        """
                        UPDATE nabla_jobs SET progress = \(ProgressCodec.text(progress)), seq = seq + 1,
                            updated_at = clock_timestamp()
                         WHERE id = \(JobRow.uuid(id)) AND worker = \(settings.replicaID) AND attempt = \(attempt)
                           AND status = 'running'
                        RETURNING cancel_requested
                        """
                    )
                }
                var cancel = false
                for row in rows { cancel = try row.decode(Bool.self) }
                if cancel { _ = runner.cancel(id) }
            } catch {
                logger.warning(
                    "progress not written",
                    metadata: ["job": .stringConvertible(id), "error": .string(Self.describe(error))])
            }
            state.withLock { state in
                state.local[id]?.progressWrittenAt = .now
                if let plot {
                    state.local[id]?.writtenPlot = plot.sequence
                    state.local[id]?.plotWrittenAt = .now
                }
            }
        }
    }

    /// Writes how a job this replica ran ended, retrying while the database cannot be reached (until
    /// the lease would have lapsed: by then another replica has the job). Fenced like progress.
    func writeEnd(_ job: JobSnapshot, attempt: Int) async {
        let reason = job.failure?.reason.storedCode
        let message = job.failure?.message
        let result = job.result.map { ByteBuffer(bytes: $0) }
        let id = job.id
        var backoff = Backoff()
        let giveUp = ContinuousClock.now + settings.lease
        while true {
            do {
                let rows = try await fetch(
                    """
                    UPDATE nabla_jobs SET status = \(job.status.rawValue), result = \(result),
                        progress = \(ProgressCodec.text(job.progress)), failure_reason = \(reason),
                        failure_message = \(message), cancel_requested = cancel_requested OR \(job.cancelRequested),
                        finished_at = now(), lease_expires_at = NULL, worker = NULL, plot = NULL, seq = seq + 1,
                        updated_at = clock_timestamp()
                     WHERE id = \(JobRow.uuid(id)) AND worker = \(settings.replicaID) AND attempt = \(attempt)
                       AND status = 'running'
                    RETURNING seq
                    """
                )
                let written = !rows.isEmpty
                if !written {
                    logger.warning(
                        "job end not written: its lease was lost (another replica runs it)",
                        metadata: ["job": .stringConvertible(id), "attempt": .stringConvertible(attempt)])
                }
                break
            } catch {
                markUnreachable()
                if ContinuousClock.now > giveUp {
                    logger.error(
                        "job end not written: the database stayed unreachable past the lease",
                        metadata: ["job": .stringConvertible(id), "error": .string(Self.describe(error))])
                    break
                }
                await backoff.wait()
            }
        }
        state.withLock { _ = $0.local.removeValue(forKey: id) }
        doorbell.yield()
    }

    /// Ends a claimed job that cannot run (its stored request no longer parses).
    func writeEnd(_ id: JobID, attempt: Int, failedWith failure: JobFailure) async {
        var job = JobSnapshot(id: id, kind: "", request: [])
        job.status = .failed
        job.failure = failure
        await writeEnd(job, attempt: attempt)
    }
}
