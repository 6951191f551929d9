/// An optimiser's state for one run: velocities or moments in buffers allocated once. It sees only
/// parameters and gradients (flat, the same layout), never layers.
final class OptimizerState<Scalar: TrainingScalar> {
    private let optimizer: TrainingOptimizer
    private let count: Int
    /// Velocity (momentum, Nesterov) or first moment (Adam).
    private let first: UnsafeMutablePointer<Scalar>
    /// Second moment (Adam).
    private let second: UnsafeMutablePointer<Scalar>
    /// β₁ᵗ and β₂ᵗ for Adam's bias correction, as running products.
    private var beta1Power: Scalar = 1
    private var beta2Power: Scalar = 1

    init(_ optimizer: TrainingOptimizer, count: Int) {
        self.optimizer = optimizer
        self.count = count
        let needsFirst: Bool
        let needsSecond: Bool
        switch optimizer {
        case .sgd(_, let momentum, _): (needsFirst, needsSecond) = (momentum != 0, false)
        case .adam: (needsFirst, needsSecond) = (true, true)
        }
        first = .allocate(capacity: needsFirst ? count : 0)
        first.initialize(repeating: 0, count: needsFirst ? count : 0)
        second = .allocate(capacity: needsSecond ? count : 0)
        second.initialize(repeating: 0, count: needsSecond ? count : 0)
    }

    deinit {
        first.deallocate()
        second.deallocate()
    }

    /// Moves `parameters: [count]` one step against `gradient: [count]` (already averaged).
    func step(_ parameters: UnsafeMutablePointer<Scalar>, gradient: UnsafePointer<Scalar>) {
        let count = count
        switch optimizer {
        case .sgd(let learningRate, let momentumFactor, let nesterov):
            let (lr, momentum) = (Scalar(learningRate), Scalar(momentumFactor))
            if momentum == 0 {
                // Exactly the seed's w = w - lr*dedw: one product, one subtraction, no fused multiply-add.
                for index in 0..<count { parameters[index] -= lr * gradient[index] }
            } else if !nesterov {
                for index in 0..<count {
                    first[index] = momentum * first[index] - lr * gradient[index]
                    parameters[index] += first[index]
                }
            } else {
                for index in 0..<count {
                    first[index] = momentum * first[index] - lr * gradient[index]
                    parameters[index] += momentum * first[index] - lr * gradient[index]
                }
            }
        case .adam(let learningRate, let firstDecay, let secondDecay, let epsilonValue):
            let (lr, beta1, beta2, epsilon) = (
                Scalar(learningRate), Scalar(firstDecay), Scalar(secondDecay), Scalar(epsilonValue)
            )
            beta1Power *= beta1
            beta2Power *= beta2
            let firstCorrection = 1 - beta1Power
            let secondCorrection = 1 - beta2Power
            for index in 0..<count {
                let g = gradient[index]
                first[index] = beta1 * first[index] + (1 - beta1) * g
                second[index] = beta2 * second[index] + (1 - beta2) * g * g
                let firstEstimate = first[index] / firstCorrection
                let secondEstimate = second[index] / secondCorrection
                parameters[index] -= lr * firstEstimate / (secondEstimate.squareRoot() + epsilon)
            }
        }
    }
}
