import TestSupport
import Foundation
import Jobs
import Synchronization
import Testing

@testable import API
@testable import MicroHTTP
import JSON

/// The model plotted while it learns (`curve` or `boundary` on `epoch` events and in a running job's
/// progress), its schedule, a slow reader's bounded buffer with plots, and the data's `points`.
@Suite struct TrainingLivePlotTests {
    let harness = APIHarness()

    /// One server-sent event: its name, its data parsed, and its size in bytes.
    struct Event {
        var name: String
        var data: [String: Any]
        var size: Int
    }

    /// The stream of `GET /v1/jobs/{id}/events`.
    func eventStream(_ id: String) throws -> HTTPResponseStream {
        let response = harness.send("GET", "/v1/jobs/\(id)/events")
        guard case .stream(let stream) = response.body else {
            Issue.record("the events answer is not a stream (status \(response.status))")
            throw CancellationError()
        }
        return stream
    }

    /// Takes everything buffered in `stream`, as libmicrohttpd's reader would; true once it has ended.
    func drain(_ stream: HTTPResponseStream, into bytes: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let pull = chunk.withUnsafeMutableBytes { stream.pull(into: $0.baseAddress!, capacity: $0.count) }
            switch pull {
            case .bytes(let count): bytes += chunk[..<count]
            case .endOfStream: return true
            default: return false
            }
        }
    }

    /// Reads `stream` to its end (or for 60 s): its events, in order.
    func readToEnd(_ stream: HTTPResponseStream) -> [Event] {
        var bytes: [UInt8] = []
        eventually(timeout: .seconds(60)) { drain(stream, into: &bytes) }
        return String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
            let lines = block.components(separatedBy: "\n")
            guard let name = lines.first(where: { $0.hasPrefix("event: ") })?.dropFirst(7),
                let data = lines.first(where: { $0.hasPrefix("data: ") })?.dropFirst(6),
                let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
            else { return nil }
            return Event(name: String(name), data: object, size: block.utf8.count + 2)
        }
    }

    /// Submits `body` and returns the 202 answer.
    func submit(_ body: String) throws -> [String: Any] {
        let response = harness.send("POST", "/v1/train", body: body)
        #expect(response.status == 202, "\(response.bodyBytes.map { String(decoding: $0, as: UTF8.self) } ?? "")")
        return response.json
    }

    @Test func epochEventsCarryTheFittedCurveAtMostFourTimesASecond() throws {
        let accepted = try submit(#"{"preset": "clothing-size", "epochs": 60000, "record_every": 500}"#)
        let id = try #require(accepted["id"] as? String)
        let events = readToEnd(try eventStream(id))
        #expect(events.first?.name == "status")
        let done = try #require(events.last)
        #expect(done.name == "done")
        let result = try #require(done.data["result"] as? [String: Any])
        let epochs = events.filter { $0.name == "epoch" }
        let plotted = epochs.filter { $0.data["curve"] != nil }
        // The first report is plotted before it is reported, so the stream's first epoch event has it.
        #expect(epochs.first.map { $0.data["curve"] != nil } ?? true)
        for event in plotted {
            let curve = try #require(event.data["curve"] as? [String: Any])
            #expect((curve["x"] as? [Double])?.count == 200)
            #expect((curve["y"] as? [Double])?.count == 200)
            #expect((curve["x"] as? [Double]) == (result["curve"] as? [String: Any])?["x"] as? [Double])
            let plotEpoch = try #require(event.data["plot_epoch"] as? Double)
            let epoch = try #require(event.data["epoch"] as? Double)
            #expect(plotEpoch <= epoch && plotEpoch.truncatingRemainder(dividingBy: 500) == 0)
            #expect(event.data["boundary"] == nil)
        }
        // Plots are at least 250 ms of training apart (the events cannot show more plots than that).
        let distinct = Set(plotted.compactMap { $0.data["plot_epoch"] as? Double })
        let duration = try #require(result["duration_ms"] as? Double)
        #expect(distinct.count <= 1 + Int(duration / 250), "\(distinct.count) plots in \(duration) ms")
        #expect(harness.runner.snapshot(try #require(JobID(id)))?.attachment == nil)
    }

    @Test func aSlowReadersBufferStaysBoundedAndItsLastEpochEventHasTheLatestBoundary() throws {
        // One event per epoch and a 100 × 100 grid (about 25 KB a plot) for a reader that reads nothing
        // until the run has ended: the pacer must keep one event pending, not let the buffer grow.
        let accepted = try submit(
            """
            {"dataset": "xor", "n": 100, "model": {"layers": [{"units": 4, "activation": "tanh"}, {}]},
             "loss": "binary_cross_entropy", "optimizer": "adam", "learning_rate": 0.05, "epochs": 1500,
             "record_every": 1, "boundary_resolution": 100}
            """)
        let id = try #require(accepted["id"] as? String)
        let stream = try eventStream(id)
        // The buffer's size after each of the job's events (every epoch's progress).
        let largest = Mutex(0)
        let jobID = try #require(JobID(id))
        _ = harness.runner.observe(jobID) { _ in
            let buffered = stream.bufferedByteCount
            largest.withLock { $0 = max($0, buffered) }
        }
        _ = harness.runner.waitUntilFinished(jobID, timeout: .seconds(60))
        let largestBuffer = largest.withLock { $0 }
        let events = readToEnd(stream)
        #expect(events.last?.name == "done")
        let epochs = events.filter { $0.name == "epoch" }
        let largestEvent = events.filter { $0.name != "done" }.map(\.size).max() ?? 0
        #expect(largestEvent > 20_000, "the plots are smaller than this test means them to be")
        #expect(largestBuffer <= 64 * 1024 + largestEvent, "the buffer grew to \(largestBuffer) bytes")
        #expect(epochs.count < 750, "\(epochs.count) of 1500 epoch events reached a reader that never read")
        let last = try #require(epochs.last)
        #expect(last.data["epoch"] as? Double == 1500)
        let boundary = try #require(last.data["boundary"] as? [String: Any])
        #expect((boundary["classes"] as? [[Double]])?.count == 100)
        #expect((boundary["classes"] as? [[Double]])?.allSatisfy { $0.count == 100 } == true)
        let plotEpochs = epochs.compactMap { $0.data["plot_epoch"] as? Double }
        #expect(last.data["plot_epoch"] as? Double == plotEpochs.max())
    }

    @Test func aRunningJobsProgressHasItsLatestPlotAndTheFinishedJobItsResult() throws {
        let accepted = try submit(#"{"preset": "clothing-size", "epochs": 1000000, "record_every": 1000}"#)
        let id = try #require(accepted["id"] as? String)
        let running = harness.poll(id) { $0["progress"]?["curve"] != nil || $0["status"]?.text != "running" }
        #expect(running["status"]?.text == "running")
        let progress = try #require(running["progress"])
        #expect(progress["curve"]?["x"]?.numberArray.count == 200)
        #expect(progress["curve"]?["y"]?.numberArray.count == 200)
        #expect((progress["plot_epoch"]?.number ?? .infinity) <= (progress["epoch"]?.number ?? 0))
        // Lists stay short: no plots in them.
        let listed = harness.send("GET", "/v1/jobs").json["jobs"] as? [[String: Any]] ?? []
        let summary = try #require(listed.first { $0["id"] as? String == id })
        #expect((summary["progress"] as? [String: Any])?["curve"] == nil)

        _ = harness.send("DELETE", "/v1/jobs/\(id)")
        let cancelled = harness.poll(id) { $0["status"]?.text == "cancelled" }
        #expect(cancelled["progress"]?["curve"] == nil)
        #expect(cancelled["result"]?["curve"]?["x"]?.numberArray.count == 200)
        #expect(harness.runner.snapshot(try #require(JobID(id)))?.attachment == nil)
    }

    @Test func theAcceptedAnswerAndTheResultCarryTheRawRows() throws {
        // Read with the service's own parser: Foundation's rounds some numbers differently.
        let (status, spiral) = harness.postJSON(
            "/v1/train",
            """
            {"dataset": "spiral", "n": 300, "noise": 0.1, "normalize": "zscore", "seed": 1, "epochs": 3,
             "model": {"layers": [{"units": 4}, {}]}, "loss": "cross_entropy", "split": {"validation": 0.2}}
            """)
        #expect(status == 202)
        let x = spiral["points"]?["x"]?.elements.map(\.numberArray) ?? []
        let y = spiral["points"]?["y"]?.numberArray ?? []
        #expect(x.count == 300 && x.allSatisfy { $0.count == 2 })
        #expect(y == (0..<300).map { Double($0 % 2) })  // the generated classes alternate
        #expect(x.contains { hypot($0[0], $0[1]) > 4 }, "the points are normalised, not raw")
        let id = try #require(spiral["id"]?.text)
        let finished = harness.poll(id) { $0["status"]?.text == "succeeded" }
        let resultPoints = try #require(finished["result"]?["points"])
        #expect(resultPoints["x"]?.elements.map(\.numberArray) == x)
        #expect(resultPoints["y"]?.numberArray == y)

        let (_, clothing) = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 1}"#)
        let sizes = clothing["result"]?["points"]
        #expect(
            sizes?["x"]?.elements.map(\.numberArray)
                == [0.8, 1.1, 1.7, 1.9, 2.7, 3.2, 3.7, 4, 5, 5.5, 6, 6.3].map { [$0] })
        #expect(sizes?["y"]?.numberArray == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])

        // Labels: each row's class index into `classes`.
        let (_, labelled) = harness.trainAndWait(
            #"""
            {"data": {"csv": "a,b,kind\n1,2,dog\n3,4,cat\n5,6,dog\n7,8,bird\n", "target": "kind"},
             "model": {"layers": [{}]}, "loss": "cross_entropy", "epochs": 1}
            """#)
        #expect(labelled["result"]?["classes"] == ["bird", "cat", "dog"])
        #expect(labelled["result"]?["points"]?["y"]?.numberArray == [2, 1, 2, 0])
        #expect(
            labelled["result"]?["points"]?["x"]?.elements.map(\.numberArray) == [[1, 2], [3, 4], [5, 6], [7, 8]])
    }

    @Test(arguments: [
        #"{"dataset": "iris", "model": {"layers": [{}]}, "loss": "cross_entropy", "epochs": 1}"#,
        #"{"dataset": "moons", "n": 5001, "model": {"layers": [{}]}, "loss": "binary_cross_entropy", "epochs": 1}"#,
    ])
    func pointsAreLeftOutForMoreThanTwoFeaturesOrMoreThan5000Rows(_ body: String) throws {
        let accepted = try submit(body)
        #expect(accepted["points"] == nil)
        let id = try #require(accepted["id"] as? String)
        let finished = harness.poll(id) { $0["status"]?.text == "succeeded" }
        #expect(finished["result"]?["final_loss"]?.number != nil)
        #expect(finished["result"]?["points"] == nil)
    }

    @Test func thePlotScheduleWaitsAQuarterSecondOrTwentyTimesThePlotsCost() {
        let start = ContinuousClock.now
        var schedule = LivePlotSchedule()
        #expect(schedule.isDue(at: start))
        // A cheap plot: the next is due 250 ms after it began.
        schedule.record(plotted: true, from: start, to: start + .milliseconds(1))
        #expect(!schedule.isDue(at: start + .milliseconds(249)))
        #expect(schedule.isDue(at: start + .milliseconds(250)))
        // A plot of 100 ms: the next waits 2 s, so plotting stays near 5% of the run.
        let later = start + .seconds(1)
        schedule.record(plotted: true, from: later, to: later + .milliseconds(100))
        #expect(!schedule.isDue(at: later + .milliseconds(1999)))
        #expect(schedule.isDue(at: later + .seconds(2)))
        // Nothing to plot: never asked again.
        schedule.record(plotted: false, from: later, to: later)
        #expect(!schedule.isDue(at: later + .seconds(3600)))
    }
}
