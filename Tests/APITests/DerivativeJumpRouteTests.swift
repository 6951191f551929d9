import API
import Foundation
import MicroHTTP
import Testing

/// `POST /v1/derivative` where f jumps or has a corner: no derivative is invented, in any method.
@Suite struct DerivativeJumpRouteTests {
    let harness = APIHarness()

    func derivative(_ body: String) -> (status: Int, json: [String: Any]) {
        let response = harness.send("POST", "/v1/derivative", body: body)
        return (response.status, response.json)
    }

    static let exactMethods = ["symbolic", "forward", "reverse"]
    static let quotients = ["central", "forward_difference", "backward_difference", "richardson", "complex_step"]

    @Test(arguments: [
        ("sign(x)", 0.0, -1.0, 1.0), ("step(x)", 0, 0, 1), ("floor(x)", 2, 1, 2), ("ceil(x)", 2, 2, 3),
        ("round(x)", 0.5, 0, 1), ("trunc(x)", -3, -3, -2), ("mod(x, 3)", 6, 3, 0), ("sign(x^2)", 0, 1, 1),
    ])
    func aJumpAnswersNullWithTheLimitsAWarningAndNoTangentInEveryMethod(
        _ expression: String, _ x: Double, _ left: Double, _ right: Double
    ) {
        for method in Self.exactMethods + Self.quotients {
            let (status, json) = derivative(
                #"{"expression": "\#(expression)", "at": \#(x), "method": "\#(method)"}"#)
            #expect(status == 200, "\(method): \(json)")
            #expect(json["derivative"] is NSNull, "\(expression) \(method): \(json["derivative"] ?? "missing")")
            #expect(json["left_limit"] as? Double == left, "\(expression) \(method)")
            #expect(json["right_limit"] as? Double == right, "\(expression) \(method)")
            #expect(json["tangent"] == nil)
            let warning = (json["warnings"] as? [String])?.first ?? ""
            #expect(warning.hasPrefix("f jumps at x = "), "\(warning)")
            #expect(warning.contains("no derivative"))
            #expect((json["difference_quotient"] != nil) == Self.quotients.contains(method), "\(method)")
        }
    }

    @Test func signAtZeroWithMethodAllHasNullExactMethodsAndQuotientsThatGrowLikeOneOverH() {
        let (status, json) = derivative(#"{"expression": "sign(x)", "at": 0, "method": "all", "h": 0.001}"#)
        #expect(status == 200)
        #expect(json["derivative"] is NSNull)
        let methods = json["methods"] as? [String: [String: Any]] ?? [:]
        #expect(methods.count == 8)
        for name in Self.exactMethods {
            #expect(methods[name]?["derivative"] is NSNull, "\(name)")
            #expect(methods[name]?["error"] is NSNull, "\(name)")
        }
        for name in Self.quotients {
            #expect(methods[name]?["error"] is NSNull, "\(name)")
            let note = methods[name]?["note"] as? String ?? ""
            #expect(note.hasPrefix("f jumps here, so there is no derivative"), "\(name)")
            #expect(note.contains("grows like 1/h") == (name != "complex_step"), "\(name): \(note)")
        }
        // (1 - (-1)) / 2h = 1/h.
        #expect(methods["central"]?["derivative"] as? Double == 1000)
        #expect(methods["central"]?["error_bound"] is NSNull)
        #expect((methods["central"]?["note"] as? String)?.contains("does not apply") == true)
    }

    /// step(x) is continuous from the left at 0: the backward difference does not see the jump.
    @Test func aOneSidedQuotientOnTheContinuousSideIsNotSaidToGrow() {
        let (status, json) = derivative(#"{"expression": "step(x)", "at": 0, "method": "all"}"#)
        #expect(status == 200)
        let methods = json["methods"] as? [String: [String: Any]] ?? [:]
        #expect(methods["backward_difference"]?["derivative"] as? Double == 0)
        #expect((methods["backward_difference"]?["note"] as? String)?.contains("does not straddle the jump") == true)
        #expect((methods["forward_difference"]?["note"] as? String)?.contains("grows like 1/h") == true)
    }

    @Test func absAtZeroWithMethodAllShowsTheOneSidedDerivativesInEveryExactMethod() {
        let (status, json) = derivative(#"{"expression": "abs(x)", "at": 0, "method": "all"}"#)
        #expect(status == 200)
        #expect(json["derivative"] is NSNull)
        #expect(json["left_derivative"] as? Double == -1)
        #expect(json["right_derivative"] as? Double == 1)
        let methods = json["methods"] as? [String: [String: Any]] ?? [:]
        for name in Self.exactMethods {
            #expect(methods[name]?["derivative"] is NSNull, "\(name): \(methods[name] ?? [:])")
            #expect(methods[name]?["left_derivative"] as? Double == -1, "\(name)")
            #expect(methods[name]?["right_derivative"] as? Double == 1, "\(name)")
        }
        #expect(methods["central"]?["derivative"] as? Double == 0)
        #expect(methods["forward_difference"]?["derivative"] as? Double == 1)
        #expect(methods["forward_difference"]?["error_bound"] is NSNull)
        #expect((methods["central"]?["note"] as? String)?.contains("corner") == true)
    }

    @Test func aSmoothPointKeepsItsDerivativeAndTangent() {
        let (status, json) = derivative(#"{"expression": "floor(x)*x^2", "at": 1.5}"#)
        #expect(status == 200)
        #expect(json["derivative"] as? Double == 3)
        #expect(json["derivative_expression"] as? String == "2*x*floor(x)")
        #expect((json["tangent"] as? [String: Double])?["slope"] == 3)
        #expect(json["warnings"] == nil)
    }

    @Test func theSecondDerivativeOfAbsAtZeroIsNullBecauseTheFirstJumps() {
        let (status, json) = derivative(#"{"expression": "abs(x)", "at": 0, "order": 2}"#)
        #expect(status == 200)
        #expect(json["derivative"] is NSNull)
        let warning = (json["warnings"] as? [String])?.first ?? ""
        #expect(warning.hasPrefix("f′ jumps at x = 0"), "\(warning)")
    }

    @Test func theSweepAtAJumpHasNoExactValueToCompareWith() {
        let (status, json) = derivative(#"{"expression": "step(x)", "at": 0, "sweep": true}"#)
        #expect(status == 200)
        let sweep = json["sweep"] as? [String: Any] ?? [:]
        #expect(sweep["exact"] is NSNull)
        #expect(sweep["best_h"] is NSNull)
        let samples = sweep["samples"] as? [[String: Any]] ?? []
        // (1 - 0) / 2h.
        #expect(samples.first?["derivative"] as? Double == 5)
    }

    @Test(arguments: [
        ("sign(x)", "symbolic", [0, nil, 0] as [Double?]), ("sign(x)", "central", [0, nil, 0]),
        ("abs(x)", "reverse", [-1, nil, 1]), ("abs(x)", "complex_step", [-1, 1, 1]),
        ("ceil(x/2)", "forward", [0, nil, 0]),
    ])
    func overAnArrayThePointsWithoutADerivativeAreNull(_ expression: String, _ method: String, _ expected: [Double?]) {
        let (status, json) = derivative(
            #"{"expression": "\#(expression)", "at": [-1, 0, 1], "method": "\#(method)"}"#)
        #expect(status == 200, "\(json)")
        let derivatives = (json["derivative"] as? [Any] ?? []).map { $0 as? Double }
        #expect(derivatives == expected, "\(json["derivative"] ?? "missing")")
        let warned = (json["warnings"] as? [String])?.first?.contains("at 1 of the points (x = 0)") == true
        #expect(warned == expected.contains(nil), "\(json["warnings"] ?? "no warnings")")
    }

    /// At x = 5e-5 abs is smooth, but x − h = −5e-5 is across its corner.
    @Test func aStencilAcrossACornerVoidsTheBoundOfThatFormulaOnly() {
        let (status, json) = derivative(#"{"expression": "abs(x)", "at": 5e-5, "method": "all"}"#)
        #expect(status == 200)
        #expect(json["derivative"] as? Double == 1)
        let methods = json["methods"] as? [String: [String: Any]] ?? [:]
        for name in ["central", "backward_difference"] {
            #expect(methods[name]?["error_bound"] is NSNull, "\(name)")
            #expect((methods[name]?["note"] as? String)?.contains("does not apply") == true, "\(name)")
        }
        #expect(methods["forward_difference"]?["error_bound"] is Double)
        #expect(methods["forward_difference"]?["note"] == nil)
        #expect((methods["richardson"]?["note"] as? String)?.contains("estimate is unreliable") == true)
    }
}
