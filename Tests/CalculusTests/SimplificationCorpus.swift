import Foundation
import Testing

/// The simplification corpus (Reference/simplification-corpus.json, written by
/// Reference/make-simplification-corpus.py): textbook exercises with SymPy's best printed derivative.
enum SimplificationCorpus {
    struct Exercise: Decodable, Sendable, CustomTestStringConvertible {
        let category: String
        let expression: String
        /// SymPy's shortest form, in Nabla's expression language.
        let sympy: String
        /// Which of diff, simplify, factor, expand, trigsimp it came from.
        let sympy_form: String
        /// Its operators as printed (the count `Simplifier.operationCount(of:)` makes).
        let sympy_operations: Int
        let points: [Double]
        /// f' at `points` (SymPy, 30 digits).
        let derivatives: [Double]
        var testDescription: String { "d/dx \(expression)" }
    }

    private struct File: Decodable {
        let exercises: [Exercise]
    }

    static let exercises: [Exercise] = {
        let url = Bundle.module.url(
            forResource: "simplification-corpus", withExtension: "json", subdirectory: "Reference")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).exercises
    }()
}
