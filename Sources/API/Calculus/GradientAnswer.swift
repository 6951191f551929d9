import Calculus
import JSON

/// `POST /v1/gradient`: f, ∇f (reverse, forward, symbolic or the seed's central differences), its norm
/// and optionally the Hessian.
enum GradientAnswer {
    /// Most variables for a Hessian (n symbolic derivatives and n reverse passes).
    static let maxHessianVariables = 100

    static func answer(_ body: JSONValue, limits: ExpressionLimits) throws -> JSONValue {
        var fields = try JSONFields(body)
        let function = try FunctionInput(&fields, pointKey: "at", limits: limits)
        let at = try function.point(fields.value("at"), key: "at", fields: fields)
        let methodName = try fields.string("method") ?? "reverse"
        guard let method = Gradients.Method(rawValue: methodName) else {
            let names = Gradients.Method.allCases.map(\.rawValue)
            let hint = DidYouMean.hint(for: methodName, among: names)
            throw fields.invalid(
                "method", "must be one of \(names.joined(separator: ", ")), got '\(methodName)'\(hint)")
        }
        let step = try fields.double("h", default: FiniteDifferences.defaultStep, in: 1e-300...1)
        let wantsHessian = try fields.bool("hessian", default: false)
        try fields.finish()
        if wantsHessian && function.variables.count > maxHessianVariables {
            throw fields.invalid("hessian", "a Hessian is computed for at most \(maxHessianVariables) variables")
        }
        let names = function.variables + function.parameters.keys.sorted()
        let point = function.arguments(at)
        let (value, full): (Double, [Double])
        do {
            (value, full) = try Gradients.gradient(
                of: function.expression, variables: names, at: point, method: method, step: step)
        } catch {
            throw Self.apiError(error)
        }
        let gradient = Array(full.prefix(function.variables.count))
        try requireFinite(value, gradient, function, at: at)
        var answer: [(key: String, value: JSONValue)] = []
        if let named = function.named { answer.append(("function", .string(named.name))) }
        let norm = gradient.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        answer.append(("expression", .string(function.text)))
        answer.append(("variables", .array(function.variables.map { JSONValue.string($0) })))
        answer.append(("at", .numbers(at)))
        answer.append(("method", .string(method.rawValue)))
        answer.append(("value", .number(value)))
        answer.append(("gradient", .numbers(gradient)))
        answer.append(("norm", .number(norm)))
        if wantsHessian {
            let hessian: [[Double]]
            do {
                hessian = try Gradients.hessian(of: function.expression, variables: names, at: point)
            } catch {
                throw Self.apiError(error)
            }
            let rows = hessian.prefix(function.variables.count).map { Array($0.prefix(function.variables.count)) }
            guard rows.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                throw APIError.unprocessable("the Hessian is not finite at this point")
            }
            answer.append(("hessian", .array(rows.map { .numbers($0) })))
        }
        return .object(answer)
    }

    /// Symbolic partials (method `symbolic`, and every Hessian) past the node limit name the way out.
    private static func apiError(_ error: DifferentiationError) -> APIError {
        guard case .derivativeTooLarge(let limit) = error else { return DerivativeAnswer.apiError(error) }
        return .unprocessable(
            "the symbolic partial derivatives have more than \(limit) nodes together; use method reverse or forward,"
                + " and no Hessian (it is computed from them)")
    }

    private static func requireFinite(_ value: Double, _ gradient: [Double], _ function: FunctionInput, at: [Double])
        throws(APIError)
    {
        let place = zip(function.variables, at).map { "\($0) = \(DerivativeAnswer.format($1))" }.joined(separator: ", ")
        guard value.isFinite else { throw .unprocessable("f is not finite at \(place)") }
        if let index = gradient.firstIndex(where: { !$0.isFinite }) {
            throw .unprocessable("∂f/∂\(function.variables[index]) is not finite at \(place)")
        }
    }

    /// `GET /v1/functions`: the catalog.
    static func catalog() -> JSONValue {
        .object([
            (
                "functions",
                .array(
                    NamedFunctions.all.map { function in
                        var entry: [(key: String, value: JSONValue)] = [
                            ("name", .string(function.name)), ("description", .string(function.description)),
                            ("formula", .string(function.formula)), ("latex", .string(function.latex)),
                            ("variables", .array(function.variables.map { .string($0) })),
                            (
                                "domain",
                                .array(
                                    function.domain.map { .array([.number($0.lowerBound), .number($0.upperBound)]) })
                            ),
                        ]
                        switch function.arity {
                        case .fixed(let count): entry.append(("arity", ["fixed": .number(Double(count))]))
                        case .dimensional:
                            entry.append(
                                (
                                    "arity",
                                    [
                                        "minimum": .number(Double(function.arity.minimumDimension)),
                                        "default": .number(Double(function.arity.defaultDimension)),
                                        "maximum": .number(Double(function.arity.maximumDimension)),
                                    ]
                                ))
                        }
                        if let minimum = function.knownMinimum {
                            entry.append(
                                (
                                    "minimum",
                                    [
                                        "points": .array(minimum.points.map { .array($0.map { .number($0) }) }),
                                        "value": .number(minimum.value),
                                    ]
                                ))
                        }
                        return .object(entry)
                    })
            )
        ])
    }
}
