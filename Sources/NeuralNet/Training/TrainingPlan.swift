/// A training run checked and ready: the configuration validated, every limit checked (before any
/// allocation that depends on the request's sizes), the data encoded, split and normalised. Build it
/// where requests arrive, so whatever cannot run is an error before anything is queued; then `run` it
/// on a worker thread.
public struct TrainingPlan: Sendable {
    /// Rows of features (normalised) and encoded targets, stored column-major (`Dense`): feature `c` of
    /// row `r` at `featureColumns[c × rows + r]`, so a run of rows is a strided block without copying.
    struct Part: Sendable {
        let rows: Int
        let featureColumns: [Double]
        let targetColumns: [Double]

        init(features: Matrix, targets: Matrix) {
            rows = features.rows
            featureColumns = features.columnMajorValues
            targetColumns = targets.columnMajorValues
        }

        /// The features as a row-major matrix.
        var features: Matrix { Matrix(columnMajor: featureColumns, rows: rows) }
        /// The targets as a row-major matrix.
        var targets: Matrix { Matrix(columnMajor: targetColumns, rows: rows) }
    }

    /// The configuration, as given.
    public let configuration: TrainingConfiguration
    /// The scaling fitted on the training rows.
    public let normalization: Normalization
    /// Class names when the targets were labels (index → label), else nil.
    public let classes: [String]?
    /// Weights and biases in the model.
    public let parameterCount: Int
    /// The work estimate checked against the limit, in rows × parameters: `epochs × (training +
    /// validation rows)` plus the final evaluations, the curve or boundary, and a gradient check's.
    public let estimatedWork: Int
    /// The rows as given, for plotting, when the data are small enough (`DataPoints`), else nil.
    public let points: DataPoints?
    /// The widths of the layers, first hidden layer to output.
    public var layerUnits: [Int] { layout.layers.map(\.units) }

    let layout: ParameterLayout
    /// Explicit starting weights (flat `[inputs, units]`) and biases per layer, where given.
    let explicitWeights: [[Double]?]
    let explicitBiases: [[Double]?]
    let training: Part
    let validation: Part
    let test: Part
    let accuracyRule: AccuracyRule
    /// Per feature, the smallest and largest raw value over all rows (for the curve and the boundary).
    let featureRanges: [ClosedRange<Double>]
    /// The most activations a chunk of a batch may hold (`defaultActivationBudget`); results do not
    /// depend on it, which a test checks by lowering it.
    var activationBudget = Self.defaultActivationBudget
    /// Rows per chunk of work: whole batches unless a batch's activations would pass this many numbers
    /// (2²⁰ unless a test lowers `activationBudget`).
    static let defaultActivationBudget = 1 << 20
    /// Threads a run splits big products of wide layers over: 1, or 2 (the default on a machine with two
    /// processors or more). The second is the run's own, started by `run` and ended with it, at the nice
    /// value of the thread that calls `run` (a kept job's worker) or `kernelNiceness` if higher. The
    /// results are the same bits whatever this is.
    public var kernelThreads = KernelLanes.defaultThreads
    /// A nice value for the run's second thread, when it should be lower in priority than the caller.
    public var kernelNiceness: Int32?

    /// The number of training, validation and test rows.
    public var rowCounts: (train: Int, validation: Int, test: Int) { (training.rows, validation.rows, test.rows) }

