import Calculus
import Testing

@Suite struct GradientReferenceTests {
    @Test(arguments: ReferenceCases.gradients)
    func everyGradientMethodMatchesSymPy(_ reference: ReferenceCases.GradientCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        for method in Gradients.Method.allCases {
            let (value, gradient) = try Gradients.gradient(
                of: expression, variables: reference.variables, at: reference.at, method: method)
            let tolerance = method == .central ? 1e-5 : 1e-11
            #expect(isClose(value, reference.value, relative: 1e-12))
            for (got, want) in zip(gradient, reference.gradient) {
                #expect(isClose(got, want, relative: tolerance, absolute: tolerance), "\(method): \(gradient)")
            }
        }
    }

    @Test(arguments: ReferenceCases.gradients)
    func hessianMatchesSymPy(_ reference: ReferenceCases.GradientCase) throws {
        let expression = try Parser.parse(reference.expression).expression.cancellingInverses
        let hessian = try Gradients.hessian(of: expression, variables: reference.variables, at: reference.at)
        for (row, wantRow) in zip(hessian, reference.hessian) {
            for (got, want) in zip(row, wantRow) {
                #expect(isClose(got, want, relative: 1e-10, absolute: 1e-10), "\(hessian)")
            }
        }
    }

    @Test func seedNumericalGradientOfFunction2AtMinus3And4Is6And8() throws {
        let program = try Program(try Parser.parse("x0^2 + x1^2").expression, variables: ["x0", "x1"])
        let gradient = Gradients.numericalGradient(program, at: [-3, 4], step: 1e-4)
        #expect(isClose(gradient[0], -6, relative: 1e-9) && isClose(gradient[1], 8, relative: 1e-9))
    }
}
