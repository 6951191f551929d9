import API
import Foundation
import Jobs
import MicroHTTP
import Testing
import JSON

/// `POST /v1/jobs/{id}/predict`: the model kept with a finished training job, its normalisation and
/// its labels.
@Suite struct TrainingPredictionTests {
    let harness = APIHarness()

    func train(_ body: String) throws -> (id: String, result: JSONValue) {
        let (status, job) = harness.trainAndWait(body)
        #expect(status == 200)
        return (try #require(job["id"]?.text), try #require(job["result"]))
    }

    func predict(_ id: String, _ body: String) -> (status: Int, json: JSONValue) {
        harness.postJSON("/v1/jobs/\(id)/predict", body)
    }

    @Test func predictionsAreTheTrainedModelsCurve() throws {
        let (id, result) = try train(#"{"preset": "clothing-size", "epochs": 500}"#)
        let curveX = result["curve"]?["x"]?.numberArray ?? []
        let curveY = result["curve"]?["y"]?.numberArray ?? []
        #expect(curveX.count == 200)
        let rows = "[" + curveX.map { "[\(JSONWriter.string(.number($0)))]" }.joined(separator: ",") + "]"
        let (status, answer) = predict(id, #"{"x": \#(rows)}"#)
        #expect(status == 200)
        #expect(answer["outputs"]?.elements.map(\.numberArray) == curveY.map { [$0] })
        #expect(answer["class_indices"] == nil && answer["labels"] == nil)
        // Twice: the second comes from the cache and agrees.
        #expect(predict(id, #"{"x": [[3]]}"#).json == predict(id, #"{"x": [[3]]}"#).json)
    }

    @Test func classifiersPredictLabelsThroughTheStoredNormalization() throws {
        let (id, result) = try train(
            """
            {"dataset": "iris", "normalize": "zscore", "model": {"layers": [{"units": 6, "activation": "tanh"}, {}]},
             "loss": "cross_entropy", "optimizer": "adam", "learning_rate": 0.05, "epochs": 100, "seed": 1}
            """)
        #expect((result["final_accuracy"]?.number ?? 0) > 0.9)
        let (status, answer) = predict(id, #"{"x": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}"#)
        #expect(status == 200)
        #expect(answer["labels"] == ["setosa", "virginica"])
        #expect(answer["class_indices"] == [0, 2])
        for row in answer["outputs"]?.elements ?? [] {
            #expect(abs(row.numberArray.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test func aCancelledTrainingPredictsWithItsLastRecordedParameters() throws {
        let response = harness.send("POST", "/v1/train", body: #"{"preset": "clothing-size", "epochs": 1000000}"#)
        let id = try #require(response.json["id"] as? String)
        #expect(predict(id, #"{"x": [[3]]}"#).status == 409)  // still running: no model yet
        harness.poll(id) { ($0["progress"]?["epoch"]?.number ?? 0) > 0 }
        _ = harness.send("DELETE", "/v1/jobs/\(id)")
        harness.poll(id) { $0["status"] == "cancelled" }
        let (status, answer) = predict(id, #"{"x": [[3]]}"#)
        #expect(status == 200)
        #expect(answer["outputs"]?.elements.first?.numberArray.count == 1)
    }

    @Test func badPredictionsAreAnsweredWithThePointerOrTheJobsState() throws {
        let (id, _) = try train(#"{"preset": "clothing-size", "epochs": 5}"#)
        let cases: [(body: String, status: Int, pointer: String?)] = [
            (#"{"x": [[1, 2]]}"#, 400, "/x/0"),
            (#"{"x": [[1], [2, 3]]}"#, 400, "/x/1"),
            (#"{"x": []}"#, 400, "/x"),
            (#"{"x": [["a"]]}"#, 400, "/x/0/0"),
            (#"{}"#, 400, "/x"),
            (#"{"x": [[1]], "y": [1]}"#, 400, "/y"),
        ]
        for bad in cases {
            let (status, problem) = predict(id, bad.body)
            #expect(status == bad.status, "\(bad.body)")
            #expect(problem.firstPointer == bad.pointer, "\(bad.body): \(problem)")
        }
        #expect(predict(String(repeating: "0", count: 32), #"{"x": [[1]]}"#).status == 404)
        #expect(predict("not-an-id", #"{"x": [[1]]}"#).status == 404)
        let sleep = harness.send("POST", "/v1/sleep", query: [("wait", "true")], body: #"{"seconds": 0}"#)
        let sleepID = try #require(sleep.json["id"] as? String)
        #expect(predict(sleepID, #"{"x": [[1]]}"#).status == 409)
    }
}
