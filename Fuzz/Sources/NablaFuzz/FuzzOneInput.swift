import Calculus

/// Nodes beyond which an expression is only parsed and printed: keeps one execution in milliseconds.
let maxFuzzedNodes = 1_000
/// The symbolic derivatives' node limit here (the service allows 200,000); the order is lowered
/// until the derivative fits.
let maxDerivativeNodes = 20_000

/// One fuzz input (see `FuzzCase`): the expression is parsed; its printed forms are checked; then
/// every method that computes the order runs at a few points and at enough points for the vector
/// kernels, the symbolic derivatives' printed forms are checked, forward mode and the complex step run
/// directly, then gradients and the Hessian over every free name, the point diagnostics (the jump and
/// corner search over the wide points too) and the trace. Thrown errors are fine; a crash, trap, hang
/// or stack overflow is a finding. Also exported as `LLVMFuzzerTestOneInput` (see CFuzzerDriver.h).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, let input = FuzzCase(UnsafeBufferPointer(start: data, count: size)),
        let expression = try? Parser.parse(input.text).expression
    else { return 0 }
    let names = expression.freeVariables
    let variable = names.contains("x") ? "x" : names.first ?? "x"
    let others = names.filter { $0 != variable }
    let parameters = Dictionary(uniqueKeysWithValues: others.enumerated().map { ($1, FuzzCase.parameterValue($0)) })
    // The slots of compiled programs, as DerivativeProblem orders them: the variable, then the names.
    let slots = [variable] + parameters.keys.sorted()
    let columns = [input.widePoints] + slots.dropFirst().map { [parameters[$0]!] }
    PrintedForms.check(expression, slots: slots, columns: columns)
    guard expression.size(upTo: maxFuzzedNodes) <= maxFuzzedNodes else { return 0 }

    let derivatives = symbolicDerivatives(of: expression.cancellingInverses, withRespectTo: variable, upTo: input.order)
    for derivative in derivatives { PrintedForms.check(derivative, slots: slots, columns: columns) }
    if !derivatives.isEmpty {
        let problem = DerivativeProblem(
            expression: expression, variable: variable, parameters: parameters, order: derivatives.count)
        runEveryMethod(problem, input)
        _ = PointDiagnostics.pointsWithoutDerivative(problem, at: input.widePoints)
        for x in input.points {
            _ = PointDiagnostics.kink(problem, at: x)
            _ = PointDiagnostics.firstNonFiniteOperation(problem, at: x)
        }
        _ = try? ForwardMode.derivative(
            of: expression, withRespectTo: variable, at: input.points[0], parameters: parameters, order: problem.order)
        _ = try? ComplexStep.derivative(
            of: expression, withRespectTo: variable, at: input.points[2], parameters: parameters)
        runGradients(of: expression, variables: names, at: input.points[0])
    }
    if let program = try? Program(expression, variables: slots) {
        for x in [input.points[0], input.points[2]] {
            _ = program.trace(at: [x] + slots.dropFirst().map { parameters[$0]! })
        }
    }
    return 0
}

/// Derivatives of order 1, 2, … up to `order`, stopping before the first one past `maxDerivativeNodes`.
func symbolicDerivatives(of expression: Expression, withRespectTo variable: String, upTo order: Int) -> [Expression] {
    var derivatives: [Expression] = []
    var current = expression
    for _ in 0..<order {
        guard
            let next = try? SymbolicDifferentiation.derivative(
                of: current, withRespectTo: variable, order: 1, maxNodes: maxDerivativeNodes)
        else { break }
        derivatives.append(next)
        current = next
    }
    return derivatives
}

/// Every method that computes the problem's order, at the few points and at the wide set of points.
func runEveryMethod(_ problem: DerivativeProblem, _ input: FuzzCase) {
    for method in DerivativeMethod.allCases where method.orders.contains(problem.order) {
        _ = try? DerivativeCalculator.compute(problem, method: method, at: input.points)
        _ = try? DerivativeCalculator.compute(problem, method: method, at: input.widePoints)
    }
}

/// Every gradient method and, for up to four names, the Hessian; the first name at `x`, the others
/// at their parameter values.
func runGradients(of expression: Expression, variables: [String], at x: Double) {
    guard !variables.isEmpty else { return }
    let point = [x] + variables.indices.dropFirst().map { FuzzCase.parameterValue($0 - 1) }
    for method in Gradients.Method.allCases {
        _ = try? Gradients.gradient(of: expression, variables: variables, at: point, method: method)
    }
    if variables.count <= 4 { _ = try? Gradients.hessian(of: expression, variables: variables, at: point) }
}
