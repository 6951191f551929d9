import Calculus
import JSON

/// `function` (a named function) or `expression` (text), with its variables in order and the point(s)
/// given for them: the shared front of `/v1/gradient` and `/v1/descent`.
struct FunctionInput {
    /// The function as a tree (inverse compositions cancelled).
    let expression: Calculus.Expression
    /// Its variables, in the order of every point.
    let variables: [String]
    /// The named function, when one was asked for.
    let named: NamedFunction?
    /// The expression as text (the request's, or the named function's formula).
    let text: String
    /// Values of names that are not variables.
    let parameters: [String: Double]

    /// Reads `function` or `expression`, `variables` and `parameters`; `pointKey` is the field whose
    /// length decides the dimension of an n-dimensional named function.
    init(_ fields: inout JSONFields, pointKey: String, limits: ExpressionLimits) throws(APIError) {
        let functionName = try fields.string("function")
        let expressionText = try fields.string("expression")
        let requestedVariables = fields.value("variables")
        parameters = try fields.numberMap("parameters")
        let point = fields.peek(pointKey)
        switch (functionName, expressionText) {
        case (nil, nil):
            throw .invalidRequest(
                "give either 'function' (a name from GET /v1/functions) or 'expression'",
                issues: [FieldIssue(pointer: fields.pointer(to: "expression"), detail: "required")])
        case (.some, .some):
            throw .invalidRequest(
                "give either 'function' or 'expression', not both",
                issues: [FieldIssue(pointer: fields.pointer(to: "function"), detail: "conflicts with 'expression'")])
        case (let name?, nil):
            guard var function = NamedFunctions.named(name) else {
                throw .notFound(
                    "no function named '\(name)'\(DidYouMean.hint(for: name, among: NamedFunctions.names)); known functions: "
                        + NamedFunctions.names.joined(separator: ", "))
            }
            if case .dimensional = function.arity, let dimension = Self.dimension(of: point) {
                do { function = try function.withDimension(dimension) } catch {
                    throw fields.invalid(pointKey, error.description)
                }
            }
            guard requestedVariables == nil else {
                throw fields.invalid("variables", "a named function has its own variables: \(function.variables)")
            }
            named = function
            expression = function.expression
            variables = function.variables
            text = function.formula
        case (nil, let source?):
            let input = try ExpressionInput.read(source, pointer: fields.pointer(to: "expression"), limits: limits)
            let free = input.freeNames.filter { [parameters] in parameters[$0] == nil }
            if let requestedVariables {
                guard case .array(let items) = requestedVariables,
                    let names = Optional(items.compactMap { if case .string(let s) = $0 { s } else { nil } }),
                    names.count == items.count, !names.isEmpty, Set(names).count == names.count,
                    names.allSatisfy(DerivativeQuery.isName)
                else {
                    throw fields.invalid("variables", "expected an array of distinct variable names")
                }
                variables = names
            } else if case .object(let members) = point {
                // A named point: the expression's names in order of appearance, then any others it names.
                let given = members.map(\.key)
                variables = free + given.filter { !free.contains($0) }
            } else {
                variables = free
            }
            guard variables.count <= NamedFunction.Arity.maximumDimension else {
                throw fields.invalid("variables", "at most \(NamedFunction.Arity.maximumDimension) variables")
            }
            try input.requireBound(
                Set(variables).union(parameters.keys), hint: "list it in 'variables' or give it in 'parameters'")
            named = nil
            expression = input.expression.cancellingInverses
            text = source
        }
    }

    /// The point for the variables: an array in their order, or an object naming each.
    func point(_ value: JSONValue?, key: String, fields: JSONFields) throws(APIError) -> [Double] {
        switch value {
        case .array(let items):
            guard items.count == variables.count else {
                throw fields.invalid(
                    key,
                    "expected \(variables.count) numbers for (\(variables.joined(separator: ", "))), got \(items.count)"
                )
            }
            var numbers: [Double] = []
            for (index, item) in items.enumerated() {
                guard case .number(let number) = item else {
                    throw .invalidRequest(
                        "invalid value for '\(key)'",
                        issues: [
                            FieldIssue(pointer: fields.pointer(to: key) + "/\(index)", detail: "expected a number")
                        ])
                }
                numbers.append(number)
            }
            return numbers
        case .object(let members):
            var byName: [String: Double] = [:]
            for (name, item) in members {
                guard case .number(let number) = item else {
                    throw .invalidRequest(
                        "invalid value for '\(key)'",
                        issues: [FieldIssue(pointer: fields.pointer(to: key) + "/" + name, detail: "expected a number")]
                    )
                }
                guard variables.contains(name) else {
                    throw fields.invalid(
                        key, "'\(name)' is not a variable; variables: \(variables.joined(separator: ", "))")
                }
                byName[name] = number
            }
            let missing = variables.filter { byName[$0] == nil }
            guard missing.isEmpty else { throw fields.invalid(key, "no value for \(missing.joined(separator: ", "))") }
            return variables.map { byName[$0]! }
        case .number(let number) where variables.count == 1:
            return [number]
        case nil:
            throw fields.invalid(key, "required: one number per variable (\(variables.joined(separator: ", ")))")
        default:
            throw fields.invalid(key, "expected an array of numbers or an object of named numbers")
        }
    }

    /// The compiled function over the variables then the parameters (by name).
    func program() throws(APIError) -> Program {
        do {
            return try Program(expression, variables: variables + parameters.keys.sorted())
        } catch {
            throw DerivativeAnswer.apiError(.evaluation(error))
        }
    }

    /// `point` followed by the parameters' values, as the program's columns.
    func arguments(_ point: [Double]) -> [Double] { point + parameters.keys.sorted().map { parameters[$0]! } }

    private static func dimension(of point: JSONValue?) -> Int? {
        switch point {
        case .array(let items): items.count
        case .object(let members): members.count
        default: nil
        }
    }
}

extension JSONFields {
    /// A member's value without marking it read (to look ahead at a field another reader will take).
    func peek(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }
}
