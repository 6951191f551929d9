import NeuralNet
import JSON

/// A training request resolved and checked: the preset and the defaults applied, the engine's plan
/// built (every setting, limit and data row checked), the normalised configuration and its hash. It is
/// built before the job is queued, so what cannot run is a 400 at submission, never a failed job.
struct TrainingSubmission: Sendable {
    /// The checked run.
    let plan: TrainingPlan
    /// The whole configuration with every default filled in (`TrainingSubmission+Normalized`), as
    /// JSONWriter writes it, once: stored as the job's request, and what `configHash` is the hash of.
    let normalized: [UInt8]
    /// SHA-256 (hex) of `normalized`: the same configuration (and seed) gives the same hash and a
    /// bit-identical result.
    let configHash: String
    /// Answer with the finished job (`wait: true`).
    let wait: Bool

    /// Learning rate when none is given: Keras's defaults.
    static let defaultLearningRate = 0.01
    static let defaultAdamLearningRate = 0.001
    /// Epochs when neither the request nor a preset says.
    static let defaultEpochs = 100
    /// Hidden layers' activation when none is given (the seeds' networks are sigmoid throughout).
    static let defaultHiddenActivation = Activation.sigmoid
    /// Epoch events per run when `record_every` is not given: about this many.
    static let defaultEpochEvents = 100

    /// Resolves `request` (preset, then the fields given, then defaults) and checks it against `limits`;
    /// `uploaded` is the uploaded dataset the request names, as its caller found it (nil: none found).
    init(_ request: TrainingRequest, limits: TrainingLimits, uploaded: DatasetStore.Entry? = nil) throws(APIError) {
        let base = request.preset?.configuration
        guard var data = request.data ?? request.preset?.data else {
            throw .invalidRequest(
                "the request needs 'data' or 'dataset' (or a 'preset')",
                issues: [FieldIssue(pointer: "/data", detail: "is required: give 'data', 'dataset' or 'preset'")])
        }
        let loss = request.loss ?? base?.loss ?? .mse
        var configuration = TrainingConfiguration(
            layers: try Self.layers(request.layers, loss: loss, base: base), loss: loss,
            optimizer: Self.optimizer(request, base: base),
            epochs: try Self.epochs(request.epochs, limits: limits) ?? base?.epochs ?? Self.defaultEpochs)
        configuration.batchSize = request.batchSize ?? base?.batchSize
        configuration.shuffle = request.shuffle ?? base?.shuffle ?? false
        configuration.seed = request.seed ?? base?.seed ?? 0
        configuration.initialization = Self.initialization(request) ?? base?.initialization ?? .xavier
        configuration.normalization = request.normalize ?? base?.normalization ?? .none
        configuration.split = request.split ?? base?.split ?? DataSplit()
        configuration.earlyStopping = request.earlyStopping ?? base?.earlyStopping
        configuration.recordEvery =
            request.recordEvery
            ?? max(1, (configuration.epochs + Self.defaultEpochEvents - 1) / Self.defaultEpochEvents)
        configuration.gradientCheck = request.gradientCheck ?? base?.gradientCheck ?? false
        configuration.boundaryResolution = request.boundaryResolution ?? base?.boundaryResolution ?? 50
        configuration.precision = request.precision ?? base?.precision ?? .float64

        var origins = TrainingFieldOrigins(learningRateAtTopLevel: request.learningRate != nil)
        let source: DataSource
        switch data {
        case .inline(let x, let y):
            source = .inline(x: x, y: y)
        case .csv(let text, let target):
            let table = try Self.table(text, target: target)
            origins.csvLines = table.lines
            source = .inline(x: table.x, y: table.y)
        case .dataset(let dataset, let samples, let noise):
            origins.datasetSamplesGiven = samples != nil
            source = .builtIn(dataset, samples: samples, noise: noise)
        case .uploaded(let id, let target, let features):
            let (x, y, used) = try Self.uploaded(id, target: target, features: features, entry: uploaded)
            source = .inline(x: x, y: y)
            data = .uploaded(id: id, target: used.target, features: used.features)
        }
        do {
            plan = try TrainingPlan(configuration: configuration, data: source, limits: limits)
        } catch {
            throw origins.apiError(for: error)
        }
        normalized = JSONWriter.bytes(Self.normalized(configuration, units: plan.layerUnits, data: data))
        configHash = SHA256.hex(of: normalized)
        wait = request.wait
    }

