import Foundation
import NeuralNet

/// `NablaBenchmarks train`: the training benchmark's two workloads through `TrainingPlan.run` (plan
/// built beforehand, as a request's is before it is queued), timed in process:
/// (a) the seed's clothing-size experiment (`TrainingConfiguration.clothingSize`, 5000 epochs);
/// (b) scikit-learn's digits, standardised, 64-32-10 relu + softmax cross-entropy, SGD lr 0.1, batches
///     of 32 in data order, 20 epochs, from the data file `Benchmarks/python/train_peers.py --export`
///     writes (rows, labels and initial weights the Python peers share; see `train_workload.py`).
///
/// `scripts/bench-train.sh` runs it with the peers and prints the comparison. Environment:
/// `NABLA_BENCH_DIGITS` the data file (default `.build/bench-train/digits.bin`; without it (b) is left
/// out), `NABLA_BENCH_TRAIN_JSON` a path for the figures as JSON (the records `train_report.py` reads).
enum TrainBenchmarks {
    static let suite = BenchmarkSuite(
        name: "train", summary: "training: clothing-size 5000 epochs, digits 64-32-10 (see bench-train.sh)",
        run: run)

    static let digitsEpochs = 20

    static func run(_ options: BenchmarkOptions) {
        let environment = ProcessInfo.processInfo.environment
        let dataPath = environment["NABLA_BENCH_DIGITS"] ?? ".build/bench-train/digits.bin"
        var records = [clothingSize(runs: options.runs)]
        if let digits = DigitsData(path: dataPath) {
            records.append(digitsRecord(digits, runs: options.runs))
        } else {
            print("train: no digits data at \(dataPath) (bash scripts/bench-train.sh writes it): (b) left out")
        }
        print("train: median of \(options.runs) runs after one warm-up, plan built beforehand")
        for record in records { print("  " + record.line) }
        if let path = environment["NABLA_BENCH_TRAIN_JSON"] {
            let json = "{\"records\": [\n" + records.map(\.json).joined(separator: ",\n") + "\n]}\n"
            guard FileManager.default.createFile(atPath: path, contents: Data(json.utf8)) else {
                print("train: cannot write \(path)")
                exit(1)
            }
        }
    }

    /// (a) The seed's experiment, as the `clothing-size` preset runs it.
    static func clothingSize(runs: Int) -> Record {
        let plan = try! TrainingPlan(configuration: .clothingSize, data: .builtIn(.clothingSize))
        var result = plan.run()
        let milliseconds = medianMilliseconds(runs: runs) {
            result = plan.run()
            return result.finalLoss
        }
        return Record(
            workload: "clothing", milliseconds: milliseconds, runs: runs, epochs: result.epochsRun,
            results: [("last_loss", result.lossHistory.last!), ("final_loss", result.finalLoss!)])
    }

    /// (b) Digits from the shared data file.
    static func digitsRecord(_ digits: DigitsData, runs: Int) -> Record {
        let configuration = TrainingConfiguration(
            layers: [
                LayerSpecification(activation: .relu, weights: digits.weights[0], biases: digits.biases[0]),
                LayerSpecification(activation: .softmax, weights: digits.weights[1], biases: digits.biases[1]),
            ],
            loss: .crossEntropy, optimizer: .sgd(learningRate: 0.1), epochs: digitsEpochs, batchSize: 32)
        let plan = try! TrainingPlan(
            configuration: configuration, data: .inline(x: digits.x, y: .values(digits.labels)))
        var result = plan.run()
        let milliseconds = medianMilliseconds(runs: runs) {
            result = plan.run()
            return result.finalLoss
        }
        return Record(
            workload: "digits", milliseconds: milliseconds, runs: runs, epochs: result.epochsRun,
            results: [("loss", result.finalLoss!), ("accuracy", result.finalAccuracy!)])
    }

    /// One workload's figures, in the record format of `train_peers.py`.
    struct Record {
        let workload: String
        let milliseconds: Double
        let runs: Int
        let epochs: Int
        let results: [(String, Double)]

        var line: String {
            let perEpoch = milliseconds / Double(epochs)
            return "\(padded(workload, 9)) \(padded(format(milliseconds, 3), 9, left: true)) ms"
                + "  \(padded(format(perEpoch * 1e3, 2), 9, left: true)) µs/epoch  "
                + results.map { "\($0.0) \($0.1)" }.joined(separator: "  ")
        }

        var json: String {
            let fields =
                [
                    ("workload", "\"\(workload)\""), ("peer", "\"Nabla\""), ("key", "\"nabla\""),
                    ("seconds", "\(milliseconds / 1e3)"), ("runs", "\(runs)"), ("same_start", "true"),
                ] + results.map { ($0.0, "\($0.1)") }
            return " {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
    }
}
