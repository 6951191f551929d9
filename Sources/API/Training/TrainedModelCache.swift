import Jobs
import NeuralNet
import Synchronization
import JSON

/// Models of finished training jobs, rebuilt from their stored results (`parameters`, `normalization`,
/// `classes`, `loss`) on the first prediction and kept for the next ones: the job store keeps the
/// model as data, this keeps the most recently used ready, up to a budget of parameters (a model may
/// have ten million; the newest is kept whatever its size).
final class TrainedModelCache: Sendable {
    private struct Entry {
        let id: JobID
        let model: TrainedModel
        let parameters: Int
    }

    private let entries = Mutex<[Entry]>([])
    private let parameterBudget: Int

    /// A cache of models with at most `parameterBudget` weights and biases in all.
    init(parameterBudget: Int = 4_000_000) {
        self.parameterBudget = parameterBudget
    }

    /// The model of training job `job` (finished with a result), from the cache or rebuilt.
    func model(for job: JobSnapshot) throws(APIError) -> TrainedModel {
        let cached = entries.withLock { entries -> TrainedModel? in
            guard let index = entries.firstIndex(where: { $0.id == job.id }) else { return nil }
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.model
        }
        if let cached { return cached }
        let (model, parameters) = try Self.rebuild(job)
        entries.withLock { entries in
            guard !entries.contains(where: { $0.id == job.id }) else { return }
            entries.append(Entry(id: job.id, model: model, parameters: parameters))
            var total = entries.reduce(0) { $0 + $1.parameters }
            while entries.count > 1 && total > parameterBudget { total -= entries.removeFirst().parameters }
        }
        return model
    }

    /// The model described by the job's result. The result was written by this service, so a part
    /// that does not read back is a bug (500), not the client's error.
    private static func rebuild(_ job: JobSnapshot) throws(APIError) -> (TrainedModel, parameters: Int) {
        guard let bytes = job.result, let result = try? JSONParser.parse(bytes, maxDepth: 64),
            case .array(let layerValues)? = result["parameters"]?["layers"],
            case .string(let lossName)? = result["loss"], let loss = LossFunction(wireName: lossName),
            case .string(let kindName)? = result["normalization"]?["kind"],
            let kind = NormalizationKind(wireName: kindName),
            let offsets = try? JSONArrays.numbers(result["normalization"]?["offsets"] ?? .null, at: ""),
            let scales = try? JSONArrays.numbers(result["normalization"]?["scales"] ?? .null, at: ""),
            offsets.count == scales.count
        else { throw .internalError }
        var layers: [TrainedModel.Layer] = []
        for value in layerValues {
            guard let weights = try? JSONArrays.rows(value["weights"] ?? .null, at: ""),
                let biases = try? JSONArrays.numbers(value["biases"] ?? .null, at: ""),
                case .string(let activationName)? = value["activation"],
                let activation = Activation(wireName: activationName)
            else { throw .internalError }
            layers.append(TrainedModel.Layer(activation: activation, weights: weights, biases: biases))
        }
        var classes: [String]?
        if case .array(let names)? = result["classes"] {
            classes = names.compactMap { if case .string(let name) = $0 { name } else { nil } }
        }
        let parameters = layers.reduce(0) { $0 + $1.weights.count * $1.biases.count + $1.biases.count }
        do {
            let model = try TrainedModel(
                layers: layers, normalization: Normalization(kind: kind, offsets: offsets, scales: scales),
                classes: classes, loss: loss)
            return (model, parameters)
        } catch {
            throw .internalError
        }
    }
}
