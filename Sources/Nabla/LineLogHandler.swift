import Foundation
import Logging

/// A swift-log handler that writes one line per record to standard output: readable text
/// (`2026-11-22T18:00:00.123Z info nabla.http: request method=GET ...`) or one JSON object per line
/// (`{"time":…,"level":"info","logger":"nabla.http","message":"request","status":200,…}`).
///
/// In JSON, a metadata value given as `.stringConvertible` that prints as a JSON number (a status, a
/// duration in milliseconds) is written as a number, so log tools can compare it; `.string` values
/// stay strings, and arrays and dictionaries become JSON arrays and objects.
///
/// It sits on the request path (one line per request), so it avoids Foundation's date formatting and
/// locks: each line is built in one buffer and written with a single write(2), which Linux does not
/// interleave with other threads' lines for pipes (up to PIPE_BUF) and regular files.
struct LineLogHandler: LogHandler {
    /// The line format.
    enum Format: String, CaseIterable {
        case text, json
    }

    let label: String
    let format: Format
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, format: Format) {
        self.label = label
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = event.metadata ?? [:]
        if !metadata.isEmpty { fields.merge(metadata) { own, _ in own } }
        let keys = fields.keys.sorted()
        var line: [UInt8] = []
        line.reserveCapacity(256)
        let time = Self.timestamp()
        switch format {
        case .text:
            line += time.utf8
            line += " \(event.level) \(label): \(event.message)".utf8
            for key in keys {
                line += " \(key)=\(fields[key]!)".utf8
            }
        case .json:
            line += #"{"time":"#.utf8
            Self.appendJSONString(time, to: &line)
            for (key, value) in [("level", event.level.rawValue), ("logger", label), ("message", "\(event.message)")] {
                line.append(UInt8(ascii: ","))
                Self.appendJSONString(key, to: &line)
                line.append(UInt8(ascii: ":"))
                Self.appendJSONString(value, to: &line)
            }
            for key in keys {
                line.append(UInt8(ascii: ","))
                Self.appendJSONString(key, to: &line)
                line.append(UInt8(ascii: ":"))
                Self.appendJSON(fields[key]!, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        }
        line.append(0x0A)
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// UTC time as `YYYY-MM-DDTHH:MM:SS.mmmZ`, without Foundation's formatters.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }

    private static func appendJSON(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        switch value {
        case .string(let text):
            appendJSONString(text, to: &line)
        case .stringConvertible(let convertible):
            let text = convertible.description
            if isJSONNumber(text.utf8) { line += text.utf8 } else { appendJSONString(text, to: &line) }
        case .array(let values):
            line.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                appendJSON(element, to: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let fields):
            line.append(UInt8(ascii: "{"))
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                appendJSONString(key, to: &line)
                line.append(UInt8(ascii: ":"))
                appendJSON(fields[key]!, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        }
    }

    /// True for RFC 8259 number syntax: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` (not `nan`,
    /// `inf`, `+1` or `01`).
    static func isJSONNumber(_ text: String.UTF8View) -> Bool {
        var bytes = text[...]
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        func digits() -> Int {
            let count = bytes.prefix(while: isDigit).count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    private static func appendJSONString(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): line += #"\""#.utf8
            case UInt8(ascii: "\\"): line += #"\\"#.utf8
            case 0x0A: line += #"\n"#.utf8
            case 0x00..<0x20: line += String(format: "\\u%04x", byte).utf8
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }
}
