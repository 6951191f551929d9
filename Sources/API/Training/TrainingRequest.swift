import NeuralNet
import JSON

/// A `POST /v1/train` body as sent: every field read and type-checked, nothing resolved yet. Nil means
/// "not given": then the preset's value or the default applies (`TrainingSubmission`). Ranges and
/// shapes are the engine's to check (`TrainingPlan`), so each is checked in one place.
struct TrainingRequest {
    /// One layer as given.
    struct Layer {
        var units: Int?
        var activation: Activation?
        var weights: [[Double]]?
        var biases: [Double]?
    }

    /// The optimisers by name; `momentum` and `nesterov` are `sgd` with momentum (0.9 unless given).
    enum OptimizerName: String, WireNamed {
        case sgd, momentum, nesterov, adam
        /// `gd`, descent's old name for `sgd`, is read as `sgd` here too (one vocabulary).
        static var aliases: [String: Self] { ["gd": .sgd] }
    }

    /// The optimiser as given: a name and the parameters that were given.
    struct Optimizer {
        var name: OptimizerName
        var learningRate: Double?
        var momentum: Double?
        var nesterov: Bool?
        var beta1: Double?
        var beta2: Double?
        var epsilon: Double?
    }

    /// The initialisation schemes by name (`init_scale` sets the normal's deviation, the uniform's limit).
    enum InitializationName: String, WireNamed {
        case xavier, he, normal, uniform
    }

    /// Where the rows come from.
    enum Data {
        /// `data: {x, y}`.
        case inline(x: [[Double]], y: Targets)
        /// `data: {csv, target}`.
        case csv(text: String, target: String)
        /// `dataset` with `n` and `noise`.
        case dataset(BuiltInDataset, samples: Int?, noise: Double?)
        /// `dataset: "ds_…"`: an uploaded dataset, its `target` column (nil: the dataset's own) and
        /// `features` (nil: every other column).
        case uploaded(id: String, target: String?, features: [String]?)
    }

    /// The id of the uploaded dataset the request names, if it names one.
    var uploadedDatasetID: String? {
        if case .uploaded(let id, _, _) = data { return id }
        return nil
    }

    var preset: TrainingPreset?
    var layers: [Layer]?
    var loss: LossFunction?
    var optimizer: Optimizer?
    /// The top-level `learning_rate` (overrides the optimiser's, e.g. a preset's).
    var learningRate: Double?
    /// As given: its range, 1 to the `--max-epochs` limit, is named in `TrainingSubmission`, which
    /// knows the limit.
    var epochs: Double?
    var batchSize: Int?
    var shuffle: Bool?
    var seed: UInt64?
    var initialization: InitializationName?
    var initScale: Double?
    var data: Data?
    var normalize: NormalizationKind?
    var split: DataSplit?
    var earlyStopping: EarlyStopping?
    var recordEvery: Int?
    var gradientCheck: Bool?
    var boundaryResolution: Int?
    var precision: Precision?
    var wait: Bool

    /// The largest seed: JSON numbers are doubles, exact up to 2⁵³.
    static let maximumSeed = (1 << 53) - 1

    /// Reads `body`; a 400 names the first field of the wrong type, an unknown field, or a field given
    /// where it does not apply.
    init(_ body: JSONValue) throws(APIError) {
        var fields = try JSONFields(body)
        preset = try fields.choice("preset", of: TrainingPreset.self)
        layers = try Self.model(&fields)
        loss = try fields.choice("loss", of: LossFunction.self)
        optimizer = try Self.optimizer(&fields)
        learningRate = try fields.optionalDouble("learning_rate")
        if learningRate != nil, optimizer?.learningRate != nil {
            throw fields.invalid("learning_rate", "is given twice: here and at /optimizer/learning_rate")
        }
        epochs = try fields.optionalWholeNumber("epochs")
        batchSize = try fields.optionalInteger("batch_size", atLeast: 1)
        shuffle = try fields.optionalBool("shuffle")
        if fields.value("seed") != nil {
            seed = UInt64(try fields.integer("seed", default: 0, in: 0...Self.maximumSeed))
        }
        initialization = try fields.choice("init", of: InitializationName.self)
        initScale = try fields.optionalDouble("init_scale")
        if initScale != nil, initialization != .normal, initialization != .uniform {
            throw fields.invalid("init_scale", "applies to init 'normal' and 'uniform' only")
        }
        data = try Self.data(&fields)
        normalize = try fields.choice("normalize", of: NormalizationKind.self)
        split = try Self.split(&fields)
        earlyStopping = try Self.earlyStopping(&fields)
        recordEvery = try fields.optionalInteger("record_every", atLeast: 1)
        gradientCheck = try fields.optionalBool("gradient_check")
        boundaryResolution = try fields.optionalInteger("boundary_resolution", allowed: 2...500)
        precision = try fields.choice("precision", of: Precision.self)
        wait = try fields.bool("wait", default: false)
        try fields.finish()
    }