    /// Checks `configuration` and `data` against each other and `limits` and prepares the run.
    ///
    /// - Throws: `TrainingError` naming the first offending setting or row.
    public init(
        configuration: TrainingConfiguration, data: DataSource, limits: TrainingLimits = TrainingLimits()
    ) throws(TrainingError) {
        try configuration.validate(limits: limits)
        let (x, y) = try Self.load(data, seed: configuration.seed, limits: limits)
        let rows = x.rows
        let loss = configuration.loss

        // Sizes first, from the request alone: nothing proportional to them is allocated before the limits.
        let lastIndex = configuration.layers.count - 1
        let lastUnits = configuration.layers[lastIndex].units ?? configuration.layers[lastIndex].weights?.first?.count
        let width = try TargetEncoding.width(of: y, loss: loss, outputUnits: lastUnits)
        try limits.check(.dataValues, TrainingLimits.product(rows, width))
        let units = try configuration.resolvedUnits(outputs: width)
        let parameterCount = ParameterLayout.checkedParameterCount(inputs: x.columns, units: units)
        try limits.check(.parameters, parameterCount)
        guard y.count == rows else { throw .countMismatch(at: .targets, expected: rows, actual: y.count) }
        let counts = try configuration.split.counts(rows: rows)
        let work = Self.work(configuration, units: units, inputs: x.columns, counts: counts)
        try limits.check(.work, work)

        let layout = ParameterLayout(
            inputs: x.columns, layers: zip(units, configuration.layers).map { ($0, $1.activation) })
        (explicitWeights, explicitBiases) = try configuration.explicitParameters(layout: layout)
        let encoded = try TargetEncoding.encode(y, loss: loss, width: width)
        points = DataPoints(features: x, targets: encoded.targets, rule: encoded.rule)

        let parts = try configuration.split.indices(rows: rows, seed: configuration.seed)
        let normalization = Normalization(fitting: configuration.normalization, to: x.selectingRows(parts.train))
        func part(_ indices: [Int]) -> Part {
            Part(
                features: normalization.apply(to: x.selectingRows(indices)),
                targets: encoded.targets.selectingRows(indices))
        }
        training = part(parts.train)
        validation = part(parts.validation)
        test = part(parts.test)

        self.configuration = configuration
        self.normalization = normalization
        self.layout = layout
        self.parameterCount = parameterCount!
        self.estimatedWork = work!
        classes = encoded.classes
        accuracyRule = encoded.rule
        featureRanges = (0..<x.columns).map { column in
            var lowest = x[0, column]
            var highest = lowest
            for row in 1..<rows {
                lowest = Swift.min(lowest, x[row, column])
                highest = Swift.max(highest, x[row, column])
            }
            return lowest...highest
        }
    }

    /// The work estimate, in rows × parameters: every epoch's training and validation rows, the final
    /// evaluation and test rows, the curve (one input) or boundary grid (two inputs), and for a gradient
    /// check its two forward passes over up to `GradientCheck.maximumRows` rows per checked parameter;
    /// nil when it overflows.
    private static func work(
        _ configuration: TrainingConfiguration, units: [Int], inputs: Int,
        counts: (train: Int, validation: Int, test: Int)
    ) -> Int? {
        guard let parameters = ParameterLayout.checkedParameterCount(inputs: inputs, units: units) else { return nil }
        var checked = 0
        if configuration.gradientCheck {
            var width = inputs
            for count in units {
                checked += GradientCheck.checkedCount(width * count + count)
                width = count
            }
        }
        let plotted =
            inputs == 1
            ? curvePoints : inputs == 2 ? configuration.boundaryResolution * configuration.boundaryResolution : 0
        guard let epochs = TrainingLimits.product(configuration.epochs, counts.train + counts.validation),
            let checks = TrainingLimits.product(2, checked, Swift.min(counts.train, GradientCheck.maximumRows))
        else { return nil }
        let (rows, overflow) = epochs.addingReportingOverflow(counts.train + counts.test + plotted + checks)
        return overflow ? nil : TrainingLimits.product(rows, parameters)
    }

    /// The features (checked) and targets of `data`, after the data-size limit.
    private static func load(
        _ data: DataSource, seed: UInt64, limits: TrainingLimits
    ) throws(TrainingError) -> (x: Matrix, y: Targets) {
        switch data {
        case .inline(let x, let y):
            guard let first = x.first, !first.isEmpty else {
                throw .emptyData(at: x.isEmpty ? .features : SettingPath.features.appending(0))
            }
            try limits.check(.dataValues, TrainingLimits.product(x.count, first.count))
            guard y.count > 0 else { throw .emptyData(at: .targets) }
            return (try Matrix(validating: x, at: .features), y)
        case .builtIn(let dataset, let samples, let noise):
            let samples = dataset.isGenerated ? samples ?? dataset.defaultSamples : dataset.defaultSamples
            let noise = dataset.isGenerated ? noise ?? 0 : 0
            guard samples >= 2 else {
                throw .invalidSetting(at: SettingPath(.samples), reason: .atLeast(2, given: samples))
            }
            guard noise.isFinite, noise >= 0 else {
                throw .invalidSetting(at: SettingPath(.noise), reason: .finiteAndNotNegative(given: noise))
            }
            try limits.check(.dataValues, TrainingLimits.product(samples, dataset.features))
            return dataset.make(samples: samples, noise: noise, seed: seed)
        }
    }
}
