import Foundation
import NeuralNet

/// The reference runs computed with NumPy, in Tests/NeuralNetTests/Reference/ (copies of
/// ../shared/reference/seed-experiments.json and training-cases.json; wide-cases.json from
/// generate_wide_cases.py there).
enum ReferenceRuns {
    /// One layer as the references write it.
    struct Layer: Decodable, Sendable {
        let weights: [[Double]]
        let biases: [Double]
        let activation: String

        /// The layer with its starting parameters.
        var specification: LayerSpecification {
            LayerSpecification(
                activation: ReferenceRuns.activation(named: activation), weights: weights, biases: biases)
        }
    }

    /// The activation the reference files call `name` (NumPy's names for them).
    static func activation(named name: String) -> Activation {
        switch name {
        case "sigmoid": .sigmoid
        case "tanh": .tanh
        case "relu": .relu
        case "linear": .linear
        case "softmax": .softmax
        default: preconditionFailure("no activation '\(name)' in NeuralNet")
        }
    }

    /// The loss the reference files call `name`.
    static func loss(named name: String) -> LossFunction {
        switch name {
        case "mse": .mse
        case "cross_entropy": .crossEntropy
        case "binary_cross_entropy": .binaryCrossEntropy
        default: preconditionFailure("no loss '\(name)' in NeuralNet")
        }
    }

    /// The seed's clothing-size network (`seed_network`).
    struct SeedNetwork: Decodable, Sendable {
        struct Run: Decodable, Sendable {
            let epochs: Int
            let loss_history_first: Double
            let loss_history_at_999: Double?
            let loss_history_last: Double
            let final_loss: Double
            let final: [String: Double]
        }
        struct Data: Decodable, Sendable {
            let x: [Double]
            let y: [Double]
        }
        let data: Data
        let initial: [String: Double]
        let initial_as_layers: [Layer]
        let loss: String
        let learning_rate: Double
        let runs: [Run]
    }

    /// One case of training-cases.json.
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        struct Request: Decodable, Sendable {
            struct Data: Decodable, Sendable {
                let x: [[Double]]
                let y: [Double]
            }
            struct Model: Decodable, Sendable {
                let layers: [Layer]
            }
            struct Optimizer: Decodable, Sendable {
                let name: String
                let learning_rate: Double
                let momentum: Double
            }
            let data: Data
            let model: Model
            let loss: String
            let optimizer: Optimizer
            let epochs: Int
            let batch_size: Int?
            let shuffle: Bool
        }
        let name: String
        let request: Request
        let loss_history_at: [String: Double]
        let final_loss: Double
        var testDescription: String {
            "\(name): \(request.loss), batch \(request.batch_size.map(String.init) ?? "full"), "
                + "momentum \(request.optimizer.momentum)"
        }
    }

    /// One case of wide-cases.json (`generate_wide_cases.py`): a request and NumPy's results in float64
    /// and float32.
    struct WideCase: Decodable, Sendable, CustomTestStringConvertible {
        struct Result: Decodable, Sendable {
            struct LastLayer: Decodable, Sendable {
                let weights: [[Double]]
                let biases: [Double]
            }
            let loss_history: [Double]
            let final_loss: Double
            let last_layer: LastLayer
        }
        let name: String
        let request: Case.Request
        let results: [String: Result]
        var testDescription: String { name }
    }

    private struct WideCasesFile: Decodable {
        let cases: [WideCase]
    }

    private struct SeedFile: Decodable {
        let seed_network: SeedNetwork
    }

    private struct CasesFile: Decodable {
        let cases: [Case]
    }

    private static func load<T: Decodable>(_ name: String, as type: T.Type) -> T {
        let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Reference")!
        return try! JSONDecoder().decode(T.self, from: Foundation.Data(contentsOf: url))
    }

    static let seedNetwork: SeedNetwork = load("seed-experiments", as: SeedFile.self).seed_network
    static let cases: [Case] = load("training-cases", as: CasesFile.self).cases
    static let wideCases: [WideCase] = load("wide-cases", as: WideCasesFile.self).cases
}

import Testing
