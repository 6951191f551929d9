import Testing

@testable import NeuralNet

/// The engine's blocked, column-major kernels against plain row-major loops written from the documented
/// order of every sum (`x·W` over inputs in order, then the bias; gradients over rows in order; means as
/// a division by the batch size): the same bits, wide and narrow layers alike.
@Suite struct KernelOrderTests {
    /// One full-batch SGD step of a relu network with a linear output and mse, in the plainest code.
    static func plainStep(
        x: [[Double]], y: [Double], weights: inout [[[Double]]], biases: inout [[Double]], learningRate: Double
    ) -> Double {
        let rows = x.count
        var activations = [x]
        var preActivations: [[[Double]]] = []
        for (layer, (w, b)) in zip(weights, biases).enumerated() {
            let input = activations[layer]
            let z = input.map { row in
                (0..<b.count).map { unit in
                    var sum = row[0] * w[0][unit]
                    for i in 1..<row.count { sum += row[i] * w[i][unit] }
                    return sum + b[unit]
                }
            }
            preActivations.append(z)
            let last = layer == weights.count - 1
            activations.append(last ? z : z.map { $0.map { $0 > 0 ? $0 : 0 } })
        }
        let output = activations[weights.count]
        var loss = 0.0
        for row in 0..<rows { loss += (y[row] - output[row][0]) * (y[row] - output[row][0]) }
        var delta = (0..<rows).map { [2 * (output[$0][0] - y[$0])] }
        var gradientsW = weights.map { $0.map { $0.map { _ in 0.0 } } }
        var gradientsB = biases.map { $0.map { _ in 0.0 } }
        for layer in stride(from: weights.count - 1, through: 0, by: -1) {
            let input = activations[layer]
            for i in 0..<weights[layer].count {
                for unit in 0..<biases[layer].count {
                    var sum = 0.0
                    for row in 0..<rows { sum += input[row][i] * delta[row][unit] }
                    gradientsW[layer][i][unit] = sum
                }
            }
            for unit in 0..<biases[layer].count {
                var sum = 0.0
                for row in 0..<rows { sum += delta[row][unit] }
                gradientsB[layer][unit] = sum
            }
            guard layer > 0 else { break }
            delta = (0..<rows).map { row in
                (0..<weights[layer].count).map { i in
                    var sum = delta[row][0] * weights[layer][i][0]
                    for unit in 1..<biases[layer].count { sum += delta[row][unit] * weights[layer][i][unit] }
                    return activations[layer][row][i] > 0 ? sum : 0
                }
            }
        }
        for layer in weights.indices {
            for i in weights[layer].indices {
                for unit in weights[layer][i].indices {
                    weights[layer][i][unit] -= learningRate * (gradientsW[layer][i][unit] / Double(rows))
                }
            }
            for unit in biases[layer].indices {
                biases[layer][unit] -= learningRate * (gradientsB[layer][unit] / Double(rows))
            }
        }
        return loss / Double(rows)
    }

    @Test(arguments: [[17, 9], [3, 2], [40, 1]])
    func blockedKernelsGiveThePlainLoopsBits(hidden: [Int]) throws {
        var state: UInt64 = 99
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1.0p-53 * 2 - 1
        }
        let widths = [5] + hidden + [1]
        var weights = (0..<widths.count - 1).map { l in
            (0..<widths[l]).map { _ in (0..<widths[l + 1]).map { _ in uniform() } }
        }
        var biases = (0..<widths.count - 1).map { l in (0..<widths[l + 1]).map { _ in uniform() * 0.1 } }
        let x = (0..<21).map { _ in (0..<5).map { _ in uniform() } }
        let y = (0..<21).map { _ in uniform() }
        let layers = zip(weights, biases).enumerated().map { index, pair in
            LayerSpecification(
                activation: index == weights.count - 1 ? .linear : .relu, weights: pair.0, biases: pair.1)
        }
        let configuration = TrainingConfiguration(
            layers: layers, loss: .mse, optimizer: .sgd(learningRate: 0.05), epochs: 3)
        let result = try TrainingPlan(configuration: configuration, data: .inline(x: x, y: .values(y))).run()
        var losses: [Double] = []
        for _ in 0..<3 {
            losses.append(Self.plainStep(x: x, y: y, weights: &weights, biases: &biases, learningRate: 0.05))
        }
        #expect(result.lossHistory == losses)
        #expect(result.model.layers.map(\.weights) == weights)
        #expect(result.model.layers.map(\.biases) == biases)
    }
}

/// Batches split into chunks (when their activations would not fit the budget) give the same bits.
@Suite struct ChunkingTests {
    @Test(arguments: [3, 7, 40])
    func chunkedBatchesGiveTheSameBits(budget: Int) throws {
        for reference in ReferenceRuns.cases {
            var plan = try TrainingCaseTests.plan(for: reference)
            let whole = plan.run()
            plan.activationBudget = budget * plan.layout.totalUnits
            let chunked = plan.run()
            #expect(chunked.lossHistory == whole.lossHistory, "\(reference.name)")
            #expect(chunked.model == whole.model, "\(reference.name)")
        }
    }
}
