import Calculus
import JSON

/// Computes a `/v1/derivative` answer (on the job runner) and renders it as JSON.
enum DerivativeAnswer {
    static func answer(_ query: DerivativeQuery, checkInterruption: () throws -> Void) throws -> JSONValue {
        let problem = query.problem
        let method = query.method ?? .symbolic
        let result = try compute(problem, method, query.points, step: query.step)
        try checkInterruption()
        var warnings: [JSONValue] = []
        var fields: [(key: String, value: JSONValue)] = query.function.map { [("function", .string($0))] } ?? []
        fields += [
            ("expression", .string(query.input.text)), ("variable", .string(query.variable)),
            ("at", numbers(query.points, array: query.pointsIsArray)),
            ("method", .string(query.method?.wireName ?? "all")), ("order", .number(Double(query.order))),
        ]
        try requireFinite(result.values, at: query.points, what: "f", problem: problem)
        var derivative: JSONValue = numbers(result.derivatives, array: query.pointsIsArray)
        let kink = query.pointsIsArray ? nil : PointDiagnostics.kink(problem, at: query.points[0])
        if let kink, kink.isDiscontinuous {
            warnings.append(.string(jumpWarning(kink, query)))
            fields.append(("left_limit", .number(kink.leftLimit)))
            fields.append(("right_limit", .number(kink.rightLimit)))
            if !method.isExact { fields.append(("difference_quotient", derivative)) }
            derivative = .null
        } else if let kink {
            let name = derivativeName(order: query.order - 1)
            warnings.append(
                .string(
                    "\(name) is not differentiable in the usual sense at \(query.variable) = \(format(query.points[0])): "
                        + kink.reasons.joined(separator: "; ")
                        + (kink.left == kink.right
                            ? "; the one-sided derivatives agree" : "; the left and right derivatives differ")))
            fields.append(("left_derivative", .number(kink.left)))
            fields.append(("right_derivative", .number(kink.right)))
            if kink.left != kink.right && method.isExact { derivative = .null }
        } else if query.pointsIsArray {
            let (derivatives, missing) = try derivativesWhereTheyExist(query, result)
            if !missing.isEmpty {
                // NaN is written as null.
                derivative = .numbers(derivatives)
                let shown = missing.prefix(5).map { format(query.points[$0.index]) }.joined(separator: ", ")
                warnings.append(
                    .string(
                        "\(derivativeName(order: query.order - 1)) has a jump or a corner at \(missing.count) of the "
                            + "points (\(query.variable) = \(shown)\(missing.count > 5 ? ", …" : "")): the derivative "
                            + "is null there"))
            }
        } else {
            try requireFinite(result.derivatives, at: query.points, what: "the derivative", problem: problem)
        }
        fields.append(("value", numbers(result.values, array: query.pointsIsArray)))
        fields.append(("derivative", derivative))
        if let step = result.step, query.method != nil { fields.append(("h", .number(step))) }
        if let evaluations = result.evaluations, query.method != nil {
            fields.append(("evaluations", .number(Double(evaluations))))
        }
        if let estimates = result.errorEstimates {
            fields.append(("error_estimate", numbers(estimates, array: query.pointsIsArray)))
        }
        if let printed = query.prepared.printed {
            fields.append(("derivative_expression", .string(printed.text)))
            fields.append(("latex", .string(printed.latex)))
        }
        if let warning = query.prepared.warning { warnings.append(.string(warning)) }
        if !query.pointsIsArray, query.order == 1, case .number(let slope) = derivative {
            let x = query.points[0]
            fields.append(
                ("tangent", ["slope": .number(slope), "intercept": .number(result.values[0] - slope * x)]))
        }
        if query.method == nil {
            fields.append(
                ("methods", try DerivativeComparison.all(problem, at: query.points[0], step: query.step, kink: kink)))
        }
        if query.sweep {
            fields.append(("sweep", try DerivativeComparison.sweep(problem, at: query.points[0], kink: kink)))
        }
        if query.trace {
            fields.append(("trace", try DerivativeComparison.trace(problem, at: query.points[0])))
        }
        if let language = query.explain {
            var text = DerivativeExplanation.text(query, result: result, language: language)
            if let kink, !kink.hasDerivative {
                text += language == "zh" ? "；但此处没有导数（见 warnings）" : "; but there is no derivative here (see warnings)"
            }
            fields.append(("explanation", .string(text)))
        }
        if !warnings.isEmpty { fields.append(("warnings", .array(warnings))) }
        return .object(fields)
    }

