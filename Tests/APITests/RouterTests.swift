import API
import Foundation
import Jobs
import MicroHTTP
import Testing

@Suite struct RouterTests {
    let harness = APIHarness()

    @Test func healthzAnswersOkWithARequestID() {
        let response = harness.send("GET", "/healthz")
        #expect(response.status == 200)
        #expect(response.json["status"] as? String == "ok")
        #expect(response.header("X-Request-Id")?.count == 16)
    }

    @Test func echoesTheClientsRequestIDAndReplacesAnUnprintableOne() {
        #expect(
            harness.send("GET", "/healthz", headers: [("X-Request-Id", "abc-123")]).header("X-Request-Id") == "abc-123")
        let replaced = harness.send("GET", "/healthz", headers: [("X-Request-Id", "bad id\u{01}")])
        #expect(replaced.header("X-Request-Id") != "bad id\u{01}")
    }

    @Test func unknownPathIsA404ProblemForAnyMethod() {
        for method in ["GET", "POST", "DELETE"] {
            let response = harness.send(method, "/v2/nothing", body: method == "POST" ? "{}" : nil)
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.json["type"] as? String == "urn:nabla:problem:not-found")
            #expect(response.json["status"] as? Int == 404)
        }
    }

    @Test func wrongMethodIsA405WithAllow() {
        let response = harness.send("POST", "/healthz", body: "{}")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        let jobs = harness.send("PUT", "/v1/jobs/\(JobID.random())")
        #expect(jobs.status == 405)
        #expect(jobs.header("Allow") == "GET, HEAD, DELETE")
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded"])
    func postWithoutAJSONContentTypeIs415(_ contentType: String?) {
        let response = harness.send("POST", "/v1/echo", body: "{}", contentType: contentType)
        #expect(response.status == 415)
        #expect(response.json["title"] as? String == "Unsupported media type")
    }

    @Test(arguments: [
        "application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json",
    ])
    func jsonContentTypesAreAccepted(_ contentType: String) {
        let response = harness.send("POST", "/v1/echo", headers: [("Content-Type", contentType)], body: #"{"a":[1,2]}"#)
        #expect(response.status == 200)
        #expect(response.bodyBytes.map { String(decoding: $0, as: UTF8.self) } == #"{"a":[1,2]}"#)
    }

    @Test func malformedJSONIsA400SayingWhere() {
        let response = harness.send("POST", "/v1/sleep", body: "{\"seconds\": }")
        #expect(response.status == 400)
        #expect(response.json["type"] as? String == "urn:nabla:problem:malformed-json")
        #expect(response.json["column"] as? Int == 13)
    }

    @Test func unknownFieldIsA400NamingItsPointer() {
        let response = harness.send("POST", "/v1/sleep", body: #"{"seconds": 0, "secnds": 1}"#)
        #expect(response.status == 400)
        #expect(response.problemPointers == ["/secnds"])
    }

    @Test(arguments: [
        (#"{"seconds": "1"}"#, "/seconds"), (#"{"seconds": -1}"#, "/seconds"), (#"{"seconds": 1e9}"#, "/seconds"),
        (#"{"wait": 1}"#, "/wait"), (#"[1]"#, ""),
    ])
    func wrongTypesAndRangesAre400sNamingThePointer(_ body: String, _ pointer: String) {
        let response = harness.send("POST", "/v1/sleep", body: body)
        #expect(response.status == 400)
        #expect(response.problemPointers == [pointer])
    }

    @Test func badQueryFlagIsA400NamingTheParameter() {
        let response = harness.send("POST", "/v1/sleep", query: [("wait", "maybe")], body: #"{"seconds":0}"#)
        #expect(response.status == 400)
        #expect(response.problemPointers == ["?wait"])
    }

    @Test func sleepJobIsAcceptedWith202AndLinks() throws {
        let response = harness.send("POST", "/v1/sleep", body: #"{"seconds": 0.05}"#)
        #expect(response.status == 202)
        let id = try #require(response.json["id"] as? String)
        #expect(response.header("Location") == "/v1/jobs/\(id)")
        let links = response.json["links"] as? [String: String]
        #expect(links?["events"] == "/v1/jobs/\(id)/events")
        #expect(harness.runner.waitUntilFinished(try #require(JobID(id)), timeout: .seconds(5))?.status == .succeeded)
        let job = harness.send("GET", "/v1/jobs/\(id)")
        #expect(job.status == 200)
        #expect(job.json["status"] as? String == "succeeded")
        #expect((job.json["request"] as? [String: Any])?["seconds"] as? Double == 0.05)
        #expect(((job.json["result"] as? [String: Any])?["slept_seconds"] as? Double ?? 0) >= 0.05)
    }

    @Test func waitAnswersWithTheFinishedJob() {
        let response = harness.send("POST", "/v1/sleep", query: [("wait", "true")], body: #"{"seconds": 0.01}"#)
        #expect(response.status == 200)
        #expect(response.json["status"] as? String == "succeeded")
    }

    @Test func unknownAndMalformedJobIDsAre404() {
        #expect(harness.send("GET", "/v1/jobs/\(JobID.random())").status == 404)
        #expect(harness.send("GET", "/v1/jobs/not-an-id").status == 404)
        #expect(harness.send("DELETE", "/v1/jobs/\(JobID.random())").status == 404)
    }

    @Test func aClientPastItsJobLimitGets429WithRetryAfterWhileAnotherClientIsAccepted() throws {
        let harness = APIHarness(
            jobs: JobRunnerConfiguration(maxConcurrentJobs: 1, queueLimit: 10, maxJobsPerClient: 2))
        let body = #"{"seconds": 5}"#
        for _ in 0..<2 { #expect(harness.send("POST", "/v1/sleep", body: body, from: "192.0.2.1").status == 202) }
        let refused = harness.send("POST", "/v1/sleep", body: body, from: "192.0.2.1")
        #expect(refused.status == 429)
        #expect(refused.headers.first { $0.name == "Retry-After" }?.value == "1")
        #expect(refused.headers.first { $0.name == "Content-Type" }?.value == "application/problem+json")
        #expect(refused.json["type"] as? String == "urn:nabla:problem:too-many-jobs")
        #expect((refused.json["detail"] as? String)?.contains("--max-jobs-per-client") == true)
        #expect(harness.send("POST", "/v1/sleep", body: body, from: "192.0.2.2").status == 202)
        harness.runner.shutdown(gracePeriod: .zero)
    }

    @Test func cancellingAFinishedJobIs409() throws {
        let response = harness.send("POST", "/v1/sleep", query: [("wait", "true")], body: #"{"seconds": 0}"#)
        let id = try #require(response.json["id"] as? String)
        let cancel = harness.send("DELETE", "/v1/jobs/\(id)")
        #expect(cancel.status == 409)
        #expect(cancel.json["type"] as? String == "urn:nabla:problem:conflict")
    }

    @Test func readyzIs503WithRetryAfterWhileDraining() {
        let harness = APIHarness()
        #expect(harness.send("GET", "/readyz").status == 200)
        harness.service.beginDraining()
        let response = harness.send("GET", "/readyz")
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "5")
    }

    @Test func listsRecentJobsNewestFirstAndChecksTheLimit() throws {
        let harness = APIHarness()
        let first = harness.send("POST", "/v1/sleep", body: #"{"seconds": 0}"#).json["id"] as? String
        let second = harness.send("POST", "/v1/sleep", body: #"{"seconds": 0}"#).json["id"] as? String
        let list = harness.send("GET", "/v1/jobs").json["jobs"] as? [[String: Any]]
        #expect(list?.compactMap { $0["id"] as? String } == [second, first].compactMap { $0 })
        #expect(harness.send("GET", "/v1/jobs", query: [("limit", "0")]).status == 400)
        #expect(
            harness.send("GET", "/v1/jobs", query: [("limit", "1")]).json["jobs"].map { ($0 as? [Any])?.count } == 1)
    }
}
