import TestSupport
import API
import Foundation
import MicroHTTP
import Testing
import JSON

extension APIHarness {
    /// A JSON POST: the status and the body parsed by the service's own parser (`.null` if not JSON).
    func postJSON(_ path: String, _ body: String, query: [(name: String, value: String)] = []) -> (
        status: Int, json: JSONValue
    ) {
        let response = send("POST", path, query: query, body: body)
        return (response.status, (try? JSONParser.parse(response.bodyBytes ?? [])) ?? .null)
    }

    /// `GET /v1/jobs/{id}` parsed.
    func job(_ id: String) -> JSONValue {
        (try? JSONParser.parse(send("GET", "/v1/jobs/\(id)").bodyBytes ?? [])) ?? .null
    }

    /// Trains with `wait: true`; the finished job (200) or what the service answered instead.
    func trainAndWait(_ body: String) -> (status: Int, job: JSONValue) {
        let (status, job) = postJSON("/v1/train", body, query: [("wait", "true")])
        return (status, job)
    }

    /// Polls the job until `condition` holds or `seconds` pass; the last job seen.
    @discardableResult
    func poll(_ id: String, seconds: Double = 20, until condition: (JSONValue) -> Bool) -> JSONValue {
        var job = self.job(id)
        eventually(timeout: .milliseconds(Int64(seconds * 1000)), interval: .milliseconds(10)) {
            job = self.job(id)
            return condition(job)
        }
        return job
    }
}

extension JSONValue {
    /// The numbers of an array (empty for anything else).
    var numberArray: [Double] {
        guard case .array(let items) = self else { return [] }
        return items.compactMap { if case .number(let number) = $0 { number } else { nil } }
    }

    /// The number, if this is one.
    var number: Double? {
        if case .number(let number) = self { number } else { nil }
    }

    /// The string, if this is one.
    var text: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The elements of an array (empty for anything else).
    var elements: [JSONValue] {
        if case .array(let items) = self { items } else { [] }
    }

    /// The first problem pointer of a problem document.
    var firstPointer: String? {
        self["errors"]?.elements.first?["pointer"]?.text
    }
}

/// `|a − b| ≤ tolerance · max(|a|, |b|)`, or both 0.
func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b))
}

/// The seed experiments (the NeuralNet tests' copy of `../shared/reference/seed-experiments.json`).
func seedNetworkReference() throws -> JSONValue {
    let url = packageRoot.appendingPathComponent("Tests/NeuralNetTests/Reference/seed-experiments.json")
    let reference = try JSONParser.parse(Array(try Data(contentsOf: url)))
    return try #require(reference["seed_network"])
}
