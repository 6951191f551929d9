/// Gradients and Hessians of functions of several variables.
public enum Gradients {
    /// How a gradient is computed.
    public enum Method: String, Sendable, CaseIterable {
        case reverse, forward, symbolic, central
    }

    /// f and ∇f at `point` (ordered as `program.variables`).
    public static func gradient(
        of expression: Expression, variables: [String], at point: [Double], method: Method,
        step: Double = FiniteDifferences.defaultStep
    ) throws(EvaluationError) -> (value: Double, gradient: [Double]) {
        let program = try Program(expression, variables: variables)
        let columns = point.map { [$0] }
        switch method {
        case .reverse:
            return program.gradient(at: point)
        case .forward:
            var gradient: [Double] = []
            var value = 0.0
            for slot in variables.indices {
                let result = program.valuesAndDerivatives(at: columns, withRespectTo: slot)
                value = result.values[0]
                gradient.append(result.derivatives[0])
            }
            return (variables.isEmpty ? program.values(at: [])[0] : value, gradient)
        case .symbolic:
            var gradient: [Double] = []
            for variable in variables {
                let partial = SymbolicDifferentiation.derivative(of: expression, withRespectTo: variable)
                gradient.append(try Program(partial, variables: variables).values(at: columns)[0])
            }
            return (program.values(at: columns)[0], gradient)
        case .central:
            return (program.values(at: columns)[0], numericalGradient(program, at: point, step: step))
        }
    }

    /// The seed tutorial's `numerical_gradient`: each coordinate moved by ±h in turn, in place.
    public static func numericalGradient(_ program: Program, at point: [Double], step h: Double) -> [Double] {
        var x = point
        var gradient = [Double](repeating: 0, count: x.count)
        for index in x.indices {
            let saved = x[index]
            x[index] = saved + h
            let forward = program.values(at: x.map { [$0] })[0]
            x[index] = saved - h
            let backward = program.values(at: x.map { [$0] })[0]
            gradient[index] = (forward - backward) / (2 * h)
            x[index] = saved
        }
        return gradient
    }

    /// The Hessian: row i is the reverse-mode gradient of the symbolic ∂f/∂xᵢ.
    public static func hessian(of expression: Expression, variables: [String], at point: [Double])
        throws(EvaluationError) -> [[Double]]
    {
        var rows: [[Double]] = []
        for variable in variables {
            let partial = SymbolicDifferentiation.derivative(of: expression, withRespectTo: variable)
            rows.append(try Program(partial, variables: variables).gradient(at: point).gradient)
        }
        return rows
    }
}
