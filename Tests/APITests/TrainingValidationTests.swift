import API
import Foundation
import Jobs
import MicroHTTP
import NeuralNet
import Testing
import JSON

/// Every request that cannot run is a 400 at submission, naming the JSON pointer of the field, and
/// no job is created for it.
@Suite struct TrainingValidationTests {
    static let model = #""model": {"layers": [{"units": 2}, {}]}"#

    /// `data` with `x` and `y`, `layers` as the model's, and `extra` appended inside the body.
    static func inline(_ x: String, _ y: String, _ extra: String = "", layers: String = #"[{"units": 2}, {}]"#)
        -> String
    {
        #"{"data": {"x": \#(x), "y": \#(y)}, "model": {"layers": \#(layers)}\#(extra)}"#
    }

    static func csv(_ text: String, _ extra: String = "", layers: String = #"[{"units": 2}, {}]"#) -> String {
        #"{"data": {"csv": "\#(text)", "target": "y"}, "model": {"layers": \#(layers)}\#(extra)}"#
    }

    static let badRequests: [(name: String, body: String, pointer: String)] = [
        ("ragged rows", inline("[[1, 2], [3]]", "[0, 1]"), "/data/x/1"),
        ("empty data", inline("[]", "[]"), "/data/x"),
        ("an empty row", inline("[[]]", "[1]"), "/data/x/0"),
        ("y shorter than x", inline("[[1], [2], [3]]", "[0, 1]"), "/data/y"),
        (
            "a class index out of range",
            inline("[[1], [2]]", "[0, 3]", #", "loss": "cross_entropy""#, layers: #"[{"units": 2}, {"units": 3}]"#),
            "/data/y/1"
        ),
        (
            "a fractional class index",
            inline("[[1], [2]]", "[0, 0.5]", #", "loss": "cross_entropy""#, layers: #"[{"units": 2}, {"units": 2}]"#),
            "/data/y/1"
        ),
        (
            "a binary target outside [0, 1]", inline("[[1], [2]]", "[0, 2]", #", "loss": "binary_cross_entropy""#),
            "/data/y/1"
        ),
        (
            "too few rows for the split", inline("[[1], [2]]", "[0, 1]", #", "split": {"validation": 0.1}"#),
            "/split/validation"
        ),
        ("a number that is not a number", inline(#"[[1], ["2"]]"#, "[0, 1]"), "/data/x/1/0"),
        ("mixed targets", inline("[[1], [2]]", #"[0, "a"]"#), "/data/y/1"),
        ("a non-finite CSV value", csv(#"a,y\n1,0\nnan,1\n"#), "/data/csv"),
        ("a ragged CSV row", csv(#"a,y\n1,0\n2\n"#), "/data/csv"),
        ("a missing CSV target column", csv(#"a,b\n1,0\n"#), "/data/target"),
        (
            "a CSV class index out of range",
            csv(#"a,y\n1,0\n2,5\n"#, #", "loss": "cross_entropy""#, layers: #"[{"units": 2}, {"units": 2}]"#),
            "/data/csv"
        ),
        (
            "the wrong output activation",
            inline(
                "[[1], [2]]", "[0, 1]",
                #", "loss": "binary_cross_entropy""#, layers: #"[{"activation": "linear"}]"#),
            "/model/layers/0/activation"
        ),
        (
            "softmax in a hidden layer",
            inline("[[1], [2]]", "[0, 1]", "", layers: #"[{"units": 2, "activation": "softmax"}, {}]"#),
            "/model/layers/0/activation"
        ),
        (
            "weights of the wrong shape",
            inline("[[1], [2]]", "[0, 1]", "", layers: #"[{"weights": [[1, 2], [3, 4]]}, {}]"#),
            "/model/layers/0/weights"
        ),
        (
            "a hidden layer without units", inline("[[1], [2]]", "[0, 1]", "", layers: #"[{}, {}]"#),
            "/model/layers/0/units"
        ),
        ("no layers", inline("[[1], [2]]", "[0, 1]", "", layers: #"[]"#), "/model/layers"),
        ("no model", #"{"dataset": "xor"}"#, "/model"),
        ("no data", #"{"model": {"layers": [{}]}}"#, "/data"),
        ("data and dataset", inline("[[1]]", "[0]", #", "dataset": "xor""#), "/dataset"),
        ("an unknown dataset", #"{"dataset": "mnist", \#(model)}"#, "/dataset"),
        ("n for a fixed dataset", #"{"dataset": "iris", "n": 10, \#(model)}"#, "/n"),
        ("too few generated rows", #"{"dataset": "moons", "n": 1, \#(model)}"#, "/n"),
        ("negative noise", #"{"dataset": "moons", "noise": -1, \#(model)}"#, "/noise"),
        ("an unknown preset", #"{"preset": "mnist"}"#, "/preset"),
        ("an unknown field", #"{"preset": "clothing-size", "epoch": 5}"#, "/epoch"),
        ("zero epochs", #"{"preset": "clothing-size", "epochs": 0}"#, "/epochs"),
        ("a fractional epoch count", #"{"preset": "clothing-size", "epochs": 2.5}"#, "/epochs"),
        ("batch size zero", #"{"preset": "clothing-size", "batch_size": 0}"#, "/batch_size"),
        ("a negative learning rate", #"{"preset": "clothing-size", "learning_rate": -1}"#, "/learning_rate"),
        (
            "a learning rate given twice",
            #"{"preset": "clothing-size", "learning_rate": 1, "optimizer": {"learning_rate": 1}}"#, "/learning_rate"
        ),
        (
            "a zero optimizer learning rate", #"{"preset": "clothing-size", "optimizer": {"learning_rate": 0}}"#,
            "/optimizer/learning_rate"
        ),
        (
            "momentum of 1", #"{"preset": "clothing-size", "optimizer": {"name": "momentum", "momentum": 1}}"#,
            "/optimizer/momentum"
        ),
        (
            "an Adam parameter for SGD", #"{"preset": "clothing-size", "optimizer": {"name": "sgd", "beta1": 0.5}}"#,
            "/optimizer/beta1"
        ),
        ("an unknown optimizer", #"{"preset": "clothing-size", "optimizer": "lbfgs"}"#, "/optimizer"),
        ("an optimizer of the wrong type", #"{"preset": "clothing-size", "optimizer": 5}"#, "/optimizer"),
        ("init_scale without a scaled init", #"{"preset": "clothing-size", "init_scale": 1}"#, "/init_scale"),
        ("a zero init_scale", #"{"preset": "clothing-size", "init": "normal", "init_scale": 0}"#, "/init_scale"),
        (
            "split fractions that do not sum to 1",
            #"{"preset": "clothing-size", "split": {"train": 0.5, "test": 0.2}}"#, "/split"
        ),
        ("a negative seed", #"{"preset": "clothing-size", "seed": -1}"#, "/seed"),
        ("record_every zero", #"{"preset": "clothing-size", "record_every": 0}"#, "/record_every"),
        (
            "early stopping on validation without a split", #"{"preset": "clothing-size", "early_stopping": {}}"#,
            "/early_stopping/monitor"
        ),
        (
            "a negative patience",
            #"{"preset": "clothing-size", "early_stopping": {"monitor": "loss", "patience": -1}}"#,
            "/early_stopping/patience"
        ),
        ("a boundary of one cell", #"{"preset": "clothing-size", "boundary_resolution": 1}"#, "/boundary_resolution"),
        ("the body not an object", "[1, 2]", ""),
    ]

    @Test(arguments: badRequests)
    func badRequestsAre400WithThePointer(_ bad: (name: String, body: String, pointer: String)) {
        let harness = APIHarness()
        let (status, problem) = harness.postJSON("/v1/train", bad.body)
        #expect(status == 400, "\(bad.name)")
        #expect(problem["type"] == "urn:nabla:problem:invalid-request", "\(bad.name)")
        #expect(problem.firstPointer == bad.pointer, "\(bad.name): \(problem)")
        #expect(harness.runner.recent(limit: 10).isEmpty, "\(bad.name) created a job")
    }

    @Test func aNumberBeyondDoubleIsMalformedJSONWithItsPosition() {
        let (status, problem) = APIHarness().postJSON("/v1/train", Self.inline("[[1], [1e999]]", "[0, 1]"))
        #expect(status == 400)
        #expect(problem["type"] == "urn:nabla:problem:malformed-json")
        #expect(problem["column"] == 23)
    }

    static let limitCases: [(name: String, body: String, pointer: String, limit: String)] = [
        ("epochs", #"{"preset": "clothing-size", "epochs": 11}"#, "/epochs", "epochs"),
        (
            "layers", inline("[[1]]", "[0]", "", layers: #"[{"units": 1}, {"units": 1}, {"units": 1}, {}]"#),
            "/model/layers", "layers"
        ),
        (
            "parameters", inline("[[1]]", "[0]", #", "epochs": 1"#, layers: #"[{"units": 40}, {}]"#), "/model/layers",
            "parameters"
        ),
        ("samples × features", inline("[[1, 2, 3], [4, 5, 6]]", "[0, 1]", #", "epochs": 1"#), "/data", "data_values"),
        ("generated samples", #"{"dataset": "xor", "n": 100, "epochs": 1, \#(model)}"#, "/n", "data_values"),
        ("work", #"{"preset": "clothing-size", "epochs": 10, "dataset": "xor", "n": 40}"#, "/epochs", "work"),
    ]

    @Test(arguments: limitCases)
    func requestsBeyondALimitAre400NamingIt(_ beyond: (name: String, body: String, pointer: String, limit: String)) {
        var limits = TrainingLimits()
        limits.maximumEpochs = 10
        limits.maximumLayers = 3
        limits.maximumParameters = 100
        limits.maximumDataValues = 5
        limits.maximumWork = 2_000
        // The work case uses 40 rows × 2 features: allowed for it alone.
        if beyond.limit == "work" { limits.maximumDataValues = 100 }
        let harness = APIHarness(trainingLimits: limits)
        let (status, problem) = harness.postJSON("/v1/train", beyond.body)
        #expect(status == 400, "\(beyond.name)")
        #expect(problem.firstPointer == beyond.pointer, "\(beyond.name): \(problem)")
        let detail = problem["detail"]?.text ?? ""
        #expect(detail.contains("limit '\(beyond.limit)'"), "\(beyond.name): \(detail)")
        #expect(harness.runner.recent(limit: 10).isEmpty)
    }

    @Test func aBadWaitQueryIsA400() {
        let response = APIHarness().send(
            "POST", "/v1/train", query: [("wait", "soon")], body: #"{"preset": "clothing-size"}"#)
        #expect(response.status == 400)
        #expect(response.problemPointers == ["?wait"])
    }
}
