import Calculus
import JSON

/// `POST /v1/descent`: gradient descent (or momentum, Nesterov, AdaGrad, RMSprop, Adam) from a start
/// point, returning the whole path; several learning rates run side by side; optionally a contour grid.
enum DescentAnswer {
    /// Most coordinates (path points × dimension × runs) in one answer: about 40 MB of JSON.
    static let maxReturnedCoordinates = 2_000_000
    /// Most learning rates compared in one request.
    static let maxLearningRates = 10

    static func answer(_ body: JSONValue, limits: ExpressionLimits, checkInterruption: () throws -> Void) throws
        -> JSONValue
    {
        var fields = try JSONFields(body)
        let function = try FunctionInput(&fields, pointKey: "start", limits: limits)
        let start = try function.point(fields.value("start"), key: "start", fields: fields)
        let (optimizer, optimizerRate) = try optimizer(&fields)
        let (rates, compared) = try learningRates(&fields, given: optimizerRate, default: optimizer.defaultLearningRate)
        let steps = try fields.integer("steps", default: 100, in: 0...DescentSettings.maximumSteps)
        let toleranceValue = try fields.double("tolerance", default: -1, in: 0...Double.greatestFiniteMagnitude)
        let gradientName = try fields.string("gradient") ?? "reverse"
        guard ["reverse", "central"].contains(gradientName) else {
            throw fields.invalid("gradient", "must be reverse or central, got '\(gradientName)'")
        }
        let step = try fields.double("h", default: FiniteDifferences.defaultStep, in: 1e-300...1)
        let contour = fields.value("contour")
        try fields.finish()

        let coordinates = (steps + 1) * start.count * rates.count
        guard coordinates <= maxReturnedCoordinates else {
            throw fields.invalid(
                "steps",
                "the path would hold \(coordinates) coordinates (steps + 1) × dimension × learning rates; the limit is "
                    + "\(maxReturnedCoordinates)")
        }
        let program = try function.program()
        let count = function.variables.count
        let valueAndGradient: ([Double]) -> (value: Double, gradient: [Double]) = { point in
            let arguments = function.arguments(point)
            if gradientName == "central" {
                let gradient = Gradients.numericalGradient(program, at: arguments, step: step)
                return (program.values(at: arguments.map { [$0] })[0], Array(gradient.prefix(count)))
            }
            let (value, gradient) = program.gradient(at: arguments)
            return (value, Array(gradient.prefix(count)))
        }
        let settings = DescentSettings(
            learningRate: rates[0], steps: steps, optimizer: optimizer,
            tolerance: toleranceValue < 0 ? nil : toleranceValue)
        var runs: [DescentRun] = []
        do {
            runs = try GradientDescent.runs(
                start: start, settings: settings, learningRates: rates, valueAndGradient: valueAndGradient,
                checkInterruption: checkInterruption)
        } catch let error as OptimizationError {
            throw apiError(error)
        }

        var answer: [(key: String, value: JSONValue)] = []
        if let named = function.named { answer.append(("function", .string(named.name))) }
        answer.append(("expression", .string(function.text)))
        answer.append(("variables", .array(function.variables.map { JSONValue.string($0) })))
        answer.append(("start", vector(start)))
        answer.append(("optimizer", .string(optimizer.name)))
        answer.append(("steps", .number(Double(steps))))
        answer.append(("gradient", .string(gradientName)))
        if !compared {
            answer.append(("learning_rate", .number(rates[0])))
            answer += render(runs[0])
        } else {
            answer.append(
                (
                    "runs",
                    .array(
                        runs.map { run in .object([("learning_rate", .number(run.settings.learningRate))] + render(run))
                        })
                ))
        }
        if let contour {
            answer.append(("contour", try grid(contour, function: function, program: program, checkInterruption)))
        }
        return .object(answer)
    }

    private static func render(_ run: DescentRun) -> [(key: String, value: JSONValue)] {
        [
            ("path", .array(run.path.map(vector))), ("values", vector(run.values)),
            ("gradient_norms", vector(run.gradientNorms)),
            ("final", ["at": vector(run.final.point), "value": .number(run.final.value)]),
            ("iterations", .number(Double(run.iterations))), ("stopped", .string(run.stopped.rawValue)),
        ]
    }

    private static func vector(_ numbers: [Double]) -> JSONValue { .numbers(numbers) }

    /// `learning_rate`, or `learning_rates` (1 to 10 of them, `compared` true: one run each), or the one
    /// given in the optimizer object, else the optimizer's default (as training's).
    private static func learningRates(_ fields: inout JSONFields, given: Double?, default defaultRate: Double)
        throws(APIError) -> (rates: [Double], compared: Bool)
    {
        let single = try fields.double(
            "learning_rate", default: .nan, in: -.greatestFiniteMagnitude ... .greatestFiniteMagnitude)
        let several = fields.value("learning_rates")
        if let given {
            guard single.isNaN else {
                throw fields.invalid("learning_rate", "is given twice: here and at /optimizer/learning_rate")
            }
            guard several == nil else {
                throw fields.invalid("learning_rates", "give learning_rates or /optimizer/learning_rate, not both")
            }
            return ([given], false)
        }
        switch (single.isNaN, several) {
        case (false, nil): return ([single], false)
        case (true, .array(let items)?):
            let rates = items.compactMap { if case .number(let n) = $0 { n } else { nil } }
            guard rates.count == items.count, (1...maxLearningRates).contains(rates.count) else {
                throw fields.invalid("learning_rates", "expected 1 to \(maxLearningRates) numbers")
            }
            return (rates, true)
        case (true, nil): return ([defaultRate], false)
        case (false, _?): throw fields.invalid("learning_rates", "give learning_rate or learning_rates, not both")
        case (true, _?): throw fields.invalid("learning_rates", "expected an array of numbers")
        }
    }

