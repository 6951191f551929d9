import API
import Foundation
import Jobs
import MicroHTTP
import NeuralNet
import Testing
import JSON

/// `POST /v1/train` through the API (no socket): the seed experiment, presets and overrides, results,
/// and the job's life.
@Suite struct TrainingRouteTests {
    let harness = APIHarness()

    /// The seed's parameter names in the order of the result's layers: w11_1, w12_1, b1_1, b2_1, w11_2,
    /// w21_2, b1_2.
    func seedParameters(_ result: JSONValue) -> [String: Double] {
        let layers = result["parameters"]?["layers"]?.elements ?? []
        guard layers.count == 2 else { return [:] }
        let hiddenWeights = layers[0]["weights"]?.elements.first?.numberArray ?? []
        let hiddenBiases = layers[0]["biases"]?.numberArray ?? []
        let outputWeights = (layers[1]["weights"]?.elements ?? []).flatMap(\.numberArray)
        let outputBias = layers[1]["biases"]?.numberArray ?? []
        guard hiddenWeights.count == 2, hiddenBiases.count == 2, outputWeights.count == 2, outputBias.count == 1
        else { return [:] }
        return [
            "w11_1": hiddenWeights[0], "w12_1": hiddenWeights[1], "b1_1": hiddenBiases[0], "b2_1": hiddenBiases[1],
            "w11_2": outputWeights[0], "w21_2": outputWeights[1], "b1_2": outputBias[0],
        ]
    }

    @Test func thePresetReproducesTheSeedNetworkAfter500And5000Epochs() throws {
        let reference = try seedNetworkReference()
        let runs = reference["runs"]?.elements ?? []
        #expect(runs.count == 2)
        for run in runs {
            let epochs = try #require(run["epochs"]?.number)
            let body = epochs == 5000 ? #"{"preset": "clothing-size"}"# : #"{"preset": "clothing-size", "epochs": 500}"#
            let (status, job) = harness.trainAndWait(body)
            #expect(status == 200)
            let result = try #require(job["result"])
            let history = result["loss_history"]?.numberArray ?? []
            #expect(history.count == Int(epochs))
            #expect(result["stopped"] == "epochs")
            var worst = 0.0
            func check(_ actual: Double?, _ expected: Double?) {
                guard let actual, let expected else {
                    Issue.record("missing value")
                    return
                }
                worst = max(worst, abs(actual - expected) / max(abs(expected), 1e-300))
            }
            check(history.first, run["loss_history_first"]?.number)
            check(history.last, run["loss_history_last"]?.number)
            if let at999 = run["loss_history_at_999"]?.number { check(history[999], at999) }
            check(result["final_loss"]?.number, run["final_loss"]?.number)
            let parameters = seedParameters(result)
            #expect(parameters.count == 7)
            for (name, expected) in run["final"].map({ if case .object(let m) = $0 { m } else { [] } }) ?? [] {
                check(parameters[name], expected.number)
            }
            #expect(worst <= 1e-9, "worst relative error \(worst) after \(epochs) epochs")
            #expect(result["curve"]?["x"]?.numberArray.count == 200)
            #expect(result["curve"]?["y"]?.numberArray.count == 200)
        }
    }

    @Test func fieldsBesideAPresetReplaceItsOwn() throws {
        let reference = try seedNetworkReference()
        let run500 = try #require(reference["runs"]?.elements.first)
        let (_, shorter) = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 500}"#)
        #expect(shorter["result"]?["loss_history"]?.numberArray.last == run500["loss_history_last"]?.number)

