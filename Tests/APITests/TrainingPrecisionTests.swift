import API
import JSON
import Jobs
import Testing

/// `"precision"` in `POST /v1/train`: float32 trains in single precision and says so; float64 is the
/// default; anything else is a 400 naming the field.
@Suite struct TrainingPrecisionTests {
    static func body(_ precision: String?) -> String {
        let field = precision.map { #", "precision": "\#($0)""# } ?? ""
        return #"{"dataset": "moons", "n": 120, "model": {"layers": [{"units": 16, "activation": "relu"}, {}]}, "#
            + #""loss": "binary_cross_entropy", "epochs": 15, "batch_size": 32\#(field)}"#
    }

    @Test func float32TrainsInSinglePrecisionAndSaysSo() throws {
        let harness = APIHarness()
        let (status32, job32) = harness.trainAndWait(Self.body("float32"))
        let (status64, job64) = harness.trainAndWait(Self.body(nil))
        #expect(status32 == 200 && status64 == 200)
        let single = try #require(job32["result"])
        let double = try #require(job64["result"])
        #expect(single["precision"] == "float32")
        #expect(double["precision"] == "float64")
        let history32 = single["loss_history"]?.numberArray ?? []
        let history64 = double["loss_history"]?.numberArray ?? []
        #expect(history32.count == 15 && history64.count == 15)
        // The same run in two precisions: close (float32 keeps about 7 digits), but not the same numbers.
        let worst = zip(history32, history64).map { abs($0 - $1) / abs($1) }.max() ?? 1
        #expect(worst < 1e-4, "float32 strays \(worst) from float64")
        #expect(history32 != history64)
        #expect(single["config_hash"] != double["config_hash"])
    }

    @Test func anUnknownPrecisionIsA400NamingTheField() {
        let harness = APIHarness()
        let (status, problem) = harness.postJSON("/v1/train", Self.body("float16"))
        #expect(status == 400)
        #expect(problem.firstPointer == "/precision")
        let detail = problem["detail"]?.text ?? ""
        #expect(detail.contains("'float64', 'float32'"), "\(detail)")
        #expect(harness.runner.recent(limit: 10).isEmpty)
    }
}
