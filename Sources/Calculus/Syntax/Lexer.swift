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
    /// The text as UTF-8. Every token is ASCII, so until the first other character (which is an error)
    /// a byte offset is also the Unicode-scalar column.
    private let bytes: [UInt8]
    private let text: String
    private var index = 0

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    /// Every token, ending with `.end`.
    mutating func tokens() throws(ParseError) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 2 + 1)
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(ParseError) -> Token {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        let start = index
        guard index < bytes.count else { return Token(kind: .end, column: start + 1, text: "") }
        let byte = bytes[index]
        index += 1
        func symbol(_ kind: Token.Kind) -> Token {
            Token(kind: kind, column: start + 1, text: String(UnicodeScalar(byte)))
        }
        switch byte {
        case UInt8(ascii: "+"): return symbol(.plus)
        case UInt8(ascii: "-"): return symbol(.minus)
        case UInt8(ascii: "/"): return symbol(.slash)
        case UInt8(ascii: "^"): return symbol(.caret)
        case UInt8(ascii: "("): return symbol(.leftParenthesis)
        case UInt8(ascii: ")"): return symbol(.rightParenthesis)
        case UInt8(ascii: ","): return symbol(.comma)
        case UInt8(ascii: "*"):
            if index < bytes.count, bytes[index] == UInt8(ascii: "*") {
                index += 1
                return Token(kind: .caret, column: start + 1, text: "**")
            }
            return symbol(.star)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            index = start
            return try number()
        case _ where Self.isLetter(byte):
            while index < bytes.count, Self.isLetter(bytes[index]) || Self.isDigit(bytes[index]) { index += 1 }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            return Token(kind: .name(name), column: start + 1, text: name)
        default:
            // The first character that is not ASCII, or an ASCII character no token uses.
            let scalar = text.unicodeScalars.dropFirst(start).first ?? "?"
            throw ParseError(Self.describeUnexpected(scalar), column: start + 1)
        }
    }

    private mutating func number() throws(ParseError) -> Token {
        let start = index
        let digitsBeforePoint = skipDigits()
        var digitsAfterPoint = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            digitsAfterPoint = skipDigits()
        }
        guard digitsBeforePoint + digitsAfterPoint > 0 else {
            throw ParseError("expected digits around '.'", column: start + 1)
        }
        // An exponent only when digits follow `e` (or `e+`/`e-`): `2e` is 2·e, `2ex` is 2·ex.
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var lookahead = index + 1
            if lookahead < bytes.count, bytes[lookahead] == UInt8(ascii: "+") || bytes[lookahead] == UInt8(ascii: "-") {
                lookahead += 1
            }
            if lookahead < bytes.count, Self.isDigit(bytes[lookahead]) {
                index = lookahead
                _ = skipDigits()
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw ParseError("number '\(Self.abbreviated(text))' is out of range for a double", column: start + 1)
        }
        return Token(kind: .number(value), column: start + 1, text: text)
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        return index - start
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_")
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
