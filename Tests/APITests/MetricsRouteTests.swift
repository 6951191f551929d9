import API
import Foundation
import Jobs
import MicroHTTP
import Testing

/// `GET /metrics` through the router (the Prometheus parser's view is in Tests/Metrics, against the
/// running binary).
@Suite struct MetricsRouteTests {
    /// The exposition's sample lines, `name{labels} value`.
    private func samples(_ harness: APIHarness) -> [String] {
        let response = harness.send("GET", "/metrics")
        #expect(response.status == 200)
        #expect(
            response.headers.first { $0.name == "Content-Type" }?.value.hasPrefix("text/plain; version=0.0.4") == true)
        return String(decoding: response.bodyBytes ?? [], as: UTF8.self).split(separator: "\n")
            .map(String.init).filter { !$0.hasPrefix("#") }
    }

    @Test func countsRequestsByRoutePatternNotRawPath() {
        let harness = APIHarness()
        #expect(harness.send("GET", "/v1/jobs/0123456789abcdef0123456789abcdef").status == 404)
        #expect(harness.send("GET", "/v1/jobs/fedcba9876543210fedcba9876543210").status == 404)
        #expect(harness.send("BREW", "/healthz").status == 405)
        let lines = samples(harness)
        #expect(lines.contains(#"nabla_http_requests_total{method="GET",route="/v1/jobs/{id}",status="404"} 2"#))
        #expect(lines.contains(#"nabla_http_requests_total{method="other",route="unmatched",status="405"} 1"#))
        #expect(!lines.contains { $0.contains("0123456789abcdef") })
        #expect(
            lines.contains {
                $0.hasPrefix(#"nabla_http_request_duration_seconds_count{method="GET",route="/v1/jobs/{id}"} 2"#)
            })
    }

    @Test func countsJobsByKindAndStateAndReportsTheRunnersLimits() throws {
        let harness = APIHarness()
        let response = harness.send("POST", "/v1/sleep", body: #"{"seconds": 0, "wait": true}"#)
        #expect(response.status == 200)
        #expect(harness.send("POST", "/v1/derivative", body: #"{"expression": "x^2", "at": 1}"#).status == 200)
        let lines = samples(harness)
        #expect(lines.contains(#"nabla_jobs_total{kind="sleep",state="running"} 1"#))
        #expect(lines.contains(#"nabla_jobs_total{kind="sleep",state="succeeded"} 1"#))
        #expect(lines.contains(#"nabla_jobs_total{kind="derivative",state="succeeded"} 1"#))
        #expect(lines.contains { $0.hasPrefix(#"nabla_job_duration_seconds_count{kind="sleep",state="succeeded"} 1"#) })
        #expect(lines.contains("nabla_job_queue_limit \(Double(harness.runner.configuration.queueLimit))"))
        #expect(lines.contains("nabla_job_queue_depth 0.0"))
        #expect(lines.contains { $0.hasPrefix("nabla_build_info{version=\"\(BuildInfo.version)\"") })
    }

    @Test func reportsRetainedBytesAndTheProcesssMemoryAndDescriptors() throws {
        let harness = APIHarness()
        #expect(harness.send("POST", "/v1/sleep", body: #"{"seconds": 0, "wait": true}"#).status == 200)
        let retained = harness.runner.retainedByteCount
        #expect(retained > 0)
        let lines = samples(harness)
        #expect(lines.contains("nabla_jobs_retained_bytes \(Double(retained))"))
        func value(_ name: String) -> Double? {
            lines.first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
        }
        // The process is this test runner: tens of megabytes resident, stdin/out/err at least open
        // (the exact figures are compared with /proc of the served binary in Tests/Metrics).
        #expect(try #require(value("process_resident_memory_bytes")) > 1_000_000)
        #expect(try #require(value("process_open_fds")) >= 3)
    }

    @Test func buildVersionIsTheOpenAPIDocumentsVersion() throws {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("Public/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((document["info"] as? [String: Any])?["version"] as? String == BuildInfo.version)
    }
}
