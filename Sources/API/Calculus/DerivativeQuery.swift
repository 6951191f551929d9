import Calculus
import JSON

/// A `POST /v1/derivative` body, validated, with its expression prepared (parsed, checked, compiled,
/// differentiated and printed) or taken ready from the cache.
struct DerivativeQuery {
    let prepared: PreparedDerivative
    let parameters: [String: Double]
    let points: [Double]
    let pointsIsArray: Bool
    /// nil for `"all"`.
    let method: DerivativeMethod?
    let order: Int
    let step: Double?
    let sweep: Bool
    let trace: Bool
    let explain: String?
    /// The named function asked for, if any (then the expression is its formula).
    let function: String?

    /// The limits a client cannot pass.
    struct Limits {
        var expression: ExpressionLimits
        var maxPoints: Int
    }

    static let methodNames = DerivativeMethod.allCases.map(\.wireName) + ["all"]

    var input: ExpressionInput { prepared.input }
    var variable: String { prepared.variable }
    /// The problem with this request's parameter values.
    var problem: DerivativeProblem { prepared.problem.with(parameters: parameters) }

    init(_ body: JSONValue, limits: Limits, cache: DerivativeCache) throws(APIError) {
        var fields = try JSONFields(body)
        // `function`: a name from GET /v1/functions, as /v1/gradient takes it; else `expression`.
        let functionName = try fields.string("function")
        let expressionText = try fields.string("expression")
        var requestedVariable = try fields.string("variable")
        let text: String
        switch (functionName, expressionText) {
        case (let name?, nil):
            guard requestedVariable == nil else {
                throw fields.invalid("variable", "a named function has its own variable")
            }
            (text, requestedVariable) = try Self.namedFunction(name, fields: fields)
        case (_?, _?):
            throw .invalidRequest(
                "give either 'function' or 'expression', not both",
                issues: [FieldIssue(pointer: fields.pointer(to: "function"), detail: "conflicts with 'expression'")])
        case (nil, nil):
            throw .invalidRequest(
                "give either 'expression' or 'function' (a name from GET /v1/functions)",
                issues: [FieldIssue(pointer: fields.pointer(to: "expression"), detail: "required")])
        case (nil, let source?):
            text = source
        }
        self.function = functionName
        parameters = try fields.numberMap("parameters")
        (points, pointsIsArray) = try fields.points("at", maxCount: limits.maxPoints)
        let methodName = try fields.string("method") ?? "symbolic"
        guard Self.methodNames.contains(methodName) else {
            throw fields.invalid(
                "method",
                "must be one of \(Self.methodNames.joined(separator: ", "))"
                    + ", got '\(methodName)'\(DidYouMean.hint(for: methodName, among: Self.methodNames))")
        }
        method = DerivativeMethod(wireName: methodName)
        order = try fields.integer("order", default: 1, in: 1...4)
        let h = try fields.double("h", default: .nan, in: -.infinity ... .infinity)
        step = h.isNaN ? nil : h
        sweep = try fields.bool("sweep", default: false)
        trace = try fields.bool("trace", default: false)
        explain = try fields.string("explain")
        try fields.finish()

        if let step, !(step > 0 && step <= 1) {
            throw fields.invalid("h", "must be greater than 0 and at most 1, got \(step)")
        }
        if let explain, !["en", "zh"].contains(explain) {
            throw fields.invalid("explain", "must be \"en\" or \"zh\", got '\(explain)'")
        }
        if let method, !method.orders.contains(order) {
            throw fields.invalid(
                "order",
                "method '\(method.wireName)' computes orders \(method.orders.lowerBound)–\(method.orders.upperBound); "
                    + "use symbolic or forward for higher orders")
        }
        if method == nil || sweep || trace || explain != nil, pointsIsArray {
            let feature = method == nil ? "method 'all'" : (sweep ? "sweep" : (trace ? "trace" : "explain"))
            throw fields.invalid("at", "\(feature) takes a single point, not an array")
        }
        if (method == nil || sweep) && order != 1 {
            throw fields.invalid("order", "method 'all' and sweep compare first derivatives; order must be 1")
        }
        for name in parameters.keys where !Self.isName(name) {
            throw .invalidRequest(
                "invalid parameter name '\(name)'",
                issues: [FieldIssue(pointer: fields.pointer(to: "parameters") + "/" + name, detail: "not a name")])
        }
        let key = DerivativeCache.Key(
            text: text, variable: requestedVariable, parameterNames: parameters.keys.sorted(), order: order)
        let (read, order) = (fields, order)
        prepared = try cache.prepared(for: key) { () throws(APIError) in
            try PreparedDerivative(key, fields: read, limits: limits.expression, order: order)
        }
    }

