/// A token of the expression language, with the column where it starts.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case name(String)
        case plus, minus, star, slash, caret, leftParenthesis, rightParenthesis, comma
        case end
    }

    let kind: Kind
    /// 1-based column of its first character.
    let column: Int
    /// The text as written (for messages).
    let text: String
}

/// Splits an expression into tokens: numbers (`2`, `0.5`, `.5`, `1e-3`, `2.5E+4`), names
/// (`[A-Za-z_][A-Za-z0-9_]*`), `+ - * / ^ ** ( ) ,` and blanks between them.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Every token, ending with `.end`.
    mutating func tokens() throws(ParseError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(ParseError) -> Token {
        while index < scalars.count,
            scalars[index] == " " || scalars[index] == "\t" || scalars[index] == "\n"
                || scalars[index] == "\r"
        {
            index += 1
        }
        let start = index
        guard index < scalars.count else { return Token(kind: .end, column: start + 1, text: "") }
        let scalar = scalars[index]
        index += 1
        func symbol(_ kind: Token.Kind) -> Token { Token(kind: kind, column: start + 1, text: String(scalar)) }
        switch scalar {
        case "+": return symbol(.plus)
        case "-": return symbol(.minus)
        case "/": return symbol(.slash)
        case "^": return symbol(.caret)
        case "(": return symbol(.leftParenthesis)
        case ")": return symbol(.rightParenthesis)
        case ",": return symbol(.comma)
        case "*":
            if index < scalars.count, scalars[index] == "*" {
                index += 1
                return Token(kind: .caret, column: start + 1, text: "**")
            }
            return symbol(.star)
        case "0"..."9", ".":
            index = start
            return try number()
        case "a"..."z", "A"..."Z", "_":
            while index < scalars.count, Self.isNameContinuation(scalars[index]) { index += 1 }
            let name = String(String.UnicodeScalarView(scalars[start..<index]))
            return Token(kind: .name(name), column: start + 1, text: name)
        default:
            throw ParseError(Self.describeUnexpected(scalar), column: start + 1)
        }
    }

    private mutating func number() throws(ParseError) -> Token {
        let start = index
        let digitsBeforePoint = skipDigits()
        var digitsAfterPoint = 0
        if index < scalars.count, scalars[index] == "." {
            index += 1
            digitsAfterPoint = skipDigits()
        }
        guard digitsBeforePoint + digitsAfterPoint > 0 else {
            throw ParseError("expected digits around '.'", column: start + 1)
        }
        // An exponent only when digits follow `e` (or `e+`/`e-`): `2e` is 2·e, `2ex` is 2·ex.
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var lookahead = index + 1
            if lookahead < scalars.count, scalars[lookahead] == "+" || scalars[lookahead] == "-" { lookahead += 1 }
            if lookahead < scalars.count, Self.isDigit(scalars[lookahead]) {
                index = lookahead
                _ = skipDigits()
            }
        }
        let text = String(String.UnicodeScalarView(scalars[start..<index]))
        guard let value = Double(text), value.isFinite else {
            throw ParseError("number '\(Self.abbreviated(text))' is out of range for a double", column: start + 1)
        }
        return Token(kind: .number(value), column: start + 1, text: text)
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < scalars.count, Self.isDigit(scalars[index]) { index += 1 }
        return index - start
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isNameContinuation(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }

    /// Names the character, and what was probably meant for common look-alikes.
    private static func describeUnexpected(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
        let shown =
            scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.properties.generalCategory == .format
            ? code : "'\(scalar)' (\(code))"
        let hint: String
        switch scalar.value {
        case 0x2212, 0x2013, 0x2014: hint = "; use '-' for minus"
        case 0x00D7, 0x22C5, 0x00B7: hint = "; use '*' for multiplication"
        case 0x00F7: hint = "; use '/' for division"
        case 0x200B, 0x200C, 0x200D, 0xFEFF, 0x00A0: hint = "; remove the invisible character"
        case 0x0400...0x04FF, 0x0370...0x03FF: hint = "; names use the Latin letters A-Z, a-z"
        default: hint = ""
        }
        return "unexpected character \(shown)\(hint)"
    }

    private static func abbreviated(_ text: String) -> String {
        text.count <= 24 ? text : "\(text.prefix(12))…\(text.suffix(6)) (\(text.count) characters)"
    }
}
