import Foundation
import TestSupport
import Testing

/// What a newcomer tries first, over real HTTP: the index and its guesses (`/v1`, `/v1/`, `/api`,
/// `/docs`, a misspelt operation), one vocabulary (descent's `sgd` and `gd`, another library's loss
/// name answered with Nabla's), and a blank CSV target.
@Suite struct NewcomerLiveTests {
    @Test func theIndexAndTheAddressesPeopleGuessLeadToIt() throws {
        let service = try LiveService()
        let client = try service.client()
        let index = try client.request("GET", "/v1")
        #expect(index.status == 200)
        let endpoints = index.json?["endpoints"] as? [[String: Any]] ?? []
        #expect(endpoints.contains { $0["method"] as? String == "POST" && $0["path"] as? String == "/v1/train" })
        #expect((index.json?["links"] as? [String: String])?["openapi"] == "/openapi.json")
        #expect(try client.request("GET", "/v1/").status == 200)
        let api = try client.request("GET", "/api")
        #expect(api.status == 308 && api.header("Location") == "/v1")
        // /docs: the page's API reference when one is served, else a temporary redirect to the index.
        let docs = try client.request("GET", "/docs")
        #expect(
            (docs.status == 307 && docs.header("Location") == "/v1")
                || (docs.status == 200 && docs.header("Content-Type")?.hasPrefix("text/html") == true),
            "\(docs.status)")
        let missing = try client.request("GET", "/v1/derivatives")
        #expect(missing.status == 404)
        #expect(missing.header("Content-Type") == "application/problem+json")
        #expect((missing.json?["detail"] as? String)?.contains("GET /v1 lists every operation") == true)
        let datasets = try client.request("GET", "/v1/datasets")
        let ids = (datasets.json?["datasets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains("iris") && ids.contains("clothing-size"))
    }

    @Test func descentSpeaksTrainingsVocabulary() throws {
        let service = try LiveService()
        let client = try service.client()
        var paths: [[[Double]]] = []
        for optimizer in [#""sgd""#, #""gd""#, #"{"name": "sgd", "learning_rate": 0.4}"#] {
            let rate = optimizer.hasPrefix("{") ? "" : #", "learning_rate": 0.4"#
            let response = try client.postJSON(
                "/v1/descent", #"{"expression": "w^2", "start": [5], "steps": 3, "optimizer": \#(optimizer)\#(rate)}"#)
            #expect(response.status == 200)
            #expect(response.json?["optimizer"] as? String == "sgd")
            paths.append((response.json?["path"] as? [[NSNumber]] ?? []).map { $0.map(\.doubleValue) })
        }
        // p ← p − lr·2p, by hand. (Foundation's JSON reader on Linux may miss the last bit of a
        // number: the API tests compare the same path bit for bit with Nabla's own reader.)
        var expected: [Double] = [5]
        for _ in 0..<3 { expected.append(expected.last! - 0.4 * (2 * expected.last!)) }
        for path in paths {
            let values = path.compactMap(\.first)
            #expect(values.count == expected.count, "\(path)")
            for (value, wanted) in zip(values, expected) {
                #expect(abs(value - wanted) <= 1e-15, "\(values) against \(expected)")
            }
        }
    }

    @Test func aKerasLossNameIsAnsweredWithNablasWord() throws {
        let service = try LiveService()
        let response = try service.client().postJSON(
            "/v1/train", #"{"preset": "clothing-size", "loss": "binary_crossentropy"}"#)
        #expect(response.status == 400)
        let detail = (response.json?["errors"] as? [[String: Any]])?.first?["detail"] as? String ?? ""
        #expect(detail.contains("did you mean 'binary_cross_entropy'?"), "\(detail)")
    }

    @Test func aBlankCSVTargetIsA400NamingItsLineAndColumn() throws {
        let service = try LiveService()
        let response = try service.client().postJSON(
            "/v1/train", #"{"data": {"csv": "a,b\n1,2\n3,\n5,6", "target": "b"}, "model": {"layers": [{}]}}"#)
        #expect(response.status == 400)
        let errors = response.json?["errors"] as? [[String: Any]] ?? []
        #expect(errors.first?["pointer"] as? String == "/data/csv")
        #expect((errors.first?["detail"] as? String)?.contains("line 3, column 'b': the target is blank") == true)
    }
}
