import Calculus
import Foundation
import Testing

extension ReferenceCases {
    /// floor, ceil, round, trunc, mod, hypot, atan2, min and max against SymPy
    /// (Reference/peer-function-cases.json, written by Reference/peer_function_cases.py).
    static let peerFunctions: [DerivativeCase] = {
        struct File: Decodable { let derivative: [DerivativeCase] }
        let url = Bundle.module.url(
            forResource: "peer-function-cases", withExtension: "json", subdirectory: "Reference")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).derivative
    }()
}

/// The functions every peer has (math.js, SymPy, NumPy), in every mode, against SymPy.
@Suite struct PeerFunctionReferenceTests {
    static let relative = 1e-12

    private func parsed(_ reference: ReferenceCases.DerivativeCase) throws -> Calculus.Expression {
        try Parser.parse(reference.expression).expression.cancellingInverses
    }

    @Test(arguments: ReferenceCases.peerFunctions)
    func symbolicDerivativeAndItsPrintedFormMatchSymPy(_ reference: ReferenceCases.DerivativeCase) throws {
        let derivative = SymbolicDifferentiation.derivative(of: try parsed(reference), withRespectTo: "x")
        let value = try Program(derivative, variables: ["x"]).values(at: [[reference.at]])[0]
        #expect(isClose(value, reference.derivative, relative: Self.relative), "got \(value)")
        let printed = ExpressionPrinter.text(derivative)
        let reparsed = try Program(try Parser.parse(printed).expression, variables: ["x"])
        #expect(isClose(reparsed.values(at: [[reference.at]])[0], value, relative: 1e-15), "printed: \(printed)")
        // What /v1/derivative prints: the simplified form, also SymPy's value.
        let simplified = ExpressionPrinter.text(Simplifier.simplifyForPrinting(derivative))
        let again = try Program(try Parser.parse(simplified).expression, variables: ["x"])
        let simplifiedValue = again.values(at: [[reference.at]])[0]
        #expect(isClose(simplifiedValue, reference.derivative, relative: Self.relative), "simplified: \(simplified)")
    }

    @Test(arguments: ReferenceCases.peerFunctions)
    func forwardModeMatchesSymPyByDualsAndByTheBlockEvaluator(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try parsed(reference)
        let dual = try ForwardMode.derivative(of: expression, withRespectTo: "x", at: reference.at, order: 1)
        #expect(isClose(dual.value, reference.value, relative: Self.relative), "value \(dual.value)")
        #expect(isClose(dual.derivative, reference.derivative, relative: Self.relative), "dual \(dual.derivative)")
        // Eight lanes: the block path (vector kernels where they exist) as well as the single point.
        let program = try Program(expression, variables: ["x"])
        for points in [[reference.at], Array(repeating: reference.at, count: 8)] {
            let (values, derivatives) = program.valuesAndDerivatives(at: [points], withRespectTo: 0)
            let valuesMatch = values.allSatisfy { isClose($0, reference.value, relative: Self.relative) }
            let derivativesMatch = derivatives.allSatisfy {
                isClose($0, reference.derivative, relative: Self.relative)
            }
            #expect(valuesMatch, "values \(values)")
            #expect(derivativesMatch, "derivatives \(derivatives)")
        }
    }

    @Test(arguments: ReferenceCases.peerFunctions)
    func reverseModeMatchesSymPy(_ reference: ReferenceCases.DerivativeCase) throws {
        let program = try Program(try parsed(reference), variables: ["x"])
        for points in [[reference.at], Array(repeating: reference.at, count: 8)] {
            let (values, gradient) = program.valuesAndGradients(at: [points])
            let valuesMatch = values.allSatisfy { isClose($0, reference.value, relative: Self.relative) }
            let gradientMatches = gradient[0].allSatisfy { isClose($0, reference.derivative, relative: Self.relative) }
            #expect(valuesMatch, "values \(values)")
            #expect(gradientMatches, "gradient \(gradient)")
        }
    }

    @Test(arguments: ReferenceCases.peerFunctions)
    func secondDerivativeMatchesSymPyBySymbolicAndForward(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try parsed(reference)
        let second = try SymbolicDifferentiation.derivative(of: expression, withRespectTo: "x", order: 2)
        let symbolic = try Program(second, variables: ["x"]).values(at: [[reference.at]])[0]
        #expect(isClose(symbolic, reference.second, relative: Self.relative), "symbolic \(symbolic)")
        let forward = try ForwardMode.derivative(of: expression, withRespectTo: "x", at: reference.at, order: 2)
        #expect(isClose(forward.derivative, reference.second, relative: Self.relative), "forward \(forward)")
    }

    @Test(arguments: ReferenceCases.peerFunctions)
    func complexStepAndCentralDifferenceAgreeWithSymPy(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try parsed(reference)
        let complex = try ComplexStep.derivative(of: expression, withRespectTo: "x", at: reference.at)
        #expect(isClose(complex.derivative, reference.derivative, relative: Self.relative), "complex \(complex)")
        let program = try Program(expression, variables: ["x"])
        let central = FiniteDifferences.central({ program.values(at: [[$0]])[0] }, at: reference.at, step: 1e-5)
        #expect(isClose(central, reference.derivative, relative: 1e-6, absolute: 1e-8), "central \(central)")
    }

    @Test(arguments: [
        ("mod(7, 3)", 1.0), ("mod(-7, 3)", 2.0), ("mod(7, -3)", -2.0), ("mod(-7, -3)", -1.0), ("mod(5.5, 0)", 5.5),
        ("mod(-1e-20, 1)", 1.0), ("floor(-2.5)", -3.0), ("ceil(-2.5)", -2.0), ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0), ("trunc(-2.7)", -2.0), ("hypot(3, 4)", 5.0),
        ("hypot(1e200, 1e200)", 1.4142135623730951e200),
        ("min(4)", 4.0), ("max(1, 5, 3, 2)", 5.0), ("atan2(1, -1)", 3 * Double.pi / 4),
    ])
    func valuesFollowMathJS(_ text: String, _ expected: Double) throws {
        let value = try Program(try Parser.parse(text).expression, variables: []).values(at: [])[0]
        #expect(value == expected, "\(text) = \(value)")
    }
}
