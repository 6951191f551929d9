import Calculus
import JSON

/// An expression read from a request field: parse errors and unknown names become 400s that point at
/// the field (`/expression`) and give the column.
struct ExpressionInput: Sendable {
    /// The text as sent.
    let text: String
    let parsed: ParsedExpression
    /// Where it came from in the body.
    let pointer: String

    /// Parses `text` from the field at `pointer`.
    static func read(_ text: String, pointer: String, limits: ExpressionLimits) throws(APIError) -> ExpressionInput {
        do {
            return ExpressionInput(text: text, parsed: try Parser.parse(text, limits: limits), pointer: pointer)
        } catch {
            throw .invalidRequest(
                "the expression could not be read: \(error)",
                issues: [FieldIssue(pointer: pointer, detail: error.description, position: error.column)])
        }
    }

    var expression: Expression { parsed.expression }

    /// Free names in order of appearance.
    var freeNames: [String] { parsed.expression.freeVariables }

    /// Refuses the first free name not in `bound`, saying where it is and what was probably meant.
    func requireBound(_ bound: Set<String>, hint: String) throws(APIError) {
        guard let name = freeNames.first(where: { !bound.contains($0) }) else { return }
        let column = parsed.namePositions[name] ?? 1
        let detail: String
        if parsed.calledNames.contains(name) {
            detail = "unknown function '\(name)'; known functions: \(FunctionNames.all.joined(separator: ", "))"
        } else {
            detail =
                "the name '\(name)' has no value (\(hint)); known functions: "
                + FunctionNames.all.joined(separator: ", ") + "; constants: pi, e"
        }
        throw .invalidRequest(
            "\(detail.prefix { $0 != ";" }) at column \(column)",
            issues: [FieldIssue(pointer: pointer, detail: "\(detail) (at column \(column))", position: column)])
    }
}

extension JSONFields {
    /// A required string field.
    mutating func requiredString(_ key: String) throws(APIError) -> String {
        guard let text = try string(key) else { throw invalid(key, "required") }
        return text
    }

    /// `{name: number}` with names that can appear in expressions.
    mutating func numberMap(_ key: String) throws(APIError) -> [String: Double] {
        guard let value = value(key) else { return [:] }
        guard case .object(let members) = value else { throw invalid(key, "expected an object of numbers") }
        var map: [String: Double] = [:]
        for (name, member) in members {
            guard case .number(let number) = member else {
                throw .invalidRequest(
                    "invalid value for '\(key)'",
                    issues: [FieldIssue(pointer: pointer(to: key) + "/" + name, detail: "expected a number")])
            }
            map[name] = number
        }
        return map
    }

    /// A number, an array of 1…`maxCount` numbers, or a range `{"from": a, "to": b, "count": n}` of n
    /// evenly spaced points from a to b (as `numpy.linspace`: a + i·(b − a)/(n − 1), the last one b);
    /// `isArray` is false only for a single number.
    mutating func points(_ key: String, maxCount: Int) throws(APIError) -> (values: [Double], isArray: Bool) {
        guard let value = value(key) else { throw invalid(key, "required: a number or an array of numbers") }
        switch value {
        case .number(let number): return ([number], false)
        case .object:
            var range = try JSONFields(value, at: pointer(to: key))
            let from = try range.double("from", default: .nan, in: -.infinity ... .infinity)
            let to = try range.double("to", default: .nan, in: -.infinity ... .infinity)
            let count = try range.integer("count", default: 0, in: 1...maxCount)
            try range.finish()
            for (name, given) in [("from", !from.isNaN), ("to", !to.isNaN), ("count", count > 0)] where !given {
                throw range.invalid(name, "required in a range: from, to and count (1 to \(maxCount))")
            }
            guard count > 1 else { return ([from], true) }
            let spacing = (to - from) / Double(count - 1)
            guard spacing.isFinite else { throw invalid(key, "the range's spacing overflows") }
            var points = (0..<count).map { from + Double($0) * spacing }
            points[count - 1] = to
            return (points, true)
        case .numbers(let numbers):
            guard numbers.count <= maxCount else {
                throw invalid(key, "must hold 1 to \(maxCount) numbers, got \(numbers.count)")
            }
            return (numbers, true)
        case .array(let elements):
            guard !elements.isEmpty, elements.count <= maxCount else {
                throw invalid(key, "must hold 1 to \(maxCount) numbers, got \(elements.count)")
            }
            var numbers: [Double] = []
            numbers.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .number(let number) = element else {
                    throw .invalidRequest(
                        "invalid value for '\(key)'",
                        issues: [FieldIssue(pointer: pointer(to: key) + "/\(index)", detail: "expected a number")])
                }
                numbers.append(number)
            }
            return (numbers, true)
        default:
            throw invalid(key, "expected a number, an array of numbers or a range, found \(value.typeName)")
        }
    }
}
