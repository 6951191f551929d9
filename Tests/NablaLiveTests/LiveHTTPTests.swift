import Foundation
import Jobs
import TestSupport
import Testing

/// The real server over real HTTP on 127.0.0.1.
@Suite struct LiveHTTPTests {
    @Test func healthzAnswers200() throws {
        let service = try LiveService()
        let response = try service.client().request("GET", "/healthz")
        #expect(response.status == 200)
        #expect(response.json?["status"] as? String == "ok")
        #expect(response.header("X-Request-Id") != nil)
    }

    @Test func errorsAreProblemJSONWithTheRightStatus() throws {
        let service = try LiveService(maxBodyBytes: 1000)
        let client = try service.client()
        let cases: [(RawHTTPClient.Response, Int)] = [
            (try client.request("GET", "/v1/nothing"), 404),
            (try client.request("DELETE", "/healthz"), 405),
            (
                try client.request("POST", "/v1/echo", headers: ["Content-Type": "text/plain"], body: Array("{}".utf8)),
                415
            ),
            (try client.postJSON("/v1/echo", "{\"a\": [1, 2"), 400),
            (try client.postJSON("/v1/sleep", #"{"seconds": 1, "extra": true}"#), 400),
            (try client.postJSON("/v1/echo", String(repeating: " ", count: 1001)), 413),
        ]
        for (response, status) in cases {
            #expect(response.status == status)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.json?["status"] as? Int == status)
            #expect(response.json?["type"] as? String != nil)
            #expect(response.json?["detail"] as? String != nil)
        }
        #expect(cases[1].0.header("Allow") == "GET, HEAD")
    }

    @Test func acceptsABodyOfExactlyTheLimitAndRefusesOneByteMore() throws {
        let limit = 1 << 20
        let service = try LiveService(maxBodyBytes: limit)
        let client = try service.client()
        let padding = limit - #"{"pad":""}"#.utf8.count
        let exact = #"{"pad":""# + String(repeating: "x", count: padding) + #""}"#
        #expect(exact.utf8.count == limit)
        let accepted = try client.postJSON("/v1/echo", exact)
        #expect(accepted.status == 200)
        #expect(accepted.body.count == limit)
        let over = #"{"pad":""# + String(repeating: "x", count: padding + 1) + #""}"#
        let refused = try service.client().postJSON("/v1/echo", over)
        #expect(refused.status == 413)
        #expect(refused.json?["title"] as? String == "Payload too large")
    }

    /// 100,000 points of 17 digits are ~2 MB: the routes that take numeric arrays accept them, the
    /// others keep the general 1 MiB limit.
    @Test func aHundredThousandPointDerivativeFitsWhileOtherRoutesKeepTheGeneralLimit() throws {
        let service = try LiveService()
        let points = (0..<100_000).map { -3 + 6 * Double($0) / 99_999 }
        let at = "[" + points.map { "\($0)" }.joined(separator: ",") + "]"
        let body = #"{"expression": "sin(x)", "at": \#(at), "method": "forward"}"#
        #expect(body.utf8.count > 1 << 20)
        let answer = try service.client().postJSON("/v1/derivative", body)
        #expect(answer.status == 200)
        let derivatives = answer.json?["derivative"] as? [Double] ?? []
        #expect(derivatives.count == points.count)
        #expect(derivatives.last.map { abs($0 - cos(3)) < 1e-12 } == true)
        let refused = try service.client().postJSON("/v1/echo", body)
        #expect(refused.status == 413)
    }

    @Test func answersTwoHundredConcurrentRequestsCorrectly() throws {
        let service = try LiveService()
        // 200 connections at once from four loopback addresses (50 each, under the per-address limit
        // of 64); each sends a distinct JSON body that comes back through the job runner.
        let clients = try (0..<200).map { try service.client(from: "127.0.0.\($0 % 4 + 1)") }
        for (index, client) in clients.enumerated() {
            let body = Array(#"{"n":\#(index)}"#.utf8)
            client.send(
                Array(
                    "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                        .utf8)
                    + body)
        }
        for (index, client) in clients.enumerated() {
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.json?["n"] as? Int == index)
        }
    }

    @Test func healthzAnswersAtOnceWhileJobsOccupyEveryWorker() throws {
        let service = try LiveService(workers: 2)
        let client = try service.client()
        for _ in 0..<2 { #expect(try client.postJSON("/v1/sleep", #"{"seconds": 3}"#).status == 202) }
        #expect(service.runner.load.running == 2)
        let started = Date()
        let health = try service.client().request("GET", "/healthz")
        let elapsed = Date().timeIntervalSince(started)
        #expect(health.status == 200)
        // The jobs hold both workers for 3 s; libmicrohttpd's threads are free, so this is immediate.
        #expect(elapsed < 1.0, "healthz took \(elapsed) s while the workers were busy")
    }

    @Test func cancelsAQueuedJobAndARunningJob() throws {
        let service = try LiveService(workers: 1)
        let client = try service.client()
        let running = try #require(try client.postJSON("/v1/sleep", #"{"seconds": 30}"#).json?["id"] as? String)
        let queued = try #require(try client.postJSON("/v1/sleep", #"{"seconds": 30}"#).json?["id"] as? String)
        #expect(try client.request("GET", "/v1/jobs/\(queued)").json?["status"] as? String == "queued")

        let cancelQueued = try client.request("DELETE", "/v1/jobs/\(queued)")
        #expect(cancelQueued.status == 200)
        #expect(cancelQueued.json?["status"] as? String == "cancelled")

        let cancelRunning = try client.request("DELETE", "/v1/jobs/\(running)")
        #expect(cancelRunning.status == 202)
        #expect(cancelRunning.json?["cancel_requested"] as? Bool == true)
        var status = ""
        try eventually(interval: .milliseconds(20)) {
            status = try client.request("GET", "/v1/jobs/\(running)").json?["status"] as? String ?? ""
            return status == "cancelled"
        }
        #expect(status == "cancelled")
        #expect(try client.request("DELETE", "/v1/jobs/\(running)").status == 200)  // idempotent
    }

    @Test func aFullJobQueueIsA503WithRetryAfterWhileSingleRequestsAreStillAnswered() throws {
        let service = try LiveService(workers: 1, queueLimit: 1)
        let client = try service.client()
        #expect(try client.postJSON("/v1/sleep", #"{"seconds": 5}"#).status == 202)
        #expect(try client.postJSON("/v1/sleep", #"{"seconds": 5}"#).status == 202)
        let refused = try client.postJSON("/v1/sleep", #"{"seconds": 5}"#)
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.json?["type"] as? String == "urn:nabla:problem:queue-full")
        let ready = try client.request("GET", "/readyz")
        #expect(ready.status == 503)
        #expect(ready.header("Retry-After") != nil)
        // Synchronous work has a lane of its own: the full job queue does not hold it up.
        let echo = try client.postJSON("/v1/echo", "{}")
        #expect(echo.status == 200)
    }

    @Test func streamsAJobsEventsUntilTheDoneEvent() throws {
        let service = try LiveService(heartbeat: .milliseconds(100))
        let client = try service.client()
        let id = try #require(try client.postJSON("/v1/sleep", #"{"seconds": 0.5}"#).json?["id"] as? String)
        let (head, text) = try service.eventStream(of: id)
        #expect(head.status == 200)
        #expect(head.headers.contains { $0.name == "Content-Type" && $0.value == "text/event-stream" })
        let names = text.components(separatedBy: "\n").filter { $0.hasPrefix("event: ") }.map {
            String($0.dropFirst(7))
        }
        #expect(names.first == "status")
        #expect(names.contains("progress"))
        #expect(names.last == "done")
        #expect(text.contains(": heartbeat"))
        let doneData = try #require(
            text.components(separatedBy: "event: done\ndata: ").last?.components(separatedBy: "\n").first)
        let done = try JSONSerialization.jsonObject(with: Data(doneData.utf8)) as? [String: Any]
        #expect(done?["status"] as? String == "succeeded")
        #expect(done?["id"] as? String == id)
    }

    @Test func servesTheWebPageAndTheOpenAPIDocument() throws {
        let service = try LiveService()
        let client = try service.client()
        let page = try client.request("GET", "/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        let openapi = try client.request("GET", "/openapi.json")
        #expect(openapi.json?["openapi"] as? String == "3.1.0")
        let head = try client.request("HEAD", "/healthz")
        #expect(head.status == 200)
    }
}
