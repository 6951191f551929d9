extension TrainedModel.Layer {
    /// A layer from stored parts, for `TrainedModel.init(layers:normalization:classes:loss:)` (which
    /// checks them): a model kept as data, e.g. in a job's result, predicts again.
    public init(activation: Activation, weights: [[Double]], biases: [Double]) {
        self.weights = weights
        self.biases = biases
        self.activation = activation
    }
}
