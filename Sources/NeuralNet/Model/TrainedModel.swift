/// A trained network and what it needs to predict: its parameters, the normalisation fitted on the
/// training rows and the class names. Keep it to answer predictions later.
public struct TrainedModel: Sendable, Hashable {
    /// One layer's parameters.
    public struct Layer: Sendable, Hashable {
        /// `[inputs][units]`.
        public var weights: [[Double]]
        /// `[units]`.
        public var biases: [Double]
        /// The activation.
        public var activation: Activation
    }

    /// What a prediction gives.
    public struct Prediction: Sendable, Hashable {
        /// The network's outputs, `[rows, outputs]`.
        public var outputs: Matrix
        /// Classification: the predicted class of each row (argmax, or output ≥ 0.5 for one sigmoid output).
        public var classIndices: [Int]?
        /// Classification with labels: the predicted label of each row.
        public var labels: [String]?
    }

    /// The normalisation applied to inputs before the first layer.
    public let normalization: Normalization
    /// The class names (index → label) when trained on labels.
    public let classes: [String]?
    /// The loss it was trained on.
    public let loss: LossFunction
    let layout: ParameterLayout
    /// Every parameter in `ParameterLayout` order.
    let parameters: [Double]
    let accuracyRule: AccuracyRule

    /// A model over `parameters` laid out as `layout`.
    init(
        normalization: Normalization, classes: [String]?, loss: LossFunction, layout: ParameterLayout,
        parameters: [Double], accuracyRule: AccuracyRule
    ) {
        self.normalization = normalization
        self.classes = classes
        self.loss = loss
        self.layout = layout
        self.parameters = parameters
        self.accuracyRule = accuracyRule
    }

    /// A model from stored parts (a result's `layers`, `normalization`, `classes` and `loss`), so a
    /// job store can keep models as data and predict again after a restart.
    ///
    /// - Throws: `TrainingError` under `layers` when a layer's weights do not chain onto the
    ///   previous layer's units, biases do not match, a number is not finite or there are no layers;
    ///   `invalidSetting` under `normalization` when it does not have one offset and scale per input.
    public init(
        layers: [Layer], normalization: Normalization, classes: [String]?, loss: LossFunction
    ) throws(TrainingError) {
        let specifications = layers.map {
            LayerSpecification(activation: $0.activation, weights: $0.weights, biases: $0.biases)
        }
        guard let inputs = layers.first?.weights.count, inputs > 0 else {
            throw .emptyData(at: .layers)
        }
        let shapes = specifications.map { ($0.weights?.first?.count ?? 0, $0.activation) }
        let layout = ParameterLayout(inputs: inputs, layers: shapes)
        let configuration = TrainingConfiguration(
            layers: specifications, loss: loss, optimizer: .sgd(learningRate: 1), epochs: 1)
        let (weights, biases) = try configuration.explicitParameters(layout: layout)
        guard normalization.offsets.count == inputs else {
            throw .invalidSetting(at: SettingPath(.normalization), reason: .offsetAndScalePerInput)
        }
        var parameters = Array(repeating: 0.0, count: layout.parameterCount)
        for (index, layer) in layout.layers.enumerated() {
            parameters.replaceSubrange(layer.weightOffset..<layer.biasOffset, with: weights[index]!)
            parameters.replaceSubrange(layer.biasOffset..<layer.biasOffset + layer.units, with: biases[index]!)
        }
        let rule: AccuracyRule =
            switch loss {
            case .crossEntropy: .argmax
            case .binaryCrossEntropy: .threshold
            case .mse: classes == nil ? .none : .argmax
            }
        self.init(
            normalization: normalization, classes: classes, loss: loss, layout: layout, parameters: parameters,
            accuracyRule: rule)
    }

    /// The number of inputs.
    public var inputs: Int { layout.inputs }
    /// The number of outputs.
    public var outputs: Int { layout.outputs }

    /// The layers' parameters, first to last.
    public var layers: [Layer] {
        layout.layers.map { layer in
            let weights = (0..<layer.inputs).map { input in
                Array(
                    parameters[
                        layer.weightOffset + input * layer.units..<layer.weightOffset + (input + 1) * layer.units])
            }
            let biases = Array(parameters[layer.biasOffset..<layer.biasOffset + layer.units])
            return Layer(weights: weights, biases: biases, activation: layer.activation)
        }
    }

    /// The outputs for rows of raw (unnormalised) inputs.
    ///
    /// - Throws: `TrainingError` naming `predictionInputs` (the rows) when they are empty, ragged, not finite or of
    ///   another width than the model's inputs.
    public func predict(_ x: [[Double]]) throws(TrainingError) -> Prediction {
        let path = SettingPath(.predictionInputs)
        let matrix = try Matrix(validating: x, at: path)
        guard matrix.columns == inputs else {
            throw .shapeMismatch(at: path.appending(0), expected: inputs, actual: matrix.columns)
        }
        return predict(normalization.apply(to: matrix))
    }

    /// The outputs for rows already normalised.
    func predict(_ x: Matrix) -> Prediction {
        let outputs = forward(x)
        var classIndices: [Int]?
        switch accuracyRule {
        case .none:
            break
        case .argmax:
            classIndices = outputs.values.withUnsafeBufferPointer { values in
                (0..<outputs.rows).map {
                    AccuracyRule.largest(values.baseAddress! + $0 * outputs.columns, outputs.columns)
                }
            }
        case .threshold:
            if outputs.columns == 1 { classIndices = outputs.values.map { $0 >= 0.5 ? 1 : 0 } }
        }
        let labels = classes.flatMap { classes in classIndices.map { $0.map { classes[$0] } } }
        return Prediction(outputs: outputs, classIndices: classIndices, labels: labels)
    }

    /// The network's outputs `[rows, outputs]` for normalised inputs `x: [rows, inputs]` (row-major),
    /// in chunks through the column-major workspace.
    func forward(_ x: Matrix) -> Matrix {
        let workspace = Workspace<Double>(layout: layout, capacity: Swift.max(1, Swift.min(x.rows, 1024)))
        let capacity = workspace.capacity
        var result = Matrix(rows: x.rows, columns: outputs)
        let (inputs, outputs) = (inputs, outputs)
        parameters.withUnsafeBufferPointer { parameters in
            var start = 0
            while start < x.rows {
                let rows = Swift.min(capacity, x.rows - start)
                for row in 0..<rows {
                    for input in 0..<inputs { workspace.inputRows[input * capacity + row] = x[start + row, input] }
                }
                workspace.forward(
                    parameters: parameters.baseAddress!, x: workspace.inputRows, xStride: capacity, rows: rows)
                for row in 0..<rows {
                    for output in 0..<outputs {
                        result[start + row, output] = workspace.outputActivations[output * capacity + row]
                    }
                }
                start += rows
            }
        }
        return result
    }
}
