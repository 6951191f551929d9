extension TrainingError {
    /// What an invalid setting (`TrainingError.invalidSetting`) must be and is not, with the values a
    /// message needs. A `given` of nil: the value is not worth repeating.
    public enum Reason: Sendable, Hashable {
        /// A whole number must be at least `minimum`.
        case atLeast(Int, given: Int?)
        /// A whole number must lie in `range`.
        case within(ClosedRange<Int>, given: Int)
        /// A number must be finite and ≥ 0.
        case finiteAndNotNegative(given: Double?)
        /// A number must be finite and > 0.
        case finiteAndPositive(given: Double?)
        /// A number must be > 0.
        case positive
        /// A fraction must lie in [0, 1) (momentum, Adam's betas).
        case belowOne(given: Double)
        /// A fraction must lie in [0, 1] (a part of the split).
        case fraction(given: Double)
        /// The split's fractions must sum to 1; they sum to `sum`.
        case fractionsSumToOne(sum: Double)
        /// The layer list must not be empty.
        case noLayers
        /// Nesterov's look-ahead needs a momentum greater than 0.
        case nesterovWithoutMomentum
        /// Early stopping on `monitor` needs a validation split (`DataSplit.validation > 0`).
        case monitorNeedsValidation(EarlyStopping.Monitor)
        /// `activation` may only be the last layer's (softmax).
        case lastLayerOnly(Activation)
        /// `activation` on the output layer needs the loss `loss` (softmax needs cross-entropy).
        case activationNeedsLoss(Activation, loss: LossFunction)
        /// A layer's units must be given when no weights imply them.
        case unitsWithoutWeights
        /// A kept model's normalisation needs one offset and one scale per input.
        case offsetAndScalePerInput
        /// `loss` needs targets with exactly two distinct labels; there are `found`.
        case twoLabels(for: LossFunction, found: Int)
    }
}
