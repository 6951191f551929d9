import Foundation

/// The API keys a service accepts: names, each with the SHA-256 of its bearer token. The tokens
/// themselves are never stored, logged or compared: a presented token is hashed, and its hash is
/// compared with every key's in constant time.
///
/// The file (`nabla serve --api-keys FILE`) has one key per line, `NAME:SHA256HEX`; `#` starts a
/// comment line, blank lines are skipped. Several lines may share a name (one owner, a new token
/// alongside the old while clients move over); a hash may appear only once.
public struct APIKeys: Sendable {
    /// A key: whose it is, and the hash of its token as eight words.
    struct Key: Sendable {
        let name: String
        let digest: [UInt32]
    }

    /// A line of the file that cannot be read, and why.
    public struct FileError: Error, CustomStringConvertible, Sendable {
        /// 1-based; 0 for the file as a whole (it cannot be read).
        public let line: Int
        public let reason: String
        public var description: String { line > 0 ? "line \(line): \(reason)" : reason }
    }

    let keys: [Key]

    /// The distinct names, sorted, for logs.
    public var names: [String] { Array(Set(keys.map(\.name))).sorted() }
    /// How many keys (lines) there are.
    public var count: Int { keys.count }

    /// Reads the file's text; throws at the first line that is not a key, a comment or blank.
    public init(parsing text: String) throws(FileError) {
        var keys: [Key] = []
        var seen = Set<[UInt32]>()
        // `\r\n` is one Character, a newline like `\n`.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.lastIndex(of: ":") else {
                throw FileError(line: index + 1, reason: "expected NAME:SHA256HEX")
            }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            guard Self.isValidName(name) else {
                throw FileError(line: index + 1, reason: "a name is 1 to 64 letters, digits, '.', '_' or '-'")
            }
            guard let digest = Self.words(hex: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            else {
                throw FileError(line: index + 1, reason: "expected 64 hex digits (the SHA-256 of the token) after ':'")
            }
            guard seen.insert(digest).inserted else {
                throw FileError(line: index + 1, reason: "this hash is already on an earlier line")
            }
            keys.append(Key(name: name, digest: digest))
        }
        self.keys = keys
    }

    /// Reads the file at `path`.
    public init(contentsOf path: String) throws(FileError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(line: 0, reason: "cannot read \(path): \(error.localizedDescription)")
        }
        try self.init(parsing: text)
    }

    /// The name of the key whose token is `token`, or nil. Takes the same time whichever key
    /// matches, or none: every key's hash is compared in full.
    public func name(forToken token: String) -> String? {
        let digest = SHA256.digest(of: Array(token.utf8))
        var found: String?
        for key in keys {
            var difference: UInt32 = 0
            for (a, b) in zip(key.digest, digest) { difference |= a ^ b }
            if difference == 0 { found = key.name }
        }
        return found
    }

    /// A key name: 1 to 64 ASCII letters, digits, `.`, `_`, `-` (it appears in logs).
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    /// A new token: `nabla_` and 256 random bits in URL-safe base64 (43 characters).
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "nabla_" + base64
    }

    /// The keys-file line for `token` under `name`.
    public static func line(name: String, token: String) -> String {
        "\(name):\(SHA256.hex(of: Array(token.utf8)))"
    }

    /// 64 hex digits (any case) as eight big-endian words.
    private static func words(hex: String) -> [UInt32]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var words: [UInt32] = []
        for start in stride(from: 0, to: 64, by: 8) {
            guard let word = UInt32(String(decoding: digits[start..<start + 8], as: UTF8.self), radix: 16) else {
                return nil
            }
            words.append(word)
        }
        return words
    }
}
