import Foundation
import TestSupport
import Testing

/// The `nabla` executable itself: stopped with SIGTERM, and restarted on the same `--state-dir`.
@Suite struct ShutdownTests {
    @Test func sigtermLetsTheRunningJobFinishFailsTheQueuedOneWithReasonShutdownAndExitsZero() throws {
        let nabla = try NablaProcess(["--workers", "1", "--grace-period", "10"])
        let client = try RawHTTPClient(port: nabla.port)
        let running = try #require(try client.postJSON("/v1/sleep", #"{"seconds": 1}"#).json?["id"] as? String)
        // An event stream of the running job: it must end with the job's final event.
        let events = try RawHTTPClient(port: nabla.port)
        events.send("GET /v1/jobs/\(running)/events HTTP/1.1\r\nHost: x\r\n\r\n")
        let queued = try RawHTTPClient(port: nabla.port)
        // A waiting request for a queued job: it must get an answer, not a dropped connection.
        queued.send(
            "POST /v1/sleep?wait=true HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"seconds\": 1}"
        )
        // Signalled once the waiting job is queued (the stream, asked first, needs no job to open).
        #expect(try eventually { try client.request("GET", "/readyz").json?["queued"] as? Int == 1 })

        let signalled = Date()
        nabla.process.interrupt()  // SIGINT drains like SIGTERM; send the real SIGTERM too
        kill(nabla.process.processIdentifier, SIGTERM)
        let answer = try queued.readResponse()
        #expect(answer.status == 200)
        #expect(answer.json?["status"] as? String == "failed")
        #expect((answer.json?["error"] as? [String: Any])?["reason"] as? String == "shutdown")
        var stream = ""
        _ = try events.streamResponse { chunk in
            stream += String(decoding: chunk, as: UTF8.self)
            return true
        }
        #expect(
            stream.contains("event: done\ndata: {\"id\":\"\(running)\",\"kind\":\"sleep\",\"status\":\"succeeded\""))

        nabla.process.waitUntilExit()
        let drained = Date().timeIntervalSince(signalled)
        #expect(nabla.process.terminationReason == .exit)
        #expect(nabla.process.terminationStatus == 0)
        // It waited for the 1 s job to finish, not for the whole grace period.
        #expect(drained > 0.5 && drained < 8, "drain took \(drained) s")
        let log = nabla.output.rest()
        #expect(log.contains("draining"))
        #expect(log.contains("drained, exiting"))
    }

    @Test func aRestartOnTheSameStateDirectoryLosesNoAcceptedJob() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nabla-state-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--workers", "1", "--grace-period", "0.5", "--state-dir", directory.path]

        let first = try NablaProcess(arguments)
        let client = try RawHTTPClient(port: first.port)
        let trained = try client.postJSON("/v1/train", #"{"preset": "clothing-size", "epochs": 300, "wait": true}"#)
        #expect(trained.status == 200)
        let trainedID = try #require(trained.json?["id"] as? String)
        let long = try #require(client.postJSON("/v1/sleep", #"{"seconds": 30}"#).json?["id"] as? String)
        let queued = try #require(client.postJSON("/v1/sleep", #"{"seconds": 1}"#).json?["id"] as? String)
        #expect(first.terminate() < 5)

        let second = try NablaProcess(arguments)
        let again = try RawHTTPClient(port: second.port)
        let back = try again.request("GET", "/v1/jobs/\(trainedID)")
        #expect(back.status == 200)
        #expect(back.json?["status"] as? String == "succeeded")
        #expect(back.text == trained.text, "the job document must come back byte for byte")
        for id in [long, queued] {
            let job = try again.request("GET", "/v1/jobs/\(id)")
            #expect(job.json?["status"] as? String == "failed")
            #expect((job.json?["error"] as? [String: Any])?["reason"] as? String == "shutdown")
        }
        let listed = try again.request("GET", "/v1/jobs").json?["jobs"] as? [[String: Any]] ?? []
        #expect(Set(listed.compactMap { $0["id"] as? String }) == [trainedID, long, queued])
        // A crash (SIGKILL: no drain at all) loses no accepted job either: it comes back failed.
        let crashed = try #require(again.postJSON("/v1/sleep", #"{"seconds": 30}"#).json?["id"] as? String)
        // The acceptance is written to disk within milliseconds.
        #expect(
            eventually {
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(crashed).job").path)
            })
        kill(second.process.processIdentifier, SIGKILL)
        second.process.waitUntilExit()
        #expect(second.output.rest().contains("jobs=3"))

        let third = try NablaProcess(arguments)
        let job = try RawHTTPClient(port: third.port).request("GET", "/v1/jobs/\(crashed)")
        #expect(job.json?["status"] as? String == "failed")
        #expect((job.json?["error"] as? [String: Any])?["reason"] as? String == "shutdown")
        third.terminate()
    }
}
