/// Gradients and Hessians of functions of several variables.
public enum Gradients {
    /// How a gradient is computed.
    public enum Method: String, Sendable, CaseIterable {
        case reverse, forward, symbolic, central
    }

    /// f and ∇f at `point` (ordered as `program.variables`). The symbolic partials together may have
    /// at most `maxNodes` nodes.
    public static func gradient(
        of expression: Expression, variables: [String], at point: [Double], method: Method,
        step: Double = FiniteDifferences.defaultStep, maxNodes: Int = DerivativeProblem.maxSymbolicNodes
    ) throws(DifferentiationError) -> (value: Double, gradient: [Double]) {
        let program: Program
        do { program = try Program(expression, variables: variables) } catch { throw .evaluation(error) }
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
            let partials = try symbolicPartials(of: expression, variables: variables, maxNodes: maxNodes)
            var gradient: [Double] = []
            for partial in partials {
                do {
                    gradient.append(try Program(partial, variables: variables).values(at: columns)[0])
                } catch {
                    throw .evaluation(error)
                }
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

    /// The Hessian: row i is the reverse-mode gradient of the symbolic ∂f/∂xᵢ. The partials together may
    /// have at most `maxNodes` nodes.
    public static func hessian(
        of expression: Expression, variables: [String], at point: [Double],
        maxNodes: Int = DerivativeProblem.maxSymbolicNodes
    ) throws(DifferentiationError) -> [[Double]] {
        var rows: [[Double]] = []
        for partial in try symbolicPartials(of: expression, variables: variables, maxNodes: maxNodes) {
            do {
                rows.append(try Program(partial, variables: variables).gradient(at: point).gradient)
            } catch {
                throw .evaluation(error)
            }
        }
        return rows
    }

    /// ∂f/∂v for each of `variables`, refused once their sizes add up past `maxNodes` (counted as trees:
    /// compiling walks every occurrence of a shared subtree).
    static func symbolicPartials(of expression: Expression, variables: [String], maxNodes: Int)
        throws(DifferentiationError) -> [Expression]
    {
        var remaining = maxNodes
        return try variables.map { variable throws(DifferentiationError) in
            let partial = SymbolicDifferentiation.derivative(of: expression, withRespectTo: variable)
            let size = partial.size(upTo: remaining)
            guard size <= remaining else { throw .derivativeTooLarge(limit: maxNodes) }
            remaining -= size
            return partial
        }
    }
}
