import Foundation
import TestSupport
import Testing

/// `nabla serve --log-format json`: every line on standard output is one JSON object, with a line per
/// request and per job transition that carry the fields operators filter on.
@Suite struct LogFormatTests {
    @Test func jsonLinesCarryRequestAndJobFields() throws {
        let nabla = try NablaProcess(["--workers", "1", "--log-format", "json"]) { line in
            (Self.object(line)?["port"] as? Int).flatMap { UInt16(exactly: $0) }
        }
        let (process, reader, listening, port) = (nabla.process, nabla.output, nabla.listening, nabla.port)
        let client = try RawHTTPClient(port: port)
        let created = try client.postJSON(
            "/v1/sleep", #"{"seconds": 0.05, "wait": true}"#, headers: ["X-Request-Id": "log-test-1"])
        #expect(created.status == 200)
        let jobID = try #require(created.json?["id"] as? String)
        #expect(try client.request("GET", "/v1/jobs/\(jobID)").status == 200)
        #expect(try client.request("GET", "/no-such-file").status == 404)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let lines = (listening + "\n" + reader.rest()).split(separator: "\n").map(String.init)
        let objects = lines.compactMap(Self.object)
        #expect(objects.count == lines.count, "lines that are not JSON objects: \(lines)")
        for object in objects {
            #expect(object["time"] is String && object["level"] is String && object["message"] is String)
        }
        let requests = objects.filter { $0["message"] as? String == "request" }
        let post = try #require(requests.first { $0["request_id"] as? String == "log-test-1" })
        #expect(post["route"] as? String == "/v1/sleep")
        #expect(post["status"] as? Int == 200)
        #expect((post["duration_ms"] as? Double ?? 0) >= 50)
        let get = try #require(requests.first { $0["path"] as? String == "/v1/jobs/\(jobID)" })
        #expect(get["route"] as? String == "/v1/jobs/{id}")
        #expect(get["job_id"] as? String == jobID)
        #expect(requests.contains { $0["route"] as? String == "static" && $0["status"] as? Int == 404 })

        let transitions = objects.filter { $0["message"] as? String == "job" && $0["job_id"] as? String == jobID }
        #expect(transitions.map { $0["state"] as? String } == ["running", "succeeded"])
        #expect(transitions.allSatisfy { $0["kind"] as? String == "sleep" && $0["logger"] as? String == "nabla.jobs" })
        #expect(transitions.allSatisfy { $0["request_id"] as? String == "log-test-1" })
        #expect((transitions.last?["duration_ms"] as? Double ?? 0) >= 50)
    }

    /// The line as a JSON object, or nil.
    static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
