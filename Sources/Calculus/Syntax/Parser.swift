/// Reads the expression language into an `Expression`.
///
/// Grammar (one method per rule; `^` and `**` are the same token):
///
///     expression     = additive end
///     additive       = multiplicative { ("+" | "-") multiplicative }
///     multiplicative = implicit { ("*" | "/") implicit }
///     implicit       = unary { power }                 -- juxtaposition: "2x", "3(x+1)", "(x+1)(x-1)";
///                                                         the juxtaposed power starts with a name or "("
///     unary          = ("-" | "+") unary | power
///     power          = primary [ "^" unary ]            -- right associative: 2^3^2 = 2^9; x^-1 allowed
///     primary        = number | constant | name | function "(" arguments ")" | "(" additive ")"
///     arguments      = additive { "," additive }
///
/// Precedence follows math.js: `^` binds tighter than unary minus (`-x^2` is `-(x^2)`), which binds
/// tighter than implicit multiplication, which binds tighter than `*` and `/`, except for
/// `number / number name`: `1/2x` is `(1/2)·x` while `x / 2y` is `x / (2y)`. A name followed by `(` is
/// a call only when it names a known function; otherwise it is a product (`x(x+1)`).
///
/// Every recursive rule counts towards `limits.maxDepth`, so no input can overflow the stack.
public struct Parser {
    private let tokens: [Token]
    private var position = 0
    private var depth = 0
    private let limits: ExpressionLimits
    /// The first column of each name used as a variable, for later error messages.
    private var namePositions: [String: Int] = [:]
    /// Names written like calls (`foo(x)`) that are not known functions.
    private var calledNames: Set<String> = []

    /// Parses `text`, or throws the first error with its column.
    public static func parse(_ text: String, limits: ExpressionLimits = ExpressionLimits()) throws(ParseError)
        -> ParsedExpression
    {
        let length = text.unicodeScalars.count
        guard length <= limits.maxLength else {
            throw ParseError(
                "the expression has \(length) characters; the limit is \(limits.maxLength)",
                column: limits.maxLength + 1)
        }
        var lexer = Lexer(text)
        var parser = Parser(tokens: try lexer.tokens(), limits: limits)
        let expression = try parser.expression()
        return ParsedExpression(
            expression: expression, namePositions: parser.namePositions, calledNames: parser.calledNames)
    }

    private init(tokens: [Token], limits: ExpressionLimits) {
        self.tokens = tokens
        self.limits = limits
    }

    // MARK: - Rules

    private mutating func expression() throws(ParseError) -> Expression {
        if case .end = current.kind { throw ParseError("the expression is empty", column: current.column) }
        let result = try additive()
        switch current.kind {
        case .end: return result
        case .rightParenthesis: throw ParseError("unmatched ')'", column: current.column)
        case .comma: throw ParseError("unexpected ',' outside a function call", column: current.column)
        case .number:
            throw ParseError("expected an operator before the number '\(current.text)'", column: current.column)
        default: throw ParseError("unexpected '\(current.text)'", column: current.column)
        }
    }

    private mutating func additive() throws(ParseError) -> Expression {
        var result = try multiplicative()
        while true {
            let operation: BinaryOperation
            switch current.kind {
            case .plus: operation = .add
            case .minus: operation = .subtract
            default: return result
            }
            let operatorToken = advance()
            let right = try operand(after: operatorToken) { (parser: inout Parser) throws(ParseError) in
                try parser.multiplicative()
            }
            result = .binary(operation, result, right)
        }
    }

    private mutating func multiplicative() throws(ParseError) -> Expression {
        var (result, endsWithNumber) = try implicit()
        while true {
            let operation: BinaryOperation
            switch current.kind {
            case .star: operation = .multiply
            case .slash: operation = .divide
            default: return result
            }
            let operatorToken = advance()
            // math.js: `number / number name` divides the numbers first: 1/2x = (1/2)·x.
            if operation == .divide, endsWithNumber, case .number(let divisor) = current.kind,
                startsJuxtaposedOperand(tokens[position + 1])
            {
                _ = advance()
                result = .binary(.divide, result, .number(divisor))
                while startsJuxtaposedOperand(current) {
                    result = .binary(.multiply, result, try power())
                }
                endsWithNumber = false
                continue
            }
            let right = try operand(after: operatorToken) { (parser: inout Parser) throws(ParseError) in
                try parser.implicit()
            }
            result = .binary(operation, result, right.0)
            endsWithNumber = right.1
        }
    }

    /// A product by juxtaposition; also says whether it is a bare number literal (for `1/2x`).
    private mutating func implicit() throws(ParseError) -> (Expression, Bool) {
        let start = position
        var result = try unary()
        var isBareNumber = if case .number = tokens[start].kind, position == start + 1 { true } else { false }
        while startsJuxtaposedOperand(current) {
            result = .binary(.multiply, result, try power())
            isBareNumber = false
        }
        if case .number = current.kind {
            throw ParseError("expected an operator before the number '\(current.text)'", column: current.column)
        }
        return (result, isBareNumber)
    }

