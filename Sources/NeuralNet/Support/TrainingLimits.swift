/// The limits a training request must stay within, all checked with overflow-safe arithmetic before
/// anything is allocated (`TrainingPlan.init`). The defaults are issue #4's; the service may configure
/// others.
public struct TrainingLimits: Sendable, Hashable {
    /// One of the limits, for `TrainingError.limitExceeded`.
    public enum Limit: Sendable, Hashable, CaseIterable {
        /// Epochs per run.
        case epochs
        /// Layers per model.
        case layers
        /// Weights and biases per model.
        case parameters
        /// Samples × features of the data.
        case dataValues
        /// The work estimate, rows × parameters: epochs × (training + validation rows), plus the final
        /// evaluations, the curve or boundary and a gradient check (`TrainingPlan.estimatedWork`).
        case work

        /// The setting the limit bounds: the epochs (also for the work, which grows with them), the
        /// layers (also for the parameters), or the data.
        public var setting: TrainingSetting {
            switch self {
            case .epochs, .work: .epochs
            case .layers, .parameters: .layers
            case .dataValues: .data
            }
        }
    }

    /// The most epochs one run may ask for.
    public var maximumEpochs = 1_000_000
    /// The most layers one model may have.
    public var maximumLayers = 32
    /// The most weights and biases one model may have.
    public var maximumParameters = 10_000_000
    /// The most numbers (samples × features) the data may hold.
    public var maximumDataValues = 10_000_000
    /// The most work (about epochs × samples × parameters; `TrainingPlan.estimatedWork`) one run may
    /// ask for: 10¹¹, a few minutes of one core for dense layers.
    public var maximumWork = 100_000_000_000

    /// The defaults above.
    public init() {}

    /// The maximum for `limit`.
    public subscript(limit: Limit) -> Int {
        switch limit {
        case .epochs: maximumEpochs
        case .layers: maximumLayers
        case .parameters: maximumParameters
        case .dataValues: maximumDataValues
        case .work: maximumWork
        }
    }

    /// Throws `limitExceeded` when `value` (nil: it overflowed) is over the maximum for `limit`.
    func check(_ limit: Limit, _ value: Int?) throws(TrainingError) {
        let maximum = self[limit]
        guard let value, value <= maximum else {
            throw .limitExceeded(limit, value: value, maximum: maximum)
        }
    }

    /// `factors` multiplied, or nil when the product overflows `Int`.
    static func product(_ factors: Int...) -> Int? {
        var result = 1
        for factor in factors {
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = next
        }
        return result
    }
}
