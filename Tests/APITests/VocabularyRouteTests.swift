import API
import Foundation
import Testing
import JSON

/// One vocabulary across endpoints: descent's optimizer as training's (`sgd`, `gd` an alias, a name or
/// an object, the same default learning rates), other libraries' names refused with Nabla's word,
/// each known field listed once, the loss function's name apart from loss values, and a named
/// `function` in `/v1/derivative` as in `/v1/gradient`.
@Suite struct VocabularyRouteTests {
    let harness = APIHarness()

    /// `p ← p − lr·2p` on `w^2`, written out independently of the engine.
    func descentPath(start: Double, rate: Double, steps: Int) -> [Double] {
        var path = [start]
        for _ in 0..<steps { path.append(path.last! - rate * (2 * path.last!)) }
        return path
    }

    func problemText(_ json: JSONValue) -> String {
        ([json["detail"]?.text ?? ""] + json["errors"]!.elements.compactMap { $0["detail"]?.text }).joined(
            separator: " | ")
    }

    @Test(arguments: [#""optimizer": "sgd","#, #""optimizer": "gd","#, "", #""optimizer": {"name": "sgd"},"#])
    func descentCallsPlainGradientDescentSgdAndReadsGdAsIt(_ optimizer: String) throws {
        let (status, json) = harness.postJSON(
            "/v1/descent", #"{"expression": "w^2", "start": [5], \#(optimizer) "learning_rate": 0.4, "steps": 5}"#)
        #expect(status == 200)
        #expect(json["optimizer"] == "sgd")
        let path = json["path"]?.elements.compactMap { $0.numberArray.first } ?? []
        #expect(path == descentPath(start: 5, rate: 0.4, steps: 5))
    }

    @Test func descentTakesTheOptimizerAsAnObjectAsTrainingDoes() {
        let flat = harness.postJSON(
            "/v1/descent",
            #"{"function": "rosenbrock", "start": [-1.5, 2], "optimizer": "adam", "beta1": 0.8, "learning_rate": 0.05, "steps": 50}"#
        )
        let object = harness.postJSON(
            "/v1/descent",
            #"{"function": "rosenbrock", "start": [-1.5, 2], "optimizer": {"name": "adam", "beta1": 0.8, "learning_rate": 0.05}, "steps": 50}"#
        )
        #expect(flat.status == 200 && object.status == 200)
        #expect(flat.json["path"] == object.json["path"])
        #expect(object.json["learning_rate"] == .number(0.05))
        let other = harness.postJSON(
            "/v1/descent", #"{"function": "rosenbrock", "start": [-1.5, 2], "optimizer": "adam", "steps": 50}"#)
        #expect(other.json["path"] != object.json["path"])
    }

    /// Without a learning rate, descent uses training's defaults: 0.01, and 0.001 for adam.
    @Test func descentDefaultsTheLearningRateAsTrainingDoes() {
        let sgd = harness.postJSON("/v1/descent", #"{"expression": "w^2", "start": [5], "steps": 3}"#)
        #expect(sgd.status == 200)
        #expect(sgd.json["learning_rate"] == .number(0.01))
        let path = sgd.json["path"]?.elements.compactMap { $0.numberArray.first } ?? []
        #expect(path == descentPath(start: 5, rate: 0.01, steps: 3))
        let adam = harness.postJSON(
            "/v1/descent", #"{"expression": "w^2", "start": [5], "optimizer": "adam", "steps": 3}"#)
        #expect(adam.json["learning_rate"] == .number(0.001))
        // Adam's first step is lr·sign(g) to within lr·ε/|g|.
        let first = adam.json["path"]?.elements.dropFirst().first?.numberArray.first ?? 0
        #expect(abs(first - (5 - 0.001)) <= 2e-12)
    }

    @Test func trainingReadsGdAsSgd() {
        let sgd = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 3, "optimizer": "sgd"}"#)
        let gd = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 3, "optimizer": "gd"}"#)
        #expect(sgd.status == 200 && gd.status == 200)
        #expect(gd.job["request"]?["optimizer"]?["name"] == "sgd")
        #expect(sgd.job["result"]?["config_hash"] == gd.job["result"]?["config_hash"])
    }

    @Test(arguments: [
        ("/v1/train", #"{"preset": "clothing-size", "loss": "binary_crossentropy"}"#, "/loss", "binary_cross_entropy"),
        ("/v1/train", #"{"preset": "clothing-size", "loss": "categorical_crossentropy"}"#, "/loss", "cross_entropy"),
        ("/v1/train", #"{"preset": "clothing-size", "loss": "mean_squared_error"}"#, "/loss", "mse"),
        (
            "/v1/train", #"{"preset": "clothing-size", "validation_split": 0.2}"#, "/validation_split",
            "split.validation"
        ),
        ("/v1/train", #"{"preset": "clothing-size", "lr": 0.1}"#, "/lr", "learning_rate"),
        ("/v1/train", #"{"preset": "clothing-size", "optimizer": "SGD"}"#, "/optimizer", "sgd"),
        ("/v1/train", #"{"preset": "clothing-size", "epoch": 3}"#, "/epoch", "epochs"),
        ("/v1/descent", #"{"expression": "w^2", "start": [1], "optimizer": "SGD"}"#, "/optimizer", "sgd"),
        ("/v1/descent", #"{"expression": "w^2", "start": [1], "lr": 0.1}"#, "/lr", "learning_rate"),
    ])
    func otherLibrariesNamesAreRefusedWithNablasWord(_ path: String, _ body: String, _ pointer: String, _ word: String)
    {
        let (status, json) = harness.postJSON(path, body)
        #expect(status == 400)
        #expect(json.firstPointer == pointer, "\(json)")
        #expect(problemText(json).contains("did you mean '\(word)'?"), "\(problemText(json))")
    }

    @Test func theKnownFieldsAreListedOnceEach() throws {
        let (status, json) = harness.postJSON("/v1/train", #"{"preset": "clothing-size", "optimizr": "adam"}"#)
        #expect(status == 400)
        let detail = try #require(json["errors"]?.elements.first?["detail"]?.text)
        #expect(detail.contains("did you mean 'optimizer'?"))
        let list = try #require(detail.components(separatedBy: "known fields: ").last)
        let names = list.components(separatedBy: ", ")
        #expect(names.count == Set(names).count, "\(list)")
        #expect(names.contains("optimizer"))
    }

    /// The result names the loss function `loss_function`; `loss` (the same name, deprecated) stays
    /// for existing clients, while progress and events carry the loss value as `loss`.
    @Test func aTrainingResultNamesItsLossFunctionApartFromLossValues() throws {
        let (status, job) = harness.trainAndWait(#"{"preset": "clothing-size", "epochs": 20}"#)
        #expect(status == 200)
        let result = try #require(job["result"])
        #expect(result["loss_function"] == "mse")
        #expect(result["loss"] == "mse")
        let history = result["loss_history"]?.numberArray ?? []
        #expect(job["progress"]?["loss"]?.number == history.last)
    }

    /// `function_1` is 0.01x² + 0.1x: its central difference at 5 with h = 1e-4, computed here.
    @Test func theDerivativeTakesANamedFunctionAsTheGradientDoes() throws {
        let (status, json) = harness.postJSON(
            "/v1/derivative", #"{"function": "function_1", "at": 5, "method": "central", "h": 0.0001}"#)
        #expect(status == 200)
        #expect(json["function"] == "function_1")
        #expect(json["variable"] == "x")
        let f = { (x: Double) in 0.01 * x * x + 0.1 * x }
        let h = 0.0001
        let central = (f(5 + h) - f(5 - h)) / (2 * h)
        let derivative = try #require(json["derivative"]?.number)
        #expect(abs(derivative - central) <= 1e-12, "\(derivative) vs \(central)")
        let sphere = harness.postJSON("/v1/derivative", #"{"function": "sphere", "at": 3}"#)
        #expect(sphere.status == 200 && sphere.json["derivative"] == .number(6))
    }

    @Test(arguments: [
        (#"{"function": "rosenbrock", "at": 1}"#, 400, "/function"),
        (#"{"function": "function_1", "expression": "x", "at": 1}"#, 400, "/function"),
        (#"{"function": "function_1", "variable": "t", "at": 1}"#, 400, "/variable"),
        (#"{"at": 1}"#, 400, "/expression"),
        (#"{"function": "rosenbrok", "at": 1}"#, 404, ""),
    ])
    func theDerivativesNamedFunctionErrorsSayWhatIsWrong(_ body: String, _ status: Int, _ pointer: String) {
        let answer = harness.postJSON("/v1/derivative", body)
        #expect(answer.status == status, "\(answer.json)")
        if !pointer.isEmpty { #expect(answer.json.firstPointer == pointer, "\(answer.json)") }
    }
}

/// Misspelt names of functions and methods are answered with the closest known one.
@Suite struct MisspeltNameTests {
    let harness = APIHarness()

    @Test(arguments: [
        ("/v1/gradient", #"{"function": "rosenbrok", "at": [1, 2]}"#, "rosenbrock"),
        ("/v1/derivative", #"{"function": "function1", "at": 1}"#, "function_1"),
        ("/v1/derivative", #"{"expression": "x^2", "at": 1, "method": "centrl"}"#, "central"),
        ("/v1/derivative", #"{"expression": "x^2", "at": 1, "method": "finite_difference"}"#, "central"),
        ("/v1/gradient", #"{"expression": "x^2", "at": [1], "method": "backprop"}"#, "reverse"),
    ])
    func theAnswerNamesTheClosestKnownName(_ path: String, _ body: String, _ suggestion: String) {
        let (status, json) = harness.postJSON(path, body)
        #expect(status == 400 || status == 404)
        let text = ([json["detail"]?.text ?? ""] + (json["errors"]?.elements ?? []).compactMap { $0["detail"]?.text })
            .joined(separator: " | ")
        #expect(text.contains("did you mean '\(suggestion)'?"), "\(text)")
    }
}
