import Foundation
import TestSupport
import Testing

/// Event streams are bounded: a few per client address, and a client that stops reading is dropped.
@Suite(.serialized) struct EventStreamLimitTests {
    /// Opens `/v1/jobs/{id}/events` from `source` and reads its head and first chunk (the `status`
    /// event); throws if the answer is not a stream.
    private func openStream(_ service: LiveService, _ id: String, from source: String? = nil) throws -> (
        RawHTTPClient, Int
    ) {
        let client = try service.client(from: source)
        client.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: x\r\n\r\n")
        let status = try client.streamResponse { _ in false }.status
        return (client, status)
    }

    @Test func aClientPastItsStreamLimitGets429AndItsPlaceBackWhenAStreamCloses() throws {
        let service = try LiveService(heartbeat: .milliseconds(100), maxStreamsPerClient: 2)
        let job = try service.client().postJSON("/v1/sleep", #"{"seconds": 10}"#)
        let id = try #require(job.json?["id"] as? String)
        var open = try (0..<2).map { _ in try openStream(service, id) }
        #expect(open.map(\.1) == [200, 200])

        let refused = try service.client().request("GET", "/v1/jobs/\(id)/events")
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "5")
        #expect(refused.json?["type"] as? String == "urn:nabla:problem:too-many-streams")
        // Another address is not affected.
        let (other, otherStatus) = try openStream(service, id, from: "127.0.0.2")
        #expect(otherStatus == 200)

        // Closing one stream gives its place back once the server notices (the next heartbeat).
        open.removeLast()
        let reopened = eventually(interval: .milliseconds(100)) {
            guard let (client, status) = try? openStream(service, id), status == 200 else { return false }
            open.append((client, status))
            return true
        }
        #expect(reopened)
        _ = service.client  // keep the service alive until here
        _ = other
        _ = try service.client().request("DELETE", "/v1/jobs/\(id)")
    }

    @Test func aClientThatStopsReadingIsDroppedWhileTheJobRuns() throws {
        let service = try LiveService(heartbeat: .milliseconds(200))
        let body = """
            {"dataset": "xor", "n": 40, "model": {"layers": [{"units": 4, "activation": "tanh"}, {}]},
             "epochs": 1000000, "record_every": 1}
            """
        let accepted = try service.client().postJSON("/v1/train", body)
        #expect(accepted.status == 202)
        let id = try #require(accepted.json?["id"] as? String)

        let reader = try RawHTTPClient(port: service.port, timeoutSeconds: 1, receiveBufferBytes: 4096)
        reader.send("GET /v1/jobs/\(id)/events HTTP/1.1\r\nHost: x\r\n\r\n")
        // Reads nothing: the buffers (its 4 KiB, the server's 64 KiB socket buffer and stream buffer) fill
        // within a second (an event every epoch, about 0.5 MB/s even in a debug build), then two
        // heartbeats pass with nothing taken.
        Thread.sleep(forTimeInterval: 5)  // the client not reading is the behaviour under test
        let status = try #require(service.client().request("GET", "/v1/jobs/\(id)").json?["status"] as? String)
        #expect(status == "running", "the job must outlive the check")
        #expect(reader.drainUntilClosed(within: 3), "the server still sends to a client that stopped reading")
        _ = try service.client().request("DELETE", "/v1/jobs/\(id)")
    }
}
