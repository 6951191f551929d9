/// One dense layer as a request describes it: its width and activation, and optionally its starting
/// weights and biases (otherwise drawn by the run's `Initialization`).
public struct LayerSpecification: Sendable, Hashable {
    /// The number of units. Nil when `weights` imply it, or on the last layer, where the targets'
    /// width (the number of outputs or classes) fills it in.
    public var units: Int?
    /// The activation.
    public var activation: Activation
    /// Starting weights `[inputs][units]` (row vectors: `x·W + b`), or nil to initialise them.
    public var weights: [[Double]]?
    /// Starting biases `[units]`, or nil: zeros with explicit weights, else zeros as well (every
    /// initialisation scheme starts biases at 0).
    public var biases: [Double]?

    /// A layer of `units` units (nil: implied) with `activation`, optionally from given parameters.
    public init(units: Int? = nil, activation: Activation, weights: [[Double]]? = nil, biases: [Double]? = nil) {
        self.units = units
        self.activation = activation
        self.weights = weights
        self.biases = biases
    }
}
