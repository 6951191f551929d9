import Calculus
import JSON

/// The extras of `/v1/derivative` at one point: every method side by side (`method: "all"`), the
/// step sweep and the computation graph.
enum DerivativeComparison {
    /// Each method's derivative, its error against the symbolic value, the a-priori error bound of the
    /// difference formulas, and the evaluations of f it used. Where f jumps or has a corner (`kink`
    /// without a derivative) there is no exact value: the exact methods answer null (with the one-sided
    /// derivatives at a corner), and the numerical ones their quotient with a note, no error and no bound.
    static func all(_ problem: DerivativeProblem, at x: Double, step: Double?, kink: PointDiagnostics.Kink?)
        throws(APIError) -> JSONValue
    {
        let symbolic = try DerivativeAnswer.compute(problem, .symbolic, [x], step: nil)
        let (exact, value) = (symbolic.derivatives[0], symbolic.values[0])
        let noDerivative = kink.map { !$0.hasDerivative } ?? false
        var methods: [(key: String, value: JSONValue)] = []
        for method in DerivativeMethod.allCases {
            let result = try DerivativeAnswer.compute(problem, method, [x], step: method.isExact ? nil : step)
            let derivative = result.derivatives[0]
            var entry: [(key: String, value: JSONValue)] = []
            if let kink, noDerivative {
                entry = [("derivative", method.isExact ? .null : .number(derivative)), ("error", .null)]
                if method.isExact && !kink.isDiscontinuous {
                    entry += [("left_derivative", .number(kink.left)), ("right_derivative", .number(kink.right))]
                }
                entry.append(("exact", .bool(method.isExact)))
                if let h = result.step { entry.append(("h", .number(h))) }
                if !method.isExact {
                    if method.hasErrorBound { entry.append(("error_bound", .null)) }
                    entry.append(("note", .string(note(for: method, kink: kink))))
                }
            } else {
                entry = [
                    ("derivative", .number(derivative)), ("error", .number(Swift.abs(derivative - exact))),
                    ("exact", .bool(method.isExact)),
                ]
                if let h = result.step { entry.append(("h", .number(h))) }
                // The points the method evaluates f at: a corner or jump among them voids its bound.
                let stencil: (Double, Double)? =
                    switch (method, result.step) {
                    case (.central, let h?), (.richardson, let h?): (x - h, x + h)
                    case (.forwardDifference, let h?): (x, x + h)
                    case (.backwardDifference, let h?): (x - h, x)
                    default: nil
                    }
                let crossesKink = stencil.map { PointDiagnostics.hasKink(problem, between: $0.0, and: $0.1) } ?? false
                if method.hasErrorBound, let h = result.step {
                    let bound =
                        crossesKink
                        ? nil : ErrorBounds.bound(method, problem, at: x, step: h, value: value, derivative: exact)
                    entry.append(("error_bound", bound.map { .number($0) } ?? .null))
                }
                if crossesKink {
                    entry.append(
                        (
                            "note",
                            .string(
                                "f has a corner or a jump within the points this method evaluates (x ± h): "
                                    + "its error can be large and "
                                    + (method.hasErrorBound
                                        ? "the error bound does not apply" : "its estimate is unreliable")
                            )
                        ))
                }
            }
            if method == .richardson, let estimate = result.errorEstimates?.first {
                entry.append(("error_estimate", noDerivative ? .null : .number(estimate)))
            }
            entry.append(("evaluations", result.evaluations.map { .number(Double($0)) } ?? .null))
            methods.append((method.wireName, .object(entry)))
        }
        return .object(methods)
    }

    /// What a numerical method's number means where f has no derivative.
    private static func note(for method: DerivativeMethod, kink: PointDiagnostics.Kink) -> String {
        let bound = method.hasErrorBound ? "; the error bound does not apply" : ""
        if kink.isDiscontinuous {
            // Which values of f the quotient compares: it grows like 1/h when they straddle the jump.
            let straddles: Bool
            switch method {
            case .forwardDifference: straddles = kink.rightLimit != kink.value
            case .backwardDifference: straddles = kink.leftLimit != kink.value
            case .central, .richardson: straddles = kink.leftLimit != kink.rightLimit
            default: straddles = false
            }
            let meaning =
                straddles
                ? "this quotient grows like 1/h as h shrinks"
                : method == .complexStep
                    ? "the complex step sees only the branch f takes at x, not the jump"
                    : "this quotient does not straddle the jump, yet it is no derivative either"
            return "f jumps here, so there is no derivative: " + meaning + bound
        }
        return "f has a corner here (left derivative \(DerivativeAnswer.format(kink.left)), right "
            + "\(DerivativeAnswer.format(kink.right))), so there is no derivative: this number approaches one "
            + "of them or their mean, not a derivative" + bound
    }

    /// Central differences for h = 1e-1 … 1e-15 with their errors, and the best h.
    /// Where f has no derivative (`kink`), `exact` and the errors are null.
    static func sweep(_ problem: DerivativeProblem, at x: Double, kink: PointDiagnostics.Kink?) throws(APIError)
        -> JSONValue
    {
        let noDerivative = kink.map { !$0.hasDerivative } ?? false
        let exact =
            noDerivative ? .nan : try DerivativeAnswer.compute(problem, .symbolic, [x], step: nil).derivatives[0]
        let program = try compiled(problem)
        let parameters = problem.parameters.keys.sorted().map { [problem.parameters[$0]!] }
        let (samples, best) = StepSweep.central({ program.values(at: [[$0]] + parameters)[0] }, at: x, exact: exact)
        return [
            "exact": .number(exact), "best_h": noDerivative ? .null : .number(best),
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
