/// What one method found at every point.
public struct DerivativeResult: Sendable {
    public let method: DerivativeMethod
    /// f at each point.
    public let values: [Double]
    /// The derivative at each point.
    public let derivatives: [Double]
    /// The step used (numerical methods).
    public let step: Double?
    /// Evaluations of f per point (numerical methods).
    public let evaluations: Int?
    /// Richardson's own error estimate per point.
    public let errorEstimates: [Double]?
    /// The symbolic derivative, when the method computed one.
    public let derivativeExpression: Expression?
}

/// Computes derivatives by any method, vectorised over points where the method allows.
public enum DerivativeCalculator {
    /// The derivative at every point of `points` by `method` (`step` overrides the method's default).
    public static func compute(
        _ problem: DerivativeProblem, method: DerivativeMethod, at points: [Double], step: Double? = nil
    ) throws(DifferentiationError) -> DerivativeResult {
        guard method.orders.contains(problem.order) else {
            throw .unsupportedOrder(method: method, order: problem.order, supported: method.orders)
        }
        let program = try problem.program()
        let columns = problem.columns(points)
        func result(
            _ values: [Double], _ derivatives: [Double], step: Double? = nil, evaluations: Int? = nil,
            errors: [Double]? = nil, expression: Expression? = nil
        ) -> DerivativeResult {
            DerivativeResult(
                method: method, values: values, derivatives: derivatives, step: step, evaluations: evaluations,
                errorEstimates: errors, derivativeExpression: expression)
        }
        switch method {
        case .symbolic:
            let (derivative, compiled) = try problem.symbolicDerivative()
            return result(program.values(at: columns), compiled.values(at: columns), expression: derivative)
        case .forward where problem.order == 1:
            let (values, derivatives) = program.valuesAndDerivatives(at: columns, withRespectTo: 0)
            return result(values, derivatives)
        case .forward:
            var values: [Double] = [], derivatives: [Double] = []
            for x in points {
                let (value, derivative) = try ForwardMode.derivative(
                    of: problem.expression, withRespectTo: problem.variable, at: x, parameters: problem.parameters,
                    order: problem.order)
                values.append(value)
                derivatives.append(derivative)
            }
            return result(values, derivatives)
        case .reverse:
            let (values, gradient) = program.valuesAndGradients(at: columns)
            return result(values, gradient[0])
        case .central, .forwardDifference, .backwardDifference:
            let h = step ?? method.defaultStep(at: 0)!
            let formula: DifferenceFormula =
                switch (method, problem.order) {
                case (.central, 1): .central
                case (.central, _): .centralSecond
                case (.forwardDifference, _): .forward
                default: .backward
                }
            // f and the shifted evaluations in one pass over the points (Program+Differences).
            let (values, derivatives) = program.valuesAndDifferences(at: columns, along: 0, formula: formula, step: h)
            return result(values, derivatives, step: h, evaluations: formula.evaluations)
        case .richardson:
            var derivatives: [Double] = [], errors: [Double] = []
            var evaluations = 0
            for x in points {
                let h = step ?? method.defaultStep(at: x)!
                let f = { (t: Double) in program.values(at: problem.columns([t]))[0] }
                let estimate = FiniteDifferences.richardson(f, at: x, initialStep: h)
                derivatives.append(estimate.derivative)
                errors.append(estimate.errorEstimate)
                evaluations = estimate.evaluations
            }
            return result(
                program.values(at: columns), derivatives, step: step ?? method.defaultStep(at: points.first ?? 0),
                evaluations: evaluations, errors: errors)
        case .complexStep:
            let h = step ?? ComplexStep.defaultStep
            var derivatives: [Double] = []
            for x in points {
                do {
                    derivatives.append(
                        try ComplexStep.derivative(
                            of: problem.expression, withRespectTo: problem.variable, at: x,
                            parameters: problem.parameters, step: h
                        ).derivative)
                } catch {
                    throw .evaluation(error)
                }
            }
            return result(program.values(at: columns), derivatives, step: h, evaluations: 1)
        }
    }
}
