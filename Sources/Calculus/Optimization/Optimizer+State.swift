extension Optimizer {
    /// What an optimizer remembers between steps, and the update itself. Formulas are in the case
    /// documentation of `Optimizer`; each is applied coordinate by coordinate, in place.
    struct State {
        let optimizer: Optimizer
        let learningRate: Double
        /// Velocity (momentum, Nesterov), first moment (Adam) or running sum of squares (AdaGrad, RMSprop).
        private var first: [Double]
        /// Second moment (Adam).
        private var second: [Double]
        /// β₁ᵗ and β₂ᵗ for Adam's bias correction, kept as running products rather than recomputed powers.
        private var beta1Power = 1.0
        private var beta2Power = 1.0

        init(_ optimizer: Optimizer, learningRate: Double, dimension: Int) {
            self.optimizer = optimizer
            self.learningRate = learningRate
            first = Array(repeating: 0, count: dimension)
            second = Array(repeating: 0, count: dimension)
        }

        /// Where Nesterov takes the gradient, `p + m·v`; nil for every other optimizer.
        func lookAhead(from point: [Double]) -> [Double]? {
            guard case .nesterov(let momentum) = optimizer else { return nil }
            return point.indices.map { point[$0] + momentum * first[$0] }
        }

        /// Moves `point` one step, given the gradient (at the look-ahead point for Nesterov).
        mutating func step(_ point: inout [Double], gradient: [Double]) {
            let lr = learningRate
            switch optimizer {
            case .gradientDescent:
                // Exactly the seed's `x -= lr * grad`: one product, one subtraction, no fused multiply-add.
                for i in point.indices { point[i] -= lr * gradient[i] }
            case .momentum(let momentum), .nesterov(let momentum):
                for i in point.indices {
                    first[i] = momentum * first[i] - lr * gradient[i]
                    point[i] += first[i]
                }
            case .adagrad(let epsilon):
                for i in point.indices {
                    first[i] += gradient[i] * gradient[i]
                    point[i] -= lr * gradient[i] / (first[i].squareRoot() + epsilon)
                }
            case .rmsprop(let decay, let epsilon):
                for i in point.indices {
                    first[i] = decay * first[i] + (1 - decay) * gradient[i] * gradient[i]
                    point[i] -= lr * gradient[i] / (first[i].squareRoot() + epsilon)
                }
            case .adam(let beta1, let beta2, let epsilon):
                beta1Power *= beta1
                beta2Power *= beta2
                for i in point.indices {
                    first[i] = beta1 * first[i] + (1 - beta1) * gradient[i]
                    second[i] = beta2 * second[i] + (1 - beta2) * gradient[i] * gradient[i]
                    let firstCorrected = first[i] / (1 - beta1Power)
                    let secondCorrected = second[i] / (1 - beta2Power)
                    point[i] -= lr * firstCorrected / (secondCorrected.squareRoot() + epsilon)
                }
            }
        }
    }
}
