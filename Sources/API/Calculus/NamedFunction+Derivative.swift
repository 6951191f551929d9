import Calculus

extension DerivativeQuery {
    /// The expression text and variable of `function` (a name from `GET /v1/functions`) for
    /// `/v1/derivative`, which differentiates in one variable: a function of one variable, or an
    /// n-dimensional one built over one (`sphere` is x0²). An unknown name is a 404 listing the names,
    /// as `/v1/gradient` answers; a function of several variables is a 400 pointing to the gradient.
    static func namedFunction(_ name: String, fields: JSONFields) throws(APIError) -> (text: String, variable: String) {
        guard var function = NamedFunctions.named(name) else {
            throw .notFound(
                "no function named '\(name)'\(DidYouMean.hint(for: name, among: NamedFunctions.names)); known functions: "
                    + NamedFunctions.names.joined(separator: ", "))
        }
        guard function.arity.accepts(1) else {
            throw fields.invalid(
                "function",
                "'\(name)' is a function of \(function.arity.minimumDimension) or more variables; POST /v1/gradient "
                    + "takes it, /v1/derivative differentiates in one variable")
        }
        if function.variables.count != 1 {
            do { function = try function.withDimension(1) } catch {
                throw fields.invalid("function", error.description)
            }
        }
        return (function.formula, function.variables[0])
    }
}