    /// The optimizer's own settings, by name.
    static let settings: [String: [String]] = [
        "sgd": [], "momentum": ["momentum"], "nesterov": ["momentum"], "adagrad": ["epsilon"],
        "rmsprop": ["decay", "epsilon"], "adam": ["beta1", "beta2", "epsilon"],
    ]

    /// The optimizer and its own settings, and the learning rate its object gave. As in training,
    /// `optimizer` is a name or `{name, learning_rate, momentum, decay, beta1, beta2, epsilon}`; the
    /// settings may also stand at the top level (not both). A setting of another optimizer is refused.
    private static func optimizer(_ fields: inout JSONFields) throws(APIError) -> (Optimizer, Double?) {
        let any = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        let keys = ["momentum", "decay", "beta1", "beta2", "epsilon"]
        var given: [String: Double] = [:]
        for key in keys {
            let value = try fields.double(key, default: .nan, in: any)
            if !value.isNaN { given[key] = value }
        }
        var name = "sgd"
        var rate: Double?
        var namePointer = fields.pointer(to: "optimizer")
        switch fields.value("optimizer") {
        case nil: break
        case .string(let text)?: name = text
        case .object?:
            guard var object = try fields.object("optimizer") else { break }
            name = try object.string("name") ?? "sgd"
            namePointer = object.pointer(to: "name")
            rate = try object.optionalDouble("learning_rate")
            for key in keys {
                let value = try object.double(key, default: .nan, in: any)
                guard !value.isNaN else { continue }
                guard given[key] == nil else {
                    throw object.invalid(key, "is given twice: here and at /\(key)")
                }
                given[key] = value
            }
            try object.finish()
        case let other?:
            throw fields.invalid("optimizer", "expected a name or an object, found \(other.typeName)")
        }
        let canonical = Optimizer.aliases[name] ?? name
        guard let allowed = settings[canonical] else {
            let detail =
                "must be one of \(Optimizer.names.joined(separator: ", "))"
                + ", got '\(name)'\(DidYouMean.hint(for: name, among: Optimizer.names))"
            throw .invalidRequest(
                "invalid value for 'optimizer': \(detail)", issues: [FieldIssue(pointer: namePointer, detail: detail)])
        }
        if let stray = given.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fields.invalid(stray, "does not apply to the optimizer '\(canonical)'")
        }
        let optimizer: Optimizer =
            switch canonical {
            case "momentum": .momentum(given["momentum"] ?? 0.9)
            case "nesterov": .nesterov(momentum: given["momentum"] ?? 0.9)
            case "adagrad": .adagrad(epsilon: given["epsilon"] ?? 1e-8)
            case "rmsprop": .rmsprop(decay: given["decay"] ?? 0.9, epsilon: given["epsilon"] ?? 1e-8)
            case "adam":
                .adam(beta1: given["beta1"] ?? 0.9, beta2: given["beta2"] ?? 0.999, epsilon: given["epsilon"] ?? 1e-8)
            default: .gradientDescent
            }
        do { try optimizer.validate() } catch { throw apiError(error) }
        return (optimizer, rate)
    }

    /// `contour: {x: [min, max], y: [min, max], n}` for functions of two variables.
    private static func grid(
        _ value: JSONValue, function: FunctionInput, program: Program, _ checkInterruption: () throws -> Void
    ) throws -> JSONValue {
        var fields = try JSONFields(value, at: "/contour")
        guard function.variables.count == 2 else {
            throw APIError.invalidRequest(
                "a contour grid needs a function of two variables",
                issues: [
                    FieldIssue(pointer: "/contour", detail: "the function has \(function.variables.count) variables")
                ])
        }
        func range(_ key: String, _ fallback: ClosedRange<Double>) throws(APIError) -> ClosedRange<Double> {
            guard let item = fields.value(key) else { return fallback }
            guard case .array(let bounds) = item, bounds.count == 2, case .number(let low) = bounds[0],
                case .number(let high) = bounds[1], low < high
            else { throw fields.invalid(key, "expected [min, max] with min < max") }
            return low...high
        }
        let defaultBox = function.named?.domain ?? [-5...5, -5...5]
        let x = try range("x", defaultBox[0])
        let y = try range("y", defaultBox[1])
        let n = try fields.integer("n", default: 50, in: 2...Contour.maximumResolution)
        try fields.finish()
        let grid: ContourGrid
        do {
            grid = try Contour.grid(
                x: x, y: y, resolution: n, value: { program.values(at: function.arguments($0).map { [$0] })[0] },
                checkInterruption: checkInterruption)
        } catch let error as OptimizationError {
            throw apiError(error)
        }
        return [
            "x": vector(grid.xs), "y": vector(grid.ys),
            "values": .array(grid.values.map { row in .array(row.map { $0.map(JSONValue.number) ?? .null }) }),
        ]
    }

    static func apiError(_ error: OptimizationError) -> APIError {
        switch error {
        case .invalidSetting(let setting, let reason):
            let names = [
                "learningRate": "learning_rate", "x": "contour/x", "y": "contour/y", "resolution": "contour/n",
            ]
            let field = names[setting] ?? setting
            return .invalidRequest(
                "invalid value for '\(field)': \(reason)", issues: [FieldIssue(pointer: "/" + field, detail: reason)])
        case .notFiniteAtStart:
            return .unprocessable(error.description, issues: [FieldIssue(pointer: "/start", detail: error.description)])
        case .pathTooLarge:
            return .invalidRequest(
                error.description, issues: [FieldIssue(pointer: "/steps", detail: error.description)])
        case .gradientSizeMismatch: return .internalError
        }
    }
}
