import Foundation

/// The reference cases computed with SymPy (30 digits) and NumPy, in Tests/CalculusTests/Reference/
/// (copies of ../shared/reference/).
enum ReferenceCases {
    struct DerivativeCase: Decodable, Sendable, CustomTestStringConvertible {
        let expression: String
        let variable: String
        let at: Double
        let value: Double
        let derivative: Double
        let second: Double
        var testDescription: String { "d/d\(variable) \(expression) at \(at)" }
    }

    struct GradientCase: Decodable, Sendable, CustomTestStringConvertible {
        let expression: String
        let variables: [String]
        let at: [Double]
        let value: Double
        let gradient: [Double]
        let hessian: [[Double]]
        var testDescription: String { "∇ \(expression) at \(at)" }
    }

    private struct File: Decodable {
        let derivative: [DerivativeCase]
        let gradient: [GradientCase]
    }

    private static let file: File = {
        let url = Bundle.module.url(
            forResource: "differentiation-cases", withExtension: "json", subdirectory: "Reference")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }()

    static var derivatives: [DerivativeCase] { file.derivative }
    static var gradients: [GradientCase] { file.gradient }

    /// The seed tutorials' numerical derivatives (seed-experiments.json).
    struct SeedDerivative: Decodable, Sendable {
        struct Tangent: Decodable, Sendable {
            let slope: Double
            let intercept: Double
        }
        let expression: String
        let at: Double
        let h: Double
        let central: Double
        let exact: Double
        let tangent: Tangent
    }

    private struct SeedFile: Decodable {
        let numerical_diff: [SeedDerivative]
    }

    static let seedDerivatives: [SeedDerivative] = {
        let url = Bundle.module.url(forResource: "seed-experiments", withExtension: "json", subdirectory: "Reference")!
        return try! JSONDecoder().decode(SeedFile.self, from: Data(contentsOf: url)).numerical_diff
    }()
}

import Testing

/// `|actual - expected| <= max(absolute, relative·max(|actual|, |expected|))`, as check_reference.py.
func isClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 1e-12) -> Bool {
    Swift.abs(actual - expected) <= Swift.max(absolute, relative * Swift.max(Swift.abs(actual), Swift.abs(expected)))
}