    /// `Accept: application/x-npy`: the rows x, f and the derivative (NaN where there is none) as a
    /// NumPy array of shape (3, points).
    static func numPyArray(_ query: DerivativeQuery, checkInterruption: () throws -> Void) throws -> [UInt8] {
        let result = try compute(query.problem, query.method ?? .symbolic, query.points, step: query.step)
        try checkInterruption()
        try requireFinite(result.values, at: query.points, what: "f", problem: query.problem)
        let (derivatives, _) = try derivativesWhereTheyExist(query, result)
        return NumPyArray.bytes(rows: [query.points, result.values, derivatives])
    }

    /// The derivatives with NaN at the points where there is none (jumps, and corners for the exact
    /// methods), and those points; a 422 if the derivative is not finite elsewhere.
    static func derivativesWhereTheyExist(_ query: DerivativeQuery, _ result: DerivativeResult) throws(APIError)
        -> (derivatives: [Double], missing: [(index: Int, isJump: Bool)])
    {
        let method = query.method ?? .symbolic
        var derivatives = result.derivatives
        let missing = PointDiagnostics.pointsWithoutDerivative(query.problem, at: query.points)
            .filter { $0.isJump || method.isExact }
        for point in missing { derivatives[point.index] = 0 }
        try requireFinite(derivatives, at: query.points, what: "the derivative", problem: query.problem)
        for point in missing { derivatives[point.index] = .nan }
        return (derivatives, missing)
    }

    /// "f jumps at x = 0: sign at a jump (argument 0); …": what jumped, the limits and what follows.
    static func jumpWarning(_ kink: PointDiagnostics.Kink, _ query: DerivativeQuery) -> String {
        let name = derivativeName(order: query.order - 1)
        let at = "\(query.variable) = \(format(query.points[0]))"
        let limits =
            kink.leftLimit == kink.rightLimit
            ? "its limit is \(format(kink.leftLimit)) from both sides but its value \(format(kink.value))"
            : "its left limit is \(format(kink.leftLimit)), its right limit \(format(kink.rightLimit))"
        return "\(name) jumps at \(at): \(kink.reasons.joined(separator: "; ")); \(limits), so there is no "
            + "derivative (difference quotients grow like 1/h there)"
    }

    /// f, f′, f″, f‴ for orders 0–3.
    static func derivativeName(order: Int) -> String {
        ["f", "f′", "f″", "f‴"][Swift.min(Swift.max(order, 0), 3)]
    }

    static func compute(_ problem: DerivativeProblem, _ method: DerivativeMethod, _ points: [Double], step: Double?)
        throws(APIError) -> DerivativeResult
    {
        do {
            return try DerivativeCalculator.compute(problem, method: method, at: points, step: step)
        } catch {
            throw apiError(error)
        }
    }

    static func apiError(_ error: DifferentiationError) -> APIError {
        switch error {
        case .derivativeTooLarge(let limit):
            .unprocessable("the symbolic derivative has more than \(limit) nodes; use method forward")
        case .unsupportedOrder(let method, let order, let supported):
            .invalidRequest(
                "method '\(method.wireName)' computes orders \(supported.lowerBound)–\(supported.upperBound), not \(order)",
                issues: [FieldIssue(pointer: "/order", detail: "unsupported for method '\(method.wireName)'")])
        case .evaluation(.unboundName(let name)):
            .invalidRequest(
                "the name '\(name)' has no value",
                issues: [FieldIssue(pointer: "/expression", detail: "the name '\(name)' has no value")])
        }
    }

    /// 422 naming the first point where `values` is not finite, and why.
    static func requireFinite(_ values: [Double], at points: [Double], what: String, problem: DerivativeProblem)
        throws(APIError)
    {
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return }
        let x = points[index]
        let reason =
            PointDiagnostics.firstNonFiniteOperation(problem, at: x).map { ": \($0)" }
            ?? (what == "f" ? "" : " (a vertical tangent or a singularity of the derivative)")
        let place = points.count > 1 ? " (point \(index))" : ""
        throw .unprocessable(
            "\(what) is not finite at \(problem.variable) = \(format(x))\(place)\(reason)",
            issues: [
                FieldIssue(pointer: points.count > 1 ? "/at/\(index)" : "/at", detail: "\(what) is not finite here")
            ]
        )
    }

    static func format(_ number: Double) -> String { JSONWriter.string(.number(number)) }

    static func numbers(_ values: [Double], array: Bool) -> JSONValue {
        array ? .numbers(values) : .number(values[0])
    }
}
