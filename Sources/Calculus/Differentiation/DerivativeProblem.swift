/// One derivative problem: d^order f / d variable^order, the other names fixed by `parameters`.
///
/// The work that does not depend on the point or on the parameters' values is done once, here: f
/// compiled, and its symbolic derivative of the order built and compiled. A problem can be kept and
/// reused with other parameter values (`with(parameters:)`), which is how the service caches
/// expressions that clients ask about again and again.
public struct DerivativeProblem: Sendable {
    /// f, as parsed (inverse compositions are cancelled here).
    public let expression: Expression
    /// The variable.
    public let variable: String
    /// Values of the other free names.
    public let parameters: [String: Double]
    /// 1 to 4.
    public let order: Int
    /// The variable first, then the parameters in name order: the slots of compiled programs.
    let slots: [String]
    /// f compiled over `slots`, or why not.
    private let compiled: Result<Program, EvaluationError>
    /// The symbolic derivative of the order and its compiled form, or why not.
    private let symbolic: Result<(Expression, Program), DifferentiationError>

    /// The most nodes a symbolic derivative may have (repeated differentiation grows quickly).
    public static let maxSymbolicNodes = 200_000

    /// A problem; `expression` is taken with its inverse compositions cancelled.
    public init(expression: Expression, variable: String, parameters: [String: Double] = [:], order: Int = 1) {
        let cancelled = expression.cancellingInverses
        let slots = [variable] + parameters.keys.sorted()
        self.expression = cancelled
        self.variable = variable
        self.parameters = parameters
        self.order = order
        self.slots = slots
        compiled = Result { () throws(EvaluationError) in try Program(cancelled, variables: slots) }
        symbolic = Result { () throws(DifferentiationError) in
            let derivative = try SymbolicDifferentiation.derivative(
                of: cancelled, withRespectTo: variable, order: order, maxNodes: Self.maxSymbolicNodes)
            do throws(EvaluationError) {
                return (derivative, try Program(derivative, variables: slots))
            } catch {
                throw .evaluation(error)
            }
        }
    }

    private init(_ problem: DerivativeProblem, parameters: [String: Double]) {
        expression = problem.expression
        variable = problem.variable
        self.parameters = parameters
        order = problem.order
        slots = problem.slots
        compiled = problem.compiled
        symbolic = problem.symbolic
    }

    /// The same problem with other values for the same parameter names (nothing is recompiled).
    public func with(parameters values: [String: Double]) -> DerivativeProblem {
        precondition(Set(values.keys) == Set(parameters.keys), "with(parameters:) keeps the parameter names")
        return DerivativeProblem(self, parameters: values)
    }

    /// The compiled f.
    public func program() throws(DifferentiationError) -> Program {
        do { return try compiled.get() } catch { throw .evaluation(error) }
    }

    /// The symbolic derivative of the problem's order and its compiled form.
    public func symbolicDerivative() throws(DifferentiationError) -> (expression: Expression, program: Program) {
        try symbolic.get()
    }

    func columns(_ points: [Double]) -> [[Double]] {
        [points] + slots.dropFirst().map { [parameters[$0]!] }
    }
}