    /// 400 unless the answer is arrays of numbers (what `Accept: application/x-npy` can carry): not
    /// method 'all', sweep, trace or explain.
    func requireArrayAnswer() throws(APIError) {
        let feature =
            method == nil ? "method 'all'" : (sweep ? "sweep" : (trace ? "trace" : (explain != nil ? "explain" : nil)))
        guard let feature else { return }
        throw .invalidRequest(
            "Accept: \(NumPyArray.mediaType) answers the rows x, f and the derivative; \(feature) needs JSON",
            issues: [FieldIssue(pointer: feature == "method 'all'" ? "/method" : "/\(feature)", detail: "needs JSON")])
    }

    /// A name an expression can use for a variable: `[A-Za-z_][A-Za-z0-9_]*`, at most 64 characters,
    /// not a function or constant.
    static func isName(_ text: String) -> Bool {
        let isLetter = { (s: Unicode.Scalar) in ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" }
        guard let first = text.unicodeScalars.first, isLetter(first), text.unicodeScalars.count <= 64 else {
            return false
        }
        return text.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
            && !FunctionNames.all.contains(text) && MathConstant(rawValue: text) == nil
    }
}

/// What a derivative request's expression needs whatever the point and the parameter values: the
/// parsed input, the variable, the problem (f and its symbolic derivative compiled) and the printed
/// derivative. Built once per distinct expression and kept in `DerivativeCache`.
struct PreparedDerivative: Sendable {
    let input: ExpressionInput
    let variable: String
    /// With the parameters at 0; `DerivativeQuery.problem` puts in the request's values.
    let problem: DerivativeProblem
    /// The derivative as text and LaTeX, nil when too large to print (then `warning` says so).
    let printed: (text: String, latex: String)?
    let warning: String?

    /// The largest derivative printed, in nodes.
    static let maxPrintedNodes = 20_000

    init(_ key: DerivativeCache.Key, fields: JSONFields, limits: ExpressionLimits, order: Int) throws(APIError) {
        input = try ExpressionInput.read(key.text, pointer: fields.pointer(to: "expression"), limits: limits)
        let parameterNames = Set(key.parameterNames)
        // A name written like a call (`sine(x)`) is a misspelt function, whatever the variable is.
        try input.requireBound(
            Set(input.freeNames).subtracting(input.parsed.calledNames), hint: "it is written like a function call")
        // The variable: as given, else the one free name that is not a parameter.
        let free = input.freeNames.filter { !parameterNames.contains($0) }
        if let requested = key.variable {
            guard DerivativeQuery.isName(requested) else {
                throw fields.invalid("variable", "must be a name like x or t, got '\(requested)'")
            }
            guard !parameterNames.contains(requested) else {
                throw fields.invalid("variable", "'\(requested)' is also given in parameters")
            }
            variable = requested
        } else if free.count <= 1 {
            variable = free.first ?? "x"
        } else {
            throw fields.invalid(
                "variable",
                "the expression has several free names (\(free.joined(separator: ", "))): say which one is the "
                    + "variable, and give the others values in 'parameters'")
        }
        try input.requireBound(
            parameterNames.union([variable]),
            hint: "the variable is '\(variable)'; give other names values in 'parameters'")
        problem = DerivativeProblem(
            expression: input.expression, variable: variable,
            parameters: Dictionary(uniqueKeysWithValues: key.parameterNames.map { ($0, 0.0) }), order: order)
        if let derivative = try? problem.symbolicDerivative().expression,
            derivative.size(upTo: Self.maxPrintedNodes) <= Self.maxPrintedNodes
        {
            // Only the printing is simplified; values come from the compiled derivative as built.
            let simplified = Simplifier.simplifyForPrinting(derivative)
            printed = (ExpressionPrinter.text(simplified), ExpressionPrinter.latex(simplified))
            warning = nil
        } else {
            printed = nil
            warning = "the symbolic derivative is too large to print"
        }
    }
}
