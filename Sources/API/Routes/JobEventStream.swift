import Dispatch
import Jobs
import MicroHTTP
import Synchronization
import JSON

/// A job's Server-Sent Events: `status` with the job at once, one event per progress update
/// (`epoch` for training jobs, `progress` for the others: `JobKind`), a final `done` event with the
/// job and its result, and a heartbeat comment every interval so a departed client is noticed.
/// Progress events are coalesced when the client reads slowly (`EventPacer`). The stream ends when
/// the job ends or the client leaves (the subscription is removed).
///
/// A training job's latest plot (the job's `attachment`) rides on the first `epoch` event after it
/// is published, and again on any event that replaces an unsent one (which may have carried it), so a
/// slow reader's latest event has the latest plot while the others are not sent the same plot twice.
enum JobEventStream {
    /// The streamed response for job `id`, or `nil` if there is no such job.
    static func open(_ id: JobID, jobs: any JobBackend, heartbeat: Duration) async throws(APIError) -> HTTPResponse? {
        let stream = HTTPResponseStream()
        let pacer = EventPacer(stream: stream)
        // The sequence of the last attachment offered. A job's events come one at a time (from its
        // thread), so an event not pending at the check cannot become pending, and be replaced, before
        // the offer that follows it.
        let offeredAttachment = Mutex(0)
        let watched = try await JobRoutes.backend { () throws(JobBackendError) in
            try await jobs.watch(
                id,
                { event in
                    switch event.change {
                    case .finished:
                        pacer.finish(with: Self.event("done", JobRepresentation.finished(event.job)))
                    case .started, .progressed:
                        let attachment = event.job.attachment.flatMap { attachment in
                            offeredAttachment.withLock { offered -> JobAttachment? in
                                guard attachment.sequence > offered || pacer.hasPendingEvent else { return nil }
                                offered = attachment.sequence
                                return attachment
                            }
                        }
                        pacer.offer(progressEvent(event.job, attachment: attachment))
                    case .queued, .cancelRequested, .rejected:
                        return
                    }
                })
        }
        guard let (current, subscription) = watched else { return nil }
        stream.write(event("status", JobRepresentation.summary(current)))
        if let subscription {
            // Two heartbeats in a row with bytes waiting and none taken: the client stopped reading.
            let stalledBeats = Mutex(0)
            let timer = RepeatingTimer(every: heartbeat, on: EventPacer.queue) {
                let stalled = stalledBeats.withLock { beats in
                    beats = stream.isStalled() ? beats + 1 : 0
                    return beats >= 2
                }
                if stalled { stream.abort() } else { pacer.comment(Array(": heartbeat\n\n".utf8)) }
            }
            stream.onClose { _ in
                timer.cancel()
                jobs.unsubscribe(subscription)
            }
        } else {
            pacer.finish(with: event("done", JobRepresentation.finished(current)))
        }
        return HTTPResponse(
            status: 200,
            headers: [
                ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no"),
            ],
            stream: stream)
    }

    /// A progress event of `job`'s kind: for training, `epoch` with its progress values (`epoch`,
    /// `epochs`, `loss`, `validation_loss`, …, and the attachment's `curve` or `boundary` and
    /// `plot_epoch` when given), or `status` when it has just started; for other kinds `progress`.
    static func progressEvent(_ job: JobSnapshot, attachment: JobAttachment? = nil) -> [UInt8] {
        let kind = JobKind(rawValue: job.kind)
        guard let kind, kind.progressEventIsValuesOnly else {
            return event(kind?.progressEventName ?? "progress", JobRepresentation.progress(job))
        }
        guard !job.progress.isEmpty else { return event("status", JobRepresentation.summary(job)) }
        return event(kind.progressEventName, JobRepresentation.progressObject(job, attachment: attachment))
    }

    /// One SSE event: `event: NAME` and the JSON on one `data:` line (JSONWriter never writes newlines).
    static func event(_ name: String, _ data: JSONValue) -> [UInt8] {
        event(name, JSONWriter.bytes(data))
    }

    /// One SSE event with JSON already written (by JSONWriter: one line).
    static func event(_ name: String, _ json: [UInt8]) -> [UInt8] {
        Array("event: \(name)\ndata: ".utf8) + json + Array("\n\n".utf8)
    }
}