    private mutating func unary() throws(ParseError) -> Expression {
        switch current.kind {
        case .minus, .plus:
            let sign = advance()
            let operand = try nested(at: sign.column) { (parser: inout Parser) throws(ParseError) in
                try parser.operand(after: sign) { (parser: inout Parser) throws(ParseError) in try parser.unary() }
            }
            return sign.kind == .minus ? .negate(operand) : operand
        default:
            return try power()
        }
    }

    private mutating func power() throws(ParseError) -> Expression {
        let base = try primary()
        guard case .caret = current.kind else { return base }
        let caret = advance()
        let exponent = try nested(at: caret.column) { (parser: inout Parser) throws(ParseError) in
            try parser.operand(after: caret) { (parser: inout Parser) throws(ParseError) in try parser.unary() }
        }
        return .binary(.power, base, exponent)
    }

    private mutating func primary() throws(ParseError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return .number(value)
        case .name(let name):
            _ = advance()
            if let function = FunctionNames.lookup(name) {
                guard case .leftParenthesis = current.kind else {
                    throw ParseError("expected '(' after the function name '\(name)'", column: current.column)
                }
                return try call(function, named: token)
            }
            if let constant = MathConstant(rawValue: name) { return .constant(constant) }
            if case .leftParenthesis = current.kind { calledNames.insert(name) }
            if namePositions[name] == nil { namePositions[name] = token.column }
            return .variable(name)
        case .leftParenthesis:
            _ = advance()
            let inner = try nested(at: token.column) { (parser: inout Parser) throws(ParseError) in
                try parser.operand(after: token) { (parser: inout Parser) throws(ParseError) in try parser.additive() }
            }
            try expect(.rightParenthesis, "expected ')' to close '(' opened at column \(token.column)")
            return inner
        case .end:
            throw ParseError("expected an operand", column: token.column)
        default:
            throw ParseError("expected an operand, found '\(token.text)'", column: token.column)
        }
    }

    private mutating func call(_ function: FunctionNames.Entry, named name: Token) throws(ParseError) -> Expression {
        let open = advance()
        var arguments: [Expression] = []
        try nested(at: open.column) { (parser: inout Parser) throws(ParseError) in
            if case .rightParenthesis = parser.current.kind {
                return
            }
            repeat {
                let separator = parser.tokens[parser.position - 1]
                arguments.append(
                    try parser.operand(after: separator) { (parser: inout Parser) throws(ParseError) in
                        try parser.additive()
                    })
            } while parser.match(.comma)
        }
        try expect(.rightParenthesis, "expected ',' or ')' to close '\(name.text)(' opened at column \(open.column)")
        guard let expression = function.build(arguments) else {
            throw ParseError(
                "\(name.text) takes \(function.arityDescription), not \(arguments.count)", column: name.column)
        }
        return expression
    }

    // MARK: - Helpers

    private var current: Token { tokens[position] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func match(_ kind: Token.Kind) -> Bool {
        guard current.kind == kind else { return false }
        _ = advance()
        return true
    }

    private mutating func expect(_ kind: Token.Kind, _ message: String) throws(ParseError) {
        guard match(kind) else {
            let found = if case .end = current.kind { "the end" } else { "'\(current.text)'" }
            throw ParseError("\(message), found \(found)", column: current.column)
        }
    }

    /// A name or `(` can follow an operand directly and multiply it.
    private func startsJuxtaposedOperand(_ token: Token) -> Bool {
        switch token.kind {
        case .name, .leftParenthesis: true
        default: false
        }
    }

    /// Parses what must follow `token` (an operator, sign, `(` or `,`), naming it if nothing does.
    private mutating func operand<Result>(
        after token: Token, _ rule: (inout Parser) throws(ParseError) -> Result
    ) throws(ParseError) -> Result {
        switch current.kind {
        case .end, .rightParenthesis, .comma, .star, .slash, .caret:
            let what = token.kind == .leftParenthesis ? "an expression after '('" : "an operand after '\(token.text)'"
            throw ParseError("expected \(what)", column: token.column)
        default:
            return try rule(&self)
        }
    }

    /// Runs `rule` one level deeper, refusing past the depth limit.
    private mutating func nested<Result>(
        at column: Int, _ rule: (inout Parser) throws(ParseError) -> Result
    ) throws(ParseError) -> Result {
        guard depth < limits.maxDepth else {
            throw ParseError("the expression is nested more than \(limits.maxDepth) levels deep", column: column)
        }
        depth += 1
        defer { depth -= 1 }
        return try rule(&self)
    }
}

/// An expression as parsed, with where each free name first appears.
public struct ParsedExpression: Sendable {
    /// The tree.
    public let expression: Expression
    /// The 1-based column of the first use of each free name.
    public let namePositions: [String: Int]
    /// Free names written like calls (`foo(x)`), which were probably meant as functions.
    public let calledNames: Set<String>
}
