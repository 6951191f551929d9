import Calculus
import JSON

/// The extras of `/v1/derivative` at one point: every method side by side (`method: "all"`), the
/// step sweep and the computation graph.
enum DerivativeComparison {
    /// Each method's derivative, its error against the symbolic value, the a-priori error bound of the
    /// difference formulas, and the evaluations of f it used.
    static func all(_ problem: DerivativeProblem, at x: Double, step: Double?) throws(APIError) -> JSONValue {
        let exact = try DerivativeAnswer.compute(problem, .symbolic, [x], step: nil).derivatives[0]
        let value = try DerivativeAnswer.compute(problem, .symbolic, [x], step: nil).values[0]
        // f'' and f''' for the truncation bounds, by forward mode.
        let second = try? ForwardMode.derivative(
            of: problem.expression, withRespectTo: problem.variable, at: x, parameters: problem.parameters, order: 2)
        let third = try? ForwardMode.derivative(
            of: problem.expression, withRespectTo: problem.variable, at: x, parameters: problem.parameters, order: 3)
        var methods: [(key: String, value: JSONValue)] = []
        for method in DerivativeMethod.allCases {
            let result = try DerivativeAnswer.compute(problem, method, [x], step: method.isExact ? nil : step)
            let derivative = result.derivatives[0]
            var entry: [(key: String, value: JSONValue)] = [
                ("derivative", .number(derivative)), ("error", .number(Swift.abs(derivative - exact))),
                ("exact", .bool(method.isExact)),
            ]
            if let h = result.step { entry.append(("h", .number(h))) }
            switch method {
            case .central:
                if let third, let h = result.step {
                    let bound = FiniteDifferences.centralErrorBound(
                        value: value, thirdDerivative: third.derivative, step: h)
                    entry.append(("error_bound", .number(bound)))
                }
            case .forwardDifference, .backwardDifference:
                if let second, let h = result.step {
                    let bound = FiniteDifferences.oneSidedErrorBound(
                        value: value, secondDerivative: second.derivative, step: h)
                    entry.append(("error_bound", .number(bound)))
                }
            case .richardson:
                if let estimate = result.errorEstimates?.first { entry.append(("error_estimate", .number(estimate))) }
            default: break
            }
            entry.append(("evaluations", result.evaluations.map { .number(Double($0)) } ?? .null))
            methods.append((method.rawValue, .object(entry)))
        }
        return .object(methods)
    }

    /// Central differences for h = 1e-1 … 1e-15 with their errors, and the best h.
    static func sweep(_ problem: DerivativeProblem, at x: Double) throws(APIError) -> JSONValue {
        let exact = try DerivativeAnswer.compute(problem, .symbolic, [x], step: nil).derivatives[0]
        let program = try compiled(problem)
        let parameters = problem.parameters.keys.sorted().map { [problem.parameters[$0]!] }
        let (samples, best) = StepSweep.central({ program.values(at: [[$0]] + parameters)[0] }, at: x, exact: exact)
        return [
            "exact": .number(exact), "best_h": .number(best),
            "samples": .array(
                samples.map {
                    ["h": .number($0.step), "derivative": .number($0.derivative), "error": .number($0.error)]
                }
            ),
        ]
    }

    /// Every node of the computation graph with its value, local derivatives and adjoint.
    static func trace(_ problem: DerivativeProblem, at x: Double) throws(APIError) -> JSONValue {
        let program = try compiled(problem)
        let point = [x] + problem.parameters.keys.sorted().map { problem.parameters[$0]! }
        return .array(
            program.trace(at: point).map { node in
                [
                    "id": .number(Double(node.id)), "operation": .string(node.operation),
                    "inputs": .array(node.inputs.map { .number(Double($0)) }), "value": .number(node.value),
                    "local_derivatives": .array(node.localDerivatives.map { .number($0) }),
                    "adjoint": .number(node.adjoint),
                ]
            })
    }

    private static func compiled(_ problem: DerivativeProblem) throws(APIError) -> Program {
        do { return try problem.program() } catch { throw DerivativeAnswer.apiError(error) }
    }
}