    /// `model: {layers: [{units, activation, weights, biases}, ...]}`.
    private static func model(_ fields: inout JSONFields) throws(APIError) -> [Layer]? {
        guard var model = try fields.object("model") else { return nil }
        guard let list = model.value("layers") else {
            throw .invalidRequest(
                "'model' needs 'layers'",
                issues: [FieldIssue(pointer: model.pointer(to: "layers"), detail: "is required")])
        }
        let pointer = model.pointer(to: "layers")
        try model.finish()
        guard case .array(let elements) = list else {
            throw JSONArrays.wrongType(pointer, "an array of layers", list)
        }
        var layers: [Layer] = []
        for (index, element) in elements.enumerated() {
            var layer = try JSONFields(element, at: "\(pointer)/\(index)")
            let units = try layer.optionalInteger("units", atLeast: 1)
            let activation = try layer.choice("activation", of: Activation.self)
            let weights = try layer.value("weights").map { value throws(APIError) in
                try JSONArrays.rows(value, at: layer.pointer(to: "weights"))
            }
            let biases = try layer.value("biases").map { value throws(APIError) in
                try JSONArrays.numbers(value, at: layer.pointer(to: "biases"))
            }
            try layer.finish()
            layers.append(Layer(units: units, activation: activation, weights: weights, biases: biases))
        }
        return layers
    }

    /// `optimizer: "adam"` or `optimizer: {name, learning_rate, momentum, nesterov, beta1, beta2, epsilon}`;
    /// a parameter of another optimiser is a 400.
    private static func optimizer(_ fields: inout JSONFields) throws(APIError) -> Optimizer? {
        switch fields.value("optimizer") {
        case .string: return Optimizer(name: try fields.choice("optimizer", of: OptimizerName.self)!)
        case nil, .object: break
        case let other?: throw fields.invalid("optimizer", "expected a name or an object, found \(other.typeName)")
        }
        guard var object = try fields.object("optimizer") else { return nil }
        var optimizer = Optimizer(name: try object.choice("name", of: OptimizerName.self) ?? .sgd)
        optimizer.learningRate = try object.optionalDouble("learning_rate")
        let isAdam = optimizer.name == .adam
        for key in isAdam ? ["momentum", "nesterov"] : ["beta1", "beta2", "epsilon"] where object.value(key) != nil {
            throw object.invalid(key, "does not apply to the optimizer '\(optimizer.name.rawValue)'")
        }
        if isAdam {
            optimizer.beta1 = try object.optionalDouble("beta1")
            optimizer.beta2 = try object.optionalDouble("beta2")
            optimizer.epsilon = try object.optionalDouble("epsilon")
        } else {
            optimizer.momentum = try object.optionalDouble("momentum")
            optimizer.nesterov = try object.optionalBool("nesterov")
        }
        try object.finish()
        return optimizer
    }

    /// `split: {train, validation, test}`; a missing fraction is 0, a missing `train` the rest.
    private static func split(_ fields: inout JSONFields) throws(APIError) -> DataSplit? {
        guard var object = try fields.object("split") else { return nil }
        let validation = try object.optionalDouble("validation") ?? 0
        let test = try object.optionalDouble("test") ?? 0
        let train = try object.optionalDouble("train") ?? 1 - (validation + test)
        try object.finish()
        return DataSplit(train: train, validation: validation, test: test)
    }

    /// `early_stopping: {monitor, patience, min_delta, restore_best}`.
    private static func earlyStopping(_ fields: inout JSONFields) throws(APIError) -> EarlyStopping? {
        guard var object = try fields.object("early_stopping") else { return nil }
        let stopping = EarlyStopping(
            monitor: try object.choice("monitor", of: EarlyStopping.Monitor.self) ?? .validationLoss,
            patience: try object.optionalInteger("patience", atLeast: 0) ?? 10,
            minDelta: try object.optionalDouble("min_delta") ?? 0,
            restoreBest: try object.optionalBool("restore_best") ?? false)
        try object.finish()
        return stopping
    }
}
