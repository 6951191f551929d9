import Dispatch
import Jobs
import MicroHTTP
import Synchronization
import JSON

/// A job's Server-Sent Events: `status` with the job at once, one event per progress update
/// (`epoch` for training jobs, `progress` for the others), a final `done` event with the job and its
/// result, and a heartbeat comment every interval so a departed client is noticed. Progress events
/// are coalesced when the client reads slowly (`EventPacer`). The stream ends when the job ends or
/// the client leaves (the observer is removed).
///
/// A training job's latest plot (`LiveTrainingPlots`) rides on the first `epoch` event after it is
/// taken, and again on any event that replaces an unsent one (which may have carried it), so a slow
/// reader's latest event has the latest plot while the others are not sent the same plot twice.
enum JobEventStream {
    /// The streamed response for job `id`, or `nil` if there is no such job.
    static func open(_ id: JobID, runner: JobRunner, heartbeat: Duration) -> HTTPResponse? {
        let stream = HTTPResponseStream()
        let pacer = EventPacer(stream: stream)
        // The sequence of the last plot offered. Only the observer offers, and a job's observers are
        // called one at a time (on its thread): an event not pending at the check cannot become pending,
        // and be replaced, before the offer that follows it.
        let offeredPlot = Mutex(0)
        guard
            let (current, token) = runner.observe(
                id,
                { job in
                    if job.status.isFinished {
                        pacer.finish(with: event("done", JobRepresentation.finished(job)))
                        return
                    }
                    let plot = LiveTrainingPlots.shared.latest(for: job.id).flatMap { plot in
                        offeredPlot.withLock { offered -> LiveTrainingPlots.Plot? in
                            guard plot.sequence > offered || pacer.hasPendingEvent else { return nil }
                            offered = plot.sequence
                            return plot
                        }
                    }
                    pacer.offer(progressEvent(job, plot: plot))
                })
        else { return nil }
        stream.write(event("status", JobRepresentation.summary(current)))
        if let token {
            // Two heartbeats in a row with bytes waiting and none taken: the client stopped reading.
            let stalledBeats = Mutex(0)
            let timer = HeartbeatTimer(every: heartbeat, on: EventPacer.queue) {
                let stalled = stalledBeats.withLock { beats in
                    beats = stream.isStalled() ? beats + 1 : 0
                    return beats >= 2
                }
                if stalled { stream.abort() } else { pacer.comment(Array(": heartbeat\n\n".utf8)) }
            }
            stream.onClose { _ in
                timer.cancel()
                runner.removeObserver(id, token)
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

    /// A training job's `epoch` event (its progress: `epoch`, `epochs`, `loss`, `validation_loss`, …,
    /// and `plot`'s `curve` or `boundary` and `plot_epoch` when given), or `status` when it has just
    /// started; other jobs' `progress` event.
    static func progressEvent(_ job: JobSnapshot, plot: LiveTrainingPlots.Plot? = nil) -> [UInt8] {
        guard job.kind == TrainingRoutes.kind else { return event("progress", JobRepresentation.progress(job)) }
        guard !job.progress.isEmpty else { return event("status", JobRepresentation.summary(job)) }
        var progress = JSONWriter.bytes(JobRepresentation.progressObject(job))
        if let plot {
            progress.removeLast()  // the closing brace; the plot's members follow the progress values
            progress += plot.bytes
            progress.append(UInt8(ascii: "}"))
        }
        return event("epoch", progress)
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

/// A repeating Dispatch timer that may be cancelled from any thread.
final class HeartbeatTimer: @unchecked Sendable {
    // @unchecked: DispatchSource is thread-safe; the property is set once in init.
    private let source: any DispatchSourceTimer

    init(every interval: Duration, on queue: DispatchQueue, _ beat: @escaping @Sendable () -> Void) {
        source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + interval.seconds, repeating: interval.seconds)
        source.setEventHandler(handler: beat)
        source.resume()
    }

    func cancel() { source.cancel() }
}

extension Duration {
    /// In seconds, as Dispatch wants it.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
