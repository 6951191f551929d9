import API
import Foundation
import MicroHTTP
import Testing
import JSON

/// `POST /v1/derivative` through the API (no socket): values, errors and extras.
@Suite struct DerivativeRouteTests {
    let harness = APIHarness()

    func derivative(_ body: String) -> (status: Int, json: [String: Any]) {
        let response = harness.send("POST", "/v1/derivative", body: body)
        return (response.status, response.json)
    }

    /// The seed tutorial's numerical_diff of 0.01x² + 0.1x, bit for bit, with its tangent lines.
    @Test(arguments: [(5.0, 0.1999999999990898, -0.24999999999544897), (10.0, 0.2999999999986347, -0.9999999999863469)])
    func reproducesTheSeedsCentralDifferenceAndTangent(x: Double, slope: Double, intercept: Double) {
        let response = harness.send(
            "POST", "/v1/derivative",
            body: #"{"expression": "0.01*x^2 + 0.1*x", "at": \#(x), "method": "central", "h": 0.0001}"#)
        #expect(response.status == 200)
        // Nabla's own parser: Foundation's JSONSerialization on Linux misreads the last digit of some
        // doubles (it gave 0.19999999999908974 for 0.1999999999990898), and this is a bit-exact check.
        let json = (try? JSONParser.parse(response.bodyBytes ?? [])) ?? .null
        #expect(json["derivative"] == .number(slope))
        #expect(json["tangent"]?["slope"] == .number(slope))
        #expect(json["tangent"]?["intercept"] == .number(intercept))
        #expect(json["derivative_expression"] == .string("0.02*x + 0.1"))
    }

    @Test func methodAllListsEveryMethodWithItsErrorAndBound() {
        let (status, json) = derivative(#"{"expression": "sin(x)*exp(x)", "at": 0.7, "method": "all"}"#)
        #expect(status == 200)
        let methods = json["methods"] as? [String: [String: Any]] ?? [:]
        #expect(
            Set(methods.keys)
                == [
                    "symbolic", "forward", "reverse", "central", "forward_difference", "backward_difference",
                    "richardson", "complex_step",
                ])
        let exact = (sin(0.7) + cos(0.7)) * exp(0.7)
        for (name, entry) in methods {
            let value = entry["derivative"] as? Double ?? .nan
            let error = entry["error"] as? Double ?? .nan
            let tolerance = ["forward_difference", "backward_difference"].contains(name) ? 1e-3 : 1e-8
            #expect(abs(value - exact) < tolerance, "\(name): \(value)")
            #expect(error < tolerance, "\(name) error \(error)")
        }
        let central = methods["central"] ?? [:]
        #expect((central["error"] as? Double ?? 1) <= (central["error_bound"] as? Double ?? 0))
        #expect(central["evaluations"] as? Int == 2)
    }

    @Test func aCornerGivesLeftAndRightDerivativesAndAWarningInsteadOfAConvention() {
        let (status, json) = derivative(#"{"expression": "abs(x - 1) + x", "at": 1}"#)
        #expect(status == 200)
        #expect(json["left_derivative"] as? Double == 0)
        #expect(json["right_derivative"] as? Double == 2)
        #expect(json["derivative"] is NSNull)
        #expect((json["warnings"] as? [String])?.first?.contains("abs at its corner") == true)
    }

    @Test(arguments: [
        (#"{"expression": "log(x)", "at": -1}"#, "log(-1) is not a real number"),
        (#"{"expression": "exp(x)", "at": 1000}"#, "exp(1000) is infinite"),
        (#"{"expression": "sqrt(x)", "at": 0}"#, "the derivative is not finite at x = 0"),
        (#"{"expression": "1/x", "at": [1, 2, 0]}"#, "(point 2)"),
    ])
    func aPointOutsideTheDomainIs422WithTheReasonNeverNaN(_ body: String, _ reason: String) {
        let (status, json) = derivative(body)
        #expect(status == 422)
        #expect((json["detail"] as? String)?.contains(reason) == true, "\(json["detail"] ?? "")")
    }

    @Test(arguments: [
        (#"{"expression": "x^2 +", "at": 1}"#, "/expression", 5, "expected an operand after '+'"),
        (#"{"expression": "sine(x)", "at": 1}"#, "/expression", 1, "unknown function 'sine'"),
        (#"{"expression": "a*x", "variable": "x", "at": 1}"#, "/expression", 1, "the name 'a' has no value"),
        (#"{"expression": "x*y", "at": 1}"#, "/variable", nil, "several free names (x, y)"),
        (#"{"expression": "x", "at": 1, "method": "reverse", "order": 2}"#, "/order", nil, "reverse"),
        (#"{"expression": "x", "at": 1, "method": "magic"}"#, "/method", nil, "must be one of"),
        (#"{"expression": "x", "at": "1"}"#, "/at", nil, "expected a number, an array of numbers or a range"),
        (#"{"expression": "x", "at": [1, "a"]}"#, "/at/1", nil, "expected a number"),
        (#"{"expression": "x", "at": 1, "h": 0}"#, "/h", nil, "greater than 0"),
        (#"{"expression": "x", "at": 1, "order": 5}"#, "/order", nil, "between 1 and 4"),
        (#"{"expression": "x", "at": [1, 2], "method": "all"}"#, "/at", nil, "single point"),
        (#"{"expression": "x", "at": 1, "colour": "red"}"#, "/colour", nil, "unknown field"),
    ])
    func badRequestsAre400PointingAtTheField(_ body: String, _ pointer: String, _ position: Int?, _ text: String) {
        let (status, json) = derivative(body)
        #expect(status == 400)
        let issue = (json["errors"] as? [[String: Any]])?.first ?? [:]
        #expect(issue["pointer"] as? String == pointer, "\(json)")
        #expect(issue["position"] as? Int == position)
        #expect("\(json["detail"] ?? "") \(issue["detail"] ?? "")".contains(text), "\(json)")
    }

    @Test func everyExactMethodAgreesOverAnArrayOfPoints() {
        let points = (0..<1000).map { -3 + 6 * Double($0) / 999 }
        let at = "[" + points.map { "\($0)" }.joined(separator: ",") + "]"
        let f = { (x: Double) in cos(x) * exp(-x * x / 2) - x * sin(x) * exp(-x * x / 2) + 2 * x / (1 + x * x) }
        for method in ["symbolic", "forward", "reverse", "complex_step"] {
            let (status, json) = derivative(
                #"{"expression": "sin(x)*exp(-x^2/2)+log(1+x^2)", "at": \#(at), "method": "\#(method)"}"#)
            #expect(status == 200)
            let derivatives = json["derivative"] as? [Double] ?? []
            #expect(derivatives.count == points.count)
            let worst = zip(derivatives, points).map { abs($0 - f($1)) }.max() ?? .infinity
            #expect(worst < 1e-13, "\(method) worst error \(worst)")
        }
    }

    @Test func higherOrdersBySymbolicForwardAndCentral() {
        for (method, order, tolerance) in [("symbolic", 4, 1e-12), ("forward", 4, 1e-12), ("central", 2, 1e-6)] {
            let (status, json) = derivative(
                #"{"expression": "x^5", "at": 2, "method": "\#(method)", "order": \#(order)}"#)
            #expect(status == 200)
            let expected = order == 4 ? 240.0 : 160.0
            #expect(abs((json["derivative"] as? Double ?? 0) - expected) < tolerance * expected, "\(method)")
        }
    }

    @Test func parametersFixTheOtherNames() {
        let (status, json) = derivative(#"{"expression": "a*x^2 + b", "at": 3, "parameters": {"a": 2, "b": 1}}"#)
        #expect(status == 200)
        #expect(json["variable"] as? String == "x")
        #expect(json["derivative"] as? Double == 12)
        #expect(json["value"] as? Double == 19)
    }

    /// Prepared expressions are cached by text, variable, parameter names and order: a repeated
    /// expression with other parameter values must still use the new values, and an error is not kept.
    @Test func aCachedExpressionStillUsesEachRequestsParametersAndPoints() {
        for (a, x) in [(2.0, 3.0), (5.0, 3.0), (5.0, -1.0), (2.0, 3.0)] {
            let (status, json) = derivative(#"{"expression": "a*x^3", "at": \#(x), "parameters": {"a": \#(a)}}"#)
            #expect(status == 200)
            #expect(json["derivative"] as? Double == 3 * a * x * x)
            #expect(json["derivative_expression"] as? String == "3*a*x^2")
        }
        for _ in 0..<2 {
            #expect(derivative(#"{"expression": "a*x^3", "at": 1}"#).status == 400)
        }
        let (status, json) = derivative(#"{"expression": "a*x^3", "variable": "a", "at": 2, "parameters": {"x": 1}}"#)
        #expect(status == 200)
        #expect(json["derivative"] as? Double == 1)
    }

    @Test func sweepShowsTheVCurveWithItsBottomNearTheCubeRootOfEpsilon() {
        let (status, json) = derivative(#"{"expression": "exp(x)", "at": 1, "sweep": true}"#)
        #expect(status == 200)
        let sweep = json["sweep"] as? [String: Any] ?? [:]
        #expect((sweep["samples"] as? [[String: Double]])?.count == 15)
        let best = sweep["best_h"] as? Double ?? 0
        #expect(best >= 1e-7 && best <= 1e-4, "best h \(best)")
    }

    @Test func traceGivesEveryNodesAdjointEndingInTheDerivative() {
        let (status, json) = derivative(#"{"expression": "x*sin(x)", "at": 2, "trace": true}"#)
        #expect(status == 200)
        let nodes = json["trace"] as? [[String: Any]] ?? []
        #expect(nodes.last?["adjoint"] as? Double == 1)
        let variable = nodes.first { $0["operation"] as? String == "x" }
        #expect(abs((variable?["adjoint"] as? Double ?? 0) - (sin(2) + 2 * cos(2))) < 1e-15)
    }

    @Test func explainSubstitutesTheNumbers() {
        let (_, english) = derivative(
            #"{"expression": "0.01*x^2 + 0.1*x", "at": 5, "method": "central", "explain": "en"}"#)
        #expect(
            english["explanation"] as? String
                == "Central difference with h = 0.0001: (f(5.0001) − f(4.9999)) / 0.0002 = 0.1999999999990898")
        let (_, chinese) = derivative(#"{"expression": "x^2", "at": 1, "method": "forward", "explain": "zh"}"#)
        #expect((chinese["explanation"] as? String)?.hasPrefix("前向模式") == true)
    }
}
