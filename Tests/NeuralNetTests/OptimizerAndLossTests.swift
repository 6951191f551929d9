import NeuralNet
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Optimiser steps and loss values on networks small enough to work by hand.
@Suite struct OptimizerAndLossTests {
    /// z = w·1 + b on one sample with target 0: the loss is z², both gradients 2z.
    static func parameters(after epochs: Int, _ optimizer: TrainingOptimizer) throws -> (w: Double, b: Double) {
        let configuration = TrainingConfiguration(
            layers: [LayerSpecification(activation: .linear, weights: [[0.75]], biases: [0.5])], loss: .mse,
            optimizer: optimizer, epochs: epochs)
        let layer = try TrainingPlan(configuration: configuration, data: .inline(x: [[1]], y: .values([0])))
            .run().model.layers[0]
        return (layer.weights[0][0], layer.biases[0])
    }

    @Test func sgdMovesAgainstTheGradient() throws {
        let (w, b) = try Self.parameters(after: 1, .sgd(learningRate: 0.1))
        #expect(w == 0.75 - 0.1 * 2.5)
        #expect(b == 0.5 - 0.1 * 2.5)
    }

    @Test func momentumAccumulatesVelocity() throws {
        let (m, lr) = (0.9, 0.1)
        var (w, b, vw, vb) = (0.75, 0.5, 0.0, 0.0)
        for _ in 0..<3 {
            let g = 2 * (w + b)
            vw = m * vw - lr * g
            vb = m * vb - lr * g
            w += vw
            b += vb
        }
        let trained = try Self.parameters(after: 3, .sgd(learningRate: lr, momentum: m))
        #expect(trained.w == w && trained.b == b)
    }

    @Test func nesterovLooksAhead() throws {
        let (m, lr) = (0.9, 0.1)
        var (w, v) = (0.75, 0.0)
        var b = 0.5
        var vb = 0.0
        for _ in 0..<3 {
            let g = 2 * (w + b)
            v = m * v - lr * g
            vb = m * vb - lr * g
            w += m * v - lr * g
            b += m * vb - lr * g
        }
        let trained = try Self.parameters(after: 3, .sgd(learningRate: lr, momentum: m, nesterov: true))
        #expect(trained.w == w && trained.b == b)
    }

    @Test func adamsFirstStepIsTheLearningRateAgainstTheSign() throws {
        // lr·g / (|g| + ε): lr to within lr·ε/|g| = 4e-11 for g = 2.5.
        let trained = try Self.parameters(after: 1, .adam(learningRate: 0.01))
        #expect(abs(trained.w - (0.75 - 0.01)) < 5e-11)
        #expect(abs(trained.b - (0.5 - 0.01)) < 5e-11)
        // Ten steps against the algorithm written out.
        var (w, b, m, v) = (0.75, 0.5, 0.0, 0.0)
        for t in 1...10 {
            let g = 2 * (w + b)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let step = 0.01 * (m / (1 - pow(0.9, Double(t)))) / ((v / (1 - pow(0.999, Double(t)))).squareRoot() + 1e-8)
            w -= step
            b -= step
        }
        let ten = try Self.parameters(after: 10, .adam(learningRate: 0.01))
        #expect(abs(ten.w - w) < 1e-14 && abs(ten.b - b) < 1e-14)
    }

    /// The first recorded loss of a one-layer network with zero weights and the given biases.
    static func firstLoss(
        _ loss: LossFunction, _ activation: Activation, biases: [Double], y: Targets, rows: Int = 1
    ) throws -> Double {
        let configuration = TrainingConfiguration(
            layers: [
                LayerSpecification(
                    activation: activation, weights: [Array(repeating: 0, count: biases.count)], biases: biases)
            ], loss: loss, optimizer: .sgd(learningRate: 0.1), epochs: 1)
        let x = Array(repeating: [1.0], count: rows)
        return try TrainingPlan(configuration: configuration, data: .inline(x: x, y: y)).run().lossHistory[0]
    }

    @Test func lossesHaveTheirDefinedValues() throws {
        // mse: mean over samples and outputs of (y − ŷ)².
        let mse = try Self.firstLoss(.mse, .linear, biases: [1, 2], y: .rows([[0, 0], [1, 4]]), rows: 2)
        #expect(mse == (1 + 4 + 0 + 4) / 4.0)
        // cross-entropy of equal logits: log of the number of classes.
        let uniform = try Self.firstLoss(.crossEntropy, .softmax, biases: [0, 0, 0], y: .values([2]))
        #expect(abs(uniform - log(3.0)) < 1e-15)
        // binary cross-entropy at σ(0) = ½: log 2.
        let half = try Self.firstLoss(.binaryCrossEntropy, .sigmoid, biases: [0], y: .values([1]))
        #expect(abs(half - log(2.0)) < 1e-15)
    }

    @Test func crossEntropiesStayFiniteForExtremeLogits() throws {
        // log σ(−800) would be log 0 = −∞ computed naively; the stable forms give the exact 800.
        let binary = try Self.firstLoss(.binaryCrossEntropy, .sigmoid, biases: [800], y: .values([0]))
        #expect(binary == 800)
        let categorical = try Self.firstLoss(.crossEntropy, .softmax, biases: [900, 0], y: .values([1]))
        #expect(categorical == 900)
    }
}