        let (_, slower) = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 3, "learning_rate": 0.1}"#)
        #expect(slower["request"]?["optimizer"]?["learning_rate"] == 0.1)
        #expect(slower["request"]?["model"] == shorter["request"]?["model"])

        let (_, adam) = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 3, "optimizer": "adam"}"#)
        #expect(adam["request"]?["optimizer"]?["name"] == "adam")
        #expect(adam["request"]?["optimizer"]?["learning_rate"] == 0.001)

        let (_, ownData) = harness.trainAndWait(
            #"{"preset": "clothing-size", "epochs": 2, "data": {"x": [[1], [2], [3]], "y": [0, 1, 0]}}"#)
        #expect(ownData["result"]?["rows"]?["train"] == 3)
        #expect(ownData["request"]?["dataset"] == nil)
        #expect(ownData["request"]?["data"]?["x"] == [[1], [2], [3]])
    }

    @Test func theSameConfigurationHasTheSameHashAndBitIdenticalResults() throws {
        let explicit = """
            {"model": {"layers": [{"activation": "sigmoid", "weights": [[0.1, 0.9]], "biases": [0.6, -1.5]},
                                  {"activation": "sigmoid", "weights": [[0.1], [0.9]], "biases": [0.2]}]},
             "optimizer": {"name": "sgd", "learning_rate": 0.5}, "epochs": 300, "dataset": "clothing-size",
             "loss": "mse", "record_every": 3}
            """
        let (_, a) = harness.trainAndWait(explicit)
        let (_, b) = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 300}"#)
        let hash = try #require(a["result"]?["config_hash"]?.text)
        #expect(hash.count == 64)
        #expect(b["result"]?["config_hash"]?.text == hash)
        #expect(a["result"]?["loss_history"] == b["result"]?["loss_history"])
        #expect(a["result"]?["parameters"] == b["result"]?["parameters"])

        let seeded = #"{"dataset": "moons", "n": 40, "noise": 0.1, "model": {"layers": [{"units": 4}, {}]}, "#
        let (_, first) = harness.trainAndWait(seeded + #""loss": "binary_cross_entropy", "epochs": 5, "seed": 7}"#)
        let (_, again) = harness.trainAndWait(seeded + #""loss": "binary_cross_entropy", "epochs": 5, "seed": 7}"#)
        let (_, other) = harness.trainAndWait(seeded + #""loss": "binary_cross_entropy", "epochs": 5, "seed": 8}"#)
        #expect(first["result"]?["config_hash"] == again["result"]?["config_hash"])
        #expect(first["result"]?["loss_history"] == again["result"]?["loss_history"])
        #expect(first["result"]?["config_hash"] != other["result"]?["config_hash"])
    }

    @Test func aSubmissionIs202WithLinksAndLocationThenSucceeds() throws {
        let response = harness.send("POST", "/v1/train", body: #"{"preset": "clothing-size", "epochs": 50}"#)
        #expect(response.status == 202)
        let accepted = response.json
        let id = try #require(accepted["id"] as? String)
        #expect(response.headers.contains { $0.name == "Location" && $0.value == "/v1/jobs/\(id)" })
        let links = accepted["links"] as? [String: Any]
        #expect(links?["events"] as? String == "/v1/jobs/\(id)/events")
        let job = harness.poll(id) { $0["status"] == "succeeded" }
        #expect(job["kind"] == "train")
        #expect(job["progress"]?["epoch"] == 50)
        #expect(job["progress"]?["epochs"] == 50)
        #expect(job["result"]?["epochs_run"] == 50)
    }

    @Test func classificationReportsAccuraciesClassesTestAndAGradientCheck() throws {
        let (status, job) = harness.trainAndWait(
            """
            {"dataset": "iris", "normalize": "zscore", "split": {"validation": 0.2, "test": 0.2}, "seed": 3,
             "model": {"layers": [{"units": 6, "activation": "tanh"}, {}]}, "loss": "cross_entropy",
             "optimizer": "adam", "learning_rate": 0.05, "epochs": 60, "gradient_check": true}
            """)
        #expect(status == 200)
        let result = try #require(job["result"])
        #expect(result["classes"] == ["setosa", "versicolor", "virginica"])
        #expect(result["rows"] == ["train": 90, "validation": 30, "test": 30])
        #expect(result["accuracy_history"]?.numberArray.count == 60)
        #expect(result["validation_accuracy_history"]?.numberArray.count == 60)
        #expect(result["validation_loss_history"]?.numberArray.count == 60)
        #expect((result["test"]?["accuracy"]?.number ?? 0) > 0.8)
        #expect(result["normalization"]?["kind"] == "zscore")
        #expect(result["parameters"]?["layers"]?.elements.last?["activation"] == "softmax")
        let check = result["gradient_check"]?.elements ?? []
        #expect(check.count == 2)
        for layer in check { #expect((layer["max_relative_error"]?.number ?? 1) < 1e-6) }
        #expect(result["curve"] == nil && result["boundary"] == nil)
    }

    @Test func twoInputClassifiersGetABoundaryGrid() throws {
        let (_, job) = harness.trainAndWait(
            """
            {"dataset": "xor", "n": 60, "model": {"layers": [{"units": 4, "activation": "tanh"}, {}]},
             "loss": "binary_cross_entropy", "epochs": 5, "boundary_resolution": 7}
            """)
        let boundary = try #require(job["result"]?["boundary"])
        #expect(boundary["x"]?.numberArray.count == 7)
        #expect(boundary["y"]?.numberArray.count == 7)
        #expect(boundary["classes"]?.elements.count == 7)
        #expect(boundary["classes"]?.elements.allSatisfy { $0.numberArray.allSatisfy { $0 == 0 || $0 == 1 } } == true)
    }

    @Test func csvDataWithLabelsIsOneHotEncodedWithTheMappingReturned() throws {
        let csv = #"height,\"weight, kg\",size\n1.6,55,S\n1.7,70,M\r\n1.8,85,L\n\n1.65,60,S\n1.75,80,L\n"#
        let (status, job) = harness.trainAndWait(
            #"{"data": {"csv": "\#(csv)", "target": "size"}, "model": {"layers": [{"units": 3}, {}]}, "#
                + #""loss": "cross_entropy", "normalize": "minmax", "epochs": 3}"#)
        #expect(status == 200)
        #expect(job["result"]?["classes"] == ["L", "M", "S"])
        #expect(job["result"]?["rows"]?["train"] == 5)
        #expect(job["result"]?["parameters"]?["layers"]?.elements.first?["weights"]?.elements.count == 2)
    }

    @Test func aDivergingRunStopsWithItsFiniteHistoryAndNoNaN() throws {
        let response = harness.send(
            "POST", "/v1/train", query: [("wait", "true")],
            body: """
                {"data": {"x": [[1], [2], [3]], "y": [1, 2, 3]}, "model": {"layers": [{"units": 3, "activation": "relu"}, {}]},
                 "learning_rate": 1e6, "epochs": 1000, "init": "normal", "init_scale": 1, "seed": 1}
                """)
        #expect(response.status == 200)
        let text = String(decoding: response.bodyBytes ?? [], as: UTF8.self)
        #expect(!text.contains("NaN") && !text.contains("nan") && !text.lowercased().contains("inf"))
        let job = try JSONParser.parse(response.bodyBytes ?? [])
        #expect(job["status"] == "succeeded")
        let result = try #require(job["result"])
        #expect(result["stopped"] == "diverged")
        let history = result["loss_history"]?.numberArray ?? []
        #expect(history.count < 1000 && history.allSatisfy(\.isFinite))
        #expect(result["epochs_run"]?.number == Double(history.count))
    }

    @Test func earlyStoppingStopsAndCanRestoreTheBestEpoch() throws {
        let (_, job) = harness.trainAndWait(
            """
            {"dataset": "moons", "n": 60, "noise": 0.3, "split": {"validation": 0.3}, "seed": 2,
             "model": {"layers": [{"units": 8, "activation": "tanh"}, {}]}, "loss": "binary_cross_entropy",
             "optimizer": "adam", "learning_rate": 0.1, "epochs": 2000,
             "early_stopping": {"patience": 5, "restore_best": true}}
            """)
        let result = try #require(job["result"])
        #expect(result["stopped"] == "early_stopping")
        #expect((result["epochs_run"]?.number ?? 2000) < 2000)
        #expect(result["restored_epoch"]?.number != nil)
        #expect(job["request"]?["early_stopping"]?["monitor"] == "validation_loss")
    }

    @Test func cancellingARunningTrainingKeepsItsPartialHistory() throws {
        let response = harness.send("POST", "/v1/train", body: #"{"preset": "clothing-size", "epochs": 1000000}"#)
        let id = try #require(response.json["id"] as? String)
        harness.poll(id) { ($0["progress"]?["epoch"]?.number ?? 0) > 0 }
        #expect(harness.send("DELETE", "/v1/jobs/\(id)").status == 202)
        let job = harness.poll(id) { $0["status"] == "cancelled" }
        #expect(job["status"] == "cancelled")
        #expect(job["error"]?["reason"] == "cancelled")
        let result = try #require(job["result"])
        #expect(result["stopped"] == "cancelled")
        let history = result["loss_history"]?.numberArray ?? []
        #expect(!history.isEmpty && history.count < 1_000_000)
        #expect(result["epochs_run"]?.number == Double(history.count))
        #expect(result["parameters"]?["layers"]?.elements.count == 2)
    }

    @Test func aRunPastTheTimeLimitFailsWithTimeLimitAndKeepsItsHistory() throws {
        let harness = APIHarness(
            jobs: JobRunnerConfiguration(timeLimit: .milliseconds(200)), trainingLimits: TrainingLimits())
        let (status, job) = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 1000000}"#)
        #expect(status == 200)
        #expect(job["status"] == "failed")
        #expect(job["error"]?["reason"] == "time_limit")
        #expect(job["result"]?["stopped"] == "time_limit")
        #expect(!(job["result"]?["loss_history"]?.numberArray.isEmpty ?? true))
    }
}
