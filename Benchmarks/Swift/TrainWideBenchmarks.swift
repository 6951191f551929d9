import Foundation
import NeuralNet

/// `NablaBenchmarks train-wide`: wide layers (the GEMM path) on the workloads of
/// `Benchmarks/python/train_wide.py` (wide 64-256-256-10 on 5,000 rows, batch 64; digits 64-32-10,
/// batch 32; 20 epochs, SGD, relu + softmax cross-entropy, data order, the shared initial weights), with
/// one kernel thread and with two, in float64 (and float32 on the wide shape). `scripts/bench-train.sh --wide` runs it and NumPy and prints ratios.
/// Environment: `NABLA_BENCH_WIDE_DIR` the directory of `wide.bin` and `digits-net.bin` (default
/// `.build/bench-train`), `NABLA_BENCH_TRAIN_JSON` a path for the figures as JSON.
enum TrainWideBenchmarks {
    static let suite = BenchmarkSuite(
        name: "train-wide", summary: "training through GEMM: 64-256-256-10 and digits (bench-train.sh --wide)",
        run: run)

    static let workloads: [(name: String, file: String, learningRate: Double, batch: Int)] = [
        ("wide", "wide.bin", 0.05, 64), ("digits", "digits-net.bin", 0.1, 32),
    ]

    static func run(_ options: BenchmarkOptions) {
        let environment = ProcessInfo.processInfo.environment
        let directory = environment["NABLA_BENCH_WIDE_DIR"] ?? ".build/bench-train"
        var records: [String] = []
        print("train-wide: median of \(options.runs) runs after one warm-up, plan built beforehand")
        for workload in workloads {
            guard let data = NetworkData(path: directory + "/" + workload.file) else {
                print("train-wide: no \(workload.file) in \(directory) (train_wide.py export writes it): left out")
                continue
            }
            // float32 on the wide shape only (where it is meant to pay).
            let precisions: [Precision] = workload.name == "wide" ? [.float64, .float32] : [.float64]
            for precision in precisions {
                for threads in [1, 2] {
                    var configuration = configuration(
                        data, learningRate: workload.learningRate, batch: workload.batch)
                    configuration.precision = precision
                    var plan = try! TrainingPlan(
                        configuration: configuration, data: .inline(x: data.x, y: .values(data.labels)))
                    plan.kernelThreads = threads
                    var result = plan.run()
                    let milliseconds = medianMilliseconds(runs: options.runs) {
                        result = plan.run()
                        return result.finalLoss
                    }
                    let (loss, accuracy) = (result.finalLoss!, result.finalAccuracy!)
                    print(
                        "  \(padded(workload.name, 7)) \(precision.rawValue) \(threads) thread(s) "
                            + "\(format(milliseconds, 2)) ms  loss \(loss)  accuracy \(accuracy)")
                    records.append(
                        " {\"workload\": \"\(workload.name)\", \"precision\": \"\(precision.rawValue)\", "
                            + "\"threads\": \(threads), \"milliseconds\": \(milliseconds), \"loss\": \(loss), "
                            + "\"accuracy\": \(accuracy)}")
                }
            }
        }
        if let path = environment["NABLA_BENCH_TRAIN_JSON"] {
            let json = "{\"records\": [\n" + records.joined(separator: ",\n") + "\n]}\n"
            guard FileManager.default.createFile(atPath: path, contents: Data(json.utf8)) else {
                print("train-wide: cannot write \(path)")
                exit(1)
            }
        }
    }

    /// Relu hidden layers and a softmax output from the file's weights, cross-entropy, SGD, 20 epochs.
    static func configuration(_ data: NetworkData, learningRate: Double, batch: Int) -> TrainingConfiguration {
        let last = data.weights.count - 1
        return TrainingConfiguration(
            layers: data.weights.indices.map {
                LayerSpecification(
                    activation: $0 == last ? .softmax : .relu, weights: data.weights[$0], biases: data.biases[$0])
            },
            loss: .crossEntropy, optimizer: .sgd(learningRate: learningRate), epochs: 20, batchSize: batch)
    }
}