    /// The rows of the uploaded dataset `id` (`entry`, if it is that one), with the target and features used.
    private static func uploaded(_ id: String, target: String?, features: [String]?, entry: DatasetStore.Entry?)
        throws(APIError) -> (x: [[Double]], y: Targets, used: (target: String, features: [String]))
    {
        guard let entry, entry.id == id else {
            let detail = "no dataset '\(id)': upload one with POST /v1/datasets (GET /v1/datasets lists yours)"
            throw .invalidRequest(detail, issues: [FieldIssue(pointer: "/dataset", detail: detail)])
        }
        guard let target = target ?? entry.target else {
            let names = entry.table.columns.map { "'\($0.name)'" }.joined(separator: ", ")
            let detail = "is required with an uploaded CSV dataset: the column to predict, one of \(names)"
            throw .invalidRequest("'target' \(detail)", issues: [FieldIssue(pointer: "/target", detail: detail)])
        }
        do {
            let (x, y) = try entry.table.trainingData(target: target, features: features)
            let used = features ?? entry.table.columns.map(\.name).filter { $0 != target }
            return (x, y, (target, used))
        } catch {
            throw .invalidRequest(
                error.message, issues: [FieldIssue(pointer: "/\(error.field)", detail: error.message)])
        }
    }

    /// `epochs` as a whole number, or nil when not given. A fraction or a number past 2⁵³ is a 400 naming
    /// the allowed range, 1 to the limit; a whole number goes to the engine, which checks that range.
    private static func epochs(_ given: Double?, limits: TrainingLimits) throws(APIError) -> Int? {
        guard let given else { return nil }
        if given == given.rounded(.towardZero), let epochs = Int(exactly: given),
            JSONFields.wholeNumbers.contains(epochs)
        {
            return epochs
        }
        let flag = TrainingVocabulary.flag(.epochs)
        let detail =
            "must be \(JSONFields.wholeNumbers(1...limits.maximumEpochs)) (the limit set by nabla serve \(flag)), "
            + "got \(JSONFields.format(given))"
        throw .invalidRequest(
            "invalid value for 'epochs': \(detail)", issues: [FieldIssue(pointer: "/epochs", detail: detail)])
    }

    /// The layers given (defaults for what they leave out), else the preset's; one is needed.
    private static func layers(
        _ given: [TrainingRequest.Layer]?, loss: LossFunction, base: TrainingConfiguration?
    ) throws(APIError) -> [LayerSpecification] {
        guard let given else {
            guard let base else {
                throw .invalidRequest(
                    "the request needs 'model' (or a 'preset')",
                    issues: [FieldIssue(pointer: "/model", detail: "is required: give 'model': {'layers': [...]}")])
            }
            return base.layers
        }
        return given.enumerated().map { index, layer in
            let output = loss.requiredOutputActivation ?? .linear
            return LayerSpecification(
                units: layer.units,
                activation: layer.activation ?? (index == given.count - 1 ? output : defaultHiddenActivation),
                weights: layer.weights, biases: layer.biases)
        }
    }

    /// The optimiser given (defaults for its parameters), else the preset's, else SGD; then the
    /// top-level `learning_rate` if given.
    private static func optimizer(_ request: TrainingRequest, base: TrainingConfiguration?) -> TrainingOptimizer {
        var optimizer = base?.optimizer ?? .sgd(learningRate: defaultLearningRate)
        if let given = request.optimizer {
            let rate = given.learningRate ?? defaultLearningRate
            switch given.name {
            case .sgd:
                optimizer = .sgd(learningRate: rate, momentum: given.momentum ?? 0, nesterov: given.nesterov ?? false)
            case .momentum:
                optimizer = .sgd(learningRate: rate, momentum: given.momentum ?? 0.9, nesterov: given.nesterov ?? false)
            case .nesterov:
                optimizer = .sgd(learningRate: rate, momentum: given.momentum ?? 0.9, nesterov: given.nesterov ?? true)
            case .adam:
                optimizer = .adam(
                    learningRate: given.learningRate ?? defaultAdamLearningRate, beta1: given.beta1 ?? 0.9,
                    beta2: given.beta2 ?? 0.999, epsilon: given.epsilon ?? 1e-8)
            }
        }
        guard let rate = request.learningRate else { return optimizer }
        switch optimizer {
        case .sgd(_, let momentum, let nesterov):
            return .sgd(learningRate: rate, momentum: momentum, nesterov: nesterov)
        case .adam(_, let beta1, let beta2, let epsilon):
            return .adam(learningRate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }

    /// `init` and `init_scale` as the engine's `Initialization`, or nil when `init` is not given.
    private static func initialization(_ request: TrainingRequest) -> Initialization? {
        switch request.initialization {
        case nil: nil
        case .xavier: .xavier
        case .he: .he
        case .normal: request.initScale.map { .normal(standardDeviation: $0) } ?? .normal()
        case .uniform: request.initScale.map { .uniform(limit: $0) } ?? .uniform()
        }
    }

    /// The CSV read, or a 400 naming `/data/csv` (with the line) or `/data/target`.
    private static func table(_ text: String, target: String) throws(APIError) -> CSVTable {
        do {
            return try CSVTable(text, target: target)
        } catch {
            let pointer = error.isAboutTarget ? "/data/target" : "/data/csv"
            throw .invalidRequest(
                "the CSV data cannot be used: \(error.message)",
                issues: [FieldIssue(pointer: pointer, detail: error.message)])
        }
    }
}
