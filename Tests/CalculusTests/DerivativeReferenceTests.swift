import Calculus
import Testing

/// Every exact mode against SymPy, and the numerical ones within their expected error.
@Suite struct DerivativeReferenceTests {
    @Test(arguments: ReferenceCases.derivatives)
    func symbolicMatchesSymPy(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let derivative = SymbolicDifferentiation.derivative(of: expression, withRespectTo: "x")
        let value = try Program(derivative, variables: ["x"]).values(at: [[reference.at]])[0]
        #expect(isClose(value, reference.derivative, relative: 1e-12, absolute: 1e-12), "got \(value)")
        // The printed derivative reads back as the same function.
        let reparsed = try Parser.parse(ExpressionPrinter.text(derivative)).expression
        let again = try Program(reparsed, variables: ["x"]).values(at: [[reference.at]])[0]
        #expect(isClose(again, value, relative: 1e-13), "printed: \(ExpressionPrinter.text(derivative))")
    }

    @Test(arguments: ReferenceCases.derivatives)
    func forwardMatchesSymPy(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let program = try Program(expression, variables: ["x"])
        let (values, derivatives) = program.valuesAndDerivatives(at: [[reference.at]], withRespectTo: 0)
        #expect(isClose(values[0], reference.value, relative: 1e-12))
        #expect(isClose(derivatives[0], reference.derivative, relative: 1e-12), "got \(derivatives[0])")
        let dual = try ForwardMode.derivative(of: expression, withRespectTo: "x", at: reference.at, order: 1)
        #expect(isClose(dual.derivative, reference.derivative, relative: 1e-12), "dual: \(dual.derivative)")
    }

    @Test(arguments: ReferenceCases.derivatives)
    func reverseMatchesSymPy(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let (value, gradient) = try Program(expression, variables: ["x"]).gradient(at: [reference.at])
        #expect(isClose(value, reference.value, relative: 1e-12))
        #expect(isClose(gradient[0], reference.derivative, relative: 1e-12), "got \(gradient[0])")
    }

    @Test(arguments: ReferenceCases.derivatives)
    func secondDerivativeMatchesSymPyBySymbolicAndForward(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let second = try SymbolicDifferentiation.derivative(of: expression, withRespectTo: "x", order: 2)
        let symbolic = try Program(second, variables: ["x"]).values(at: [[reference.at]])[0]
        #expect(isClose(symbolic, reference.second, relative: 1e-10, absolute: 1e-10), "symbolic \(symbolic)")
        let forward = try ForwardMode.derivative(of: expression, withRespectTo: "x", at: reference.at, order: 2)
        #expect(isClose(forward.derivative, reference.second, relative: 1e-10, absolute: 1e-10), "forward \(forward)")
    }

    @Test(arguments: ReferenceCases.derivatives)
    func numericalMethodsAreWithinTheirErrors(_ reference: ReferenceCases.DerivativeCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let program = try Program(expression, variables: ["x"])
        let f = { (x: Double) in program.values(at: [[x]])[0] }
        let central = FiniteDifferences.central(f, at: reference.at, step: 1e-4)
        #expect(isClose(central, reference.derivative, relative: 1e-5, absolute: 1e-6), "central \(central)")
        let richardson = FiniteDifferences.richardson(f, at: reference.at, initialStep: 1e-2)
        #expect(isClose(richardson.derivative, reference.derivative, relative: 1e-8, absolute: 1e-8))
        let complex = try ComplexStep.derivative(of: expression, withRespectTo: "x", at: reference.at)
        #expect(isClose(complex.derivative, reference.derivative, relative: 1e-12), "complex \(complex)")
    }
}
