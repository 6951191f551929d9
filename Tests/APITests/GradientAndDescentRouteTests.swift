import API
import Foundation
import MicroHTTP
import Testing
import JSON

/// `POST /v1/gradient`, `GET /v1/functions` and `POST /v1/descent` through the API (no socket).
@Suite struct GradientAndDescentRouteTests {
    let harness = APIHarness()

    func post(_ path: String, _ body: String) -> (status: Int, json: JSONValue) {
        let response = harness.send("POST", path, body: body)
        return (response.status, (try? JSONParser.parse(response.bodyBytes ?? [])) ?? .null)
    }

    func numbers(_ value: JSONValue?) -> [Double] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { if case .number(let n) = $0 { n } else { nil } }
    }

    @Test func namedFunction2HasTheSeedsGradientAtMinus3And4() {
        for method in ["reverse", "forward", "symbolic", "central"] {
            let (status, json) = post(
                "/v1/gradient", #"{"function": "function_2", "at": [-3, 4], "method": "\#(method)"}"#)
            #expect(status == 200)
            let gradient = numbers(json["gradient"])
            #expect(gradient.count == 2 && abs(gradient[0] + 6) < 1e-8 && abs(gradient[1] - 8) < 1e-8, "\(method)")
            #expect(json["norm"] == .number(10) || method == "central")
        }
    }

    @Test func variablesFollowFirstAppearanceAndANamedPointWorks() {
        let (status, json) = post(
            "/v1/gradient", #"{"expression": "y^2 * x", "at": {"x": 2, "y": 3}, "hessian": true}"#)
        #expect(status == 200)
        #expect(json["variables"] == ["y", "x"])
        #expect(numbers(json["gradient"]) == [12, 9])
        #expect(json["hessian"] == [[4, 6], [6, 0]])
    }

    @Test func symbolicPartialsPastTheNodeLimitAre422NamingTheWayOut() {
        // x/x/…/x at the length limit: its raw derivative tree has millions of nodes (shared as a DAG).
        let chain = "x" + String(repeating: "/x", count: 4_999)
        let (symbolic, problem) = post(
            "/v1/gradient", #"{"expression": "\#(chain)", "at": [1.5], "method": "symbolic"}"#)
        #expect(symbolic == 422)
        guard case .string(let detail)? = problem["detail"] else { Issue.record("no detail"); return }
        #expect(detail.contains("use method reverse or forward"))
        let (hessian, _) = post("/v1/gradient", #"{"expression": "\#(chain)", "at": [1.5], "hessian": true}"#)
        #expect(hessian == 422)
        let (reverse, json) = post("/v1/gradient", #"{"expression": "\#(chain)", "at": [1.5]}"#)
        #expect(reverse == 200)
        #expect(numbers(json["gradient"]).count == 1)
    }

    @Test func nDimensionalFunctionsTakeTheirDimensionFromThePoint() {
        let point = "[" + (1...50).map { "\($0)" }.joined(separator: ",") + "]"
        let (status, json) = post("/v1/gradient", #"{"function": "sphere", "at": \#(point)}"#)
        #expect(status == 200)
        #expect(numbers(json["gradient"]) == (1...50).map { 2 * Double($0) })
    }

    @Test(arguments: [
        (#"{"function": "nope", "at": [1]}"#, 404, "known functions: function_1"),
        (#"{"function": "booth", "at": [1, 2, 3]}"#, 400, "expected 2 numbers"),
        (#"{"expression": "x*y", "at": [1]}"#, 400, "expected 2 numbers"),
        (#"{"expression": "x*y", "function": "booth", "at": [1, 2]}"#, 400, "not both"),
        (#"{"at": [1]}"#, 400, "either 'function'"),
        (#"{"expression": "log(x)", "at": [-1]}"#, 422, "not finite"),
        (#"{"expression": "x", "at": {"y": 1}}"#, 400, "no value for x"),
        (#"{"expression": "x", "variables": ["x"], "at": {"y": 1}}"#, 400, "'y' is not a variable"),
    ])
    func gradientErrorsSayWhatIsWrong(_ body: String, _ status: Int, _ text: String) {
        let (got, json) = post("/v1/gradient", body)
        #expect(got == status)
        let words = JSONWriter.string(json)
        #expect(words.contains(text), "\(words)")
    }

    @Test func functionsListsTheSeedsAndTheClassicsWithMinima() {
        let response = harness.send("GET", "/v1/functions")
        #expect(response.status == 200)
        let json = (try? JSONParser.parse(response.bodyBytes ?? [])) ?? .null
        guard case .array(let functions)? = json["functions"] else {
            Issue.record("no functions")
            return
        }
        let names = functions.compactMap { if case .string(let s)? = $0["name"] { s } else { nil } }
        for name in [
            "function_1", "function_2", "sphere", "rosenbrock", "himmelblau", "rastrigin", "ackley", "beale", "booth",
            "matyas", "three_hump_camel",
        ] {
            #expect(names.contains(name), "\(name) missing")
        }
    }

    /// The seed: w² from 5 with lr 0.4 shrinks by a factor of 5 each step (5, 1, 0.2, …), bit for bit.
    @Test func descentReproducesTheSeedsPathsBitForBit() {
        let (status, json) = post(
            "/v1/descent", #"{"expression": "w^2", "start": [5], "learning_rate": 0.4, "steps": 5}"#)
        #expect(status == 200)
        guard case .array(let path)? = json["path"] else { return }
        #expect(
            path.flatMap(numbers) == [
                5.0, 1.0, 0.19999999999999996, 0.03999999999999998, 0.007999999999999993, 0.0015999999999999981,
            ])
        let (_, bowl) = post(
            "/v1/descent",
            #"{"expression": "x0^2 + x1^2", "start": [-3, 4], "learning_rate": 0.1, "steps": 100, "gradient": "central"}"#
        )
        #expect(numbers(bowl["final"]?["at"]) == [-6.111107928998789e-10, 8.148143905314271e-10])
        #expect(bowl["stopped"] == "steps")
    }

    @Test func severalLearningRatesRunSideBySideAndTheFleaDiverges() {
        let (status, json) = post(
            "/v1/descent",
            #"{"function": "function_2", "start": [-3, 4], "learning_rates": [1e-10, 0.1, 10], "steps": 200}"#)
        #expect(status == 200)
        guard case .array(let runs)? = json["runs"] else {
            Issue.record("no runs")
            return
        }
        #expect(runs.count == 3)
        #expect(runs[0]["stopped"] == "steps")
        // The ant: lr 1e-10 barely moves in 200 steps.
        let ant = numbers(runs[0]["final"]?["at"])
        #expect(ant.count == 2 && abs(ant[0] + 3) < 1e-6 && abs(ant[1] - 4) < 1e-6, "\(ant)")
        #expect(runs[2]["stopped"] == "diverged")
        #expect(!JSONWriter.string(json).contains("null"))
    }

    @Test func everyOptimizerConvergesOnTheBowl() {
        for optimizer in ["gd", "momentum", "nesterov", "adagrad", "adam"] {
            let rate = optimizer == "adagrad" ? 1.0 : 0.1
            let (status, json) = post(
                "/v1/descent",
                #"{"function": "function_2", "start": [-3, 4], "learning_rate": \#(rate), "steps": 2000, "optimizer": "\#(optimizer)", "tolerance": 1e-8}"#
            )
            #expect(status == 200)
            let final = numbers(json["final"]?["at"])
            #expect(final.count == 2 && final.allSatisfy { abs($0) < 1e-6 }, "\(optimizer): \(final)")
        }
    }

    @Test(arguments: [
        (#"{"expression": "x^2", "start": [1], "learning_rate": 0.1, "steps": 1000001}"#, "/steps"),
        (#"{"expression": "x^2", "start": [1], "learning_rate": 0.1, "optimizer": "sgd2"}"#, "/optimizer"),
        (#"{"expression": "x^2", "start": [1], "learning_rate": 0.1, "beta1": 0.5}"#, "/beta1"),
        (
            #"{"expression": "x^2", "start": [1], "learning_rate": 0.1, "optimizer": {"name": "adam", "learning_rate": 0.1}}"#,
            "/learning_rate"
        ),
        (#"{"expression": "x^2", "start": [1], "optimizer": {"name": "sgd2"}}"#, "/optimizer/name"),
        (#"{"expression": "x^2", "start": [1], "optimizer": {"name": "adam", "decay": 0.5}}"#, "/decay"),
        (#"{"expression": "x^2", "start": [1], "learning_rate": 0.1, "contour": {"n": 3}}"#, "/contour"),
        (
            #"{"expression": "x^2", "start": [1], "learning_rate": 0.1, "steps": 1000000, "learning_rates": [0.1]}"#,
            "/learning_rates"
        ),
    ])
    func descentRefusesBadSettingsNamingTheField(_ body: String, _ pointer: String) {
        let (status, json) = post("/v1/descent", body)
        #expect(status == 400)
        guard case .array(let issues)? = json["errors"] else {
            Issue.record("no errors: \(json)")
            return
        }
        #expect(issues.first?["pointer"] == .string(pointer), "\(json)")
    }
}
