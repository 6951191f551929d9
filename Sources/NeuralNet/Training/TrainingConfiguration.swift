/// Everything a training run is asked to do apart from the data. Each field has the default given
/// here; `TrainingPlan.init` validates them all. The same configuration, data and `seed` give
/// bit-identical results on the same machine, run after run and whatever `TrainingPlan.kernelThreads`
/// is: every random draw comes from `SplitMix64`, every sum runs in a fixed order, and `eˣ` and `tanh`
/// are NeuralNet's own (`exponential`, `hyperbolicTangent`). Narrow layers use plain IEEE double
/// arithmetic with no fused multiply-add, in index order whatever the batch is split into; wide layers
/// (`Gemm.isWide`: at least 8 inputs and 8 units and 256 weights) go through OpenBLAS's GEMM, which
/// picks its kernel for the CPU (fused multiply-adds, its own blocked order), so another CPU may differ
/// in the last bits there, and a batch split into chunks (past `TrainingPlan.defaultActivationBudget`
/// activations) sums its wide gradients chunk by chunk. `log`, `log1p`, `sin` and `cos` (the
/// cross-entropies, normal draws, generated datasets) come from the C library.
public struct TrainingConfiguration: Sendable, Hashable {
    /// The layers, first hidden layer to output layer (1 to `TrainingLimits.maximumLayers`).
    public var layers: [LayerSpecification]
    /// The loss; it fixes the output activation (see `LossFunction.requiredOutputActivation`).
    public var loss: LossFunction
    /// The optimiser.
    public var optimizer: TrainingOptimizer
    /// Epochs to run, 1 to `TrainingLimits.maximumEpochs`, unless the run stops earlier.
    public var epochs: Int
    /// Rows per batch (≥ 1); nil, or anything at least the training rows, is one full batch.
    public var batchSize: Int?
    /// False: batches in data order, the last partial batch kept. True: a new seeded permutation of the
    /// training rows every epoch (Fisher–Yates on the previous epoch's order).
    public var shuffle: Bool
    /// The seed for initialisation, splitting, shuffling and generated datasets (separate streams).
    public var seed: UInt64
    /// How weights not given explicitly are drawn.
    public var initialization: Initialization
    /// Feature scaling, fitted on the training rows only.
    public var normalization: NormalizationKind
    /// Fractions of rows for training, validation and test.
    public var split: DataSplit
    /// Stop when the monitored loss stops improving; nil runs every epoch.
    public var earlyStopping: EarlyStopping?
    /// Report progress every this many epochs (≥ 1), and after the last.
    public var recordEvery: Int
    /// Compare backprop with central differences at the initial parameters (see `GradientCheck`).
    public var gradientCheck: Bool
    /// Cells per side of the decision-boundary grid for two-input classifiers (2 to 500).
    public var boundaryResolution: Int
    /// The number type training computes in (the result's model and losses are doubles either way).
    public var precision: Precision

    /// A configuration with the given model and schedule and the defaults for the rest: full batch,
    /// no shuffle, seed 0, Xavier initialisation, no normalisation, all rows for training, no early
    /// stopping, progress every epoch, no gradient check, a 50 × 50 boundary grid, float64.
    public init(
        layers: [LayerSpecification], loss: LossFunction, optimizer: TrainingOptimizer, epochs: Int,
        batchSize: Int? = nil, shuffle: Bool = false, seed: UInt64 = 0, initialization: Initialization = .xavier,
        normalization: NormalizationKind = .none, split: DataSplit = .init(), earlyStopping: EarlyStopping? = nil,
        recordEvery: Int = 1, gradientCheck: Bool = false, boundaryResolution: Int = 50,
        precision: Precision = .float64
    ) {
        self.layers = layers
        self.loss = loss
        self.optimizer = optimizer
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.initialization = initialization
        self.normalization = normalization
        self.split = split
        self.earlyStopping = earlyStopping
        self.recordEvery = recordEvery
        self.gradientCheck = gradientCheck
        self.boundaryResolution = boundaryResolution
        self.precision = precision
    }

    /// The seed experiment (issue #4's clothing-size preset): a 1-2-1 sigmoid network from the seed's
    /// starting weights, MSE, SGD with learning rate 0.5, 5000 epochs, full batch.
    public static let clothingSize = TrainingConfiguration(
        layers: [
            LayerSpecification(activation: .sigmoid, weights: [[0.1, 0.9]], biases: [0.6, -1.5]),
            LayerSpecification(activation: .sigmoid, weights: [[0.1], [0.9]], biases: [0.2]),
        ],
        loss: .mse, optimizer: .sgd(learningRate: 0.5), epochs: 5000)
}

/// The number type a run trains in.
///
/// `float64` (the default) is IEEE double: 15–16 significant digits, results comparable with NumPy's
/// defaults to about 1e-12. `float32` is IEEE single, as PyTorch trains by default: parameters,
/// activations, gradients and optimiser state in floats, so each SIMD register and cache line holds twice
/// as many numbers and GEMM runs at about twice the rate (`sgemm`); the price is about 7 significant
/// digits (rounding of 6e-8 per operation, which accumulates over epochs: losses agree with NumPy's
/// float32 to about 1e-5 relative after a few epochs, not bit for bit), narrow layers through GEMM
/// rather than the double loops tuned for them (small networks gain nothing), and `eˣ`, `tanh`, `log`
/// computed in double and rounded. Loss sums, the history, the returned model and predictions are
/// doubles either way; the gradient check always runs in double.
public enum Precision: String, Sendable, Hashable, CaseIterable {
    /// IEEE double (`Double`).
    case float64
    /// IEEE single (`Float`).
    case float32
}

/// Early stopping, as Keras's `EarlyStopping`: an epoch improves when the monitored loss is below the
/// best so far by more than `minDelta`; after `patience` epochs in a row without improvement the run
/// stops (`StopReason.earlyStopping`).
public struct EarlyStopping: Sendable, Hashable {
    /// Which loss is watched.
    public enum Monitor: Sendable, Hashable, CaseIterable {
        /// The validation loss (needs a validation split).
        case validationLoss
        /// The training loss.
        case loss
    }

    /// The watched loss.
    public var monitor: Monitor
    /// Epochs without improvement tolerated (≥ 0).
    public var patience: Int
    /// The least decrease that counts as improvement (finite, ≥ 0).
    public var minDelta: Double
    /// Return the parameters of the best epoch rather than the last (whatever ends the run).
    public var restoreBest: Bool

    /// Early stopping on `monitor` with the given patience (Keras's defaults otherwise).
    public init(monitor: Monitor = .validationLoss, patience: Int, minDelta: Double = 0, restoreBest: Bool = false) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBest = restoreBest
    }
}

/// The fractions of rows for training, validation and test; they must be ≥ 0 and sum to 1 (within
/// 1e-9). Rows are assigned by a permutation drawn from the seed; each part keeps the data's order.
/// Counts: validation `round(n × validation)`, test `round(n × test)`, training the rest.
public struct DataSplit: Sendable, Hashable {
    /// The training fraction.
    public var train: Double
    /// The validation fraction.
    public var validation: Double
    /// The test fraction.
    public var test: Double

    /// A split; the default keeps every row for training (and the data's order).
    public init(train: Double = 1, validation: Double = 0, test: Double = 0) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}
