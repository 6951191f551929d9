import Calculus
import Foundation

/// One fuzz input: bytes read as an expression (the first byte also picks the point and the order),
/// parsed, then every differentiation mode, the printers (whose output must parse back and agree),
/// gradients, Hessian, diagnostics and the trace. Thrown errors are fine; a crash, trap, hang or
/// stack overflow is a finding. Also exported as `LLVMFuzzerTestOneInput`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let selector = bytes[0]
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    guard let parsed = try? Parser.parse(text) else { return 0 }
    let expression = parsed.expression
    guard expression.size(upTo: 5_000) <= 5_000 else { return 0 }
    let names = expression.freeVariables
    let variable = names.first ?? "x"
    var parameters: [String: Double] = [:]
    for (index, name) in names.dropFirst().enumerated() { parameters[name] = 0.25 + Double(index) }
    let order = Int(selector % 4) + 1
    let points = [Double(Int(selector) - 128) / 16, 0, -0.0, 1e308, 1.0e-300]
    let problem = DerivativeProblem(expression: expression, variable: variable, parameters: parameters, order: order)
    for method in DerivativeMethod.allCases where method.orders.contains(order) {
        _ = try? DerivativeCalculator.compute(problem, method: method, at: points)
        _ = try? DerivativeCalculator.compute(problem, method: method, at: [points[0]])
    }
    _ = PointDiagnostics.kink(problem, at: points[0])
    _ = PointDiagnostics.firstNonFiniteOperation(problem, at: points[0])
    if let program = try? problem.program() {
        _ = program.trace(at: [points[0]] + parameters.keys.sorted().map { parameters[$0]! })
    }
    checkPrintedFormsReadBack(problem, at: points[0])
    let variables = Array(names.prefix(6))
    let point = variables.indices.map { 0.3 + Double($0) * 0.7 }
    for method in Gradients.Method.allCases {
        _ = try? Gradients.gradient(of: expression, variables: variables, at: point, method: method)
    }
    if variables.count <= 3 { _ = try? Gradients.hessian(of: expression, variables: variables, at: point) }
    return 0
}

/// The symbolic derivative printed as text must parse back to a tree that evaluates to the same bits;
/// the LaTeX printer must not crash.
private func checkPrintedFormsReadBack(_ problem: DerivativeProblem, at x: Double) {
    guard let (derivative, program) = try? problem.symbolicDerivative(),
        derivative.size(upTo: 2_000) <= 2_000
    else { return }
    _ = ExpressionPrinter.latex(derivative)
    let text = ExpressionPrinter.text(derivative)
    guard text.unicodeScalars.count <= ExpressionLimits().maxLength else { return }
    let reparsed: Calculus.Expression
    do {
        reparsed = try Parser.parse(text).expression
    } catch {
        fatalError("the printed derivative does not parse: \(text) (\(error))")
    }
    let parameters = problem.parameters.keys.sorted().map { [problem.parameters[$0]!] }
    let slots = [problem.variable] + problem.parameters.keys.sorted()
    guard let again = try? Program(reparsed, variables: slots) else {
        fatalError("the printed derivative has other names: \(text)")
    }
    let first = program.values(at: [[x]] + parameters)[0]
    let second = again.values(at: [[x]] + parameters)[0]
    if first != second && !(first.isNaN && second.isNaN) {
        fatalError("printed derivative \(text) evaluates to \(second), the tree to \(first)")
    }
}
