import JSON

/// Reads CSV text in pieces as it arrives (an upload's body, chunk by chunk) into columns: a header row
/// naming them, then one row per sample. No piece is kept once read: memory is the columns' values.
///
/// The dialect is `CSVTable`'s: comma-separated; a field may be quoted (`"a, b"`, `""` for a quote
/// inside, line breaks allowed); blanks around unquoted fields are ignored; lines end with LF or CRLF;
/// blank lines are skipped. Each column is numeric while every cell is a number (JSON's syntax, or
/// anything Swift's `Double` reads that is finite), else a column of labels; blank cells and pandas'
/// missing markers (`NA`, `NaN`, `nan`, `N/A`, `null`) are missing values.
struct CSVStreamReader {
    /// Why the text cannot be read, naming its line (1-based).
    struct Failure: Error, Equatable {
        let message: String
    }

    /// At most this many columns (a header past it is refused: a table that wide is not a CSV mistake
    /// one would want echoed back column by column).
    static let maximumColumns = 10_000

    private var names: [String]?
    private var columns: [DatasetColumn.Builder] = []
    private var rows = 0
    /// The line being read, and the line the current record started on.
    private var line = 1
    private var recordLine = 1
    private var field: [UInt8] = []
    private var fieldIndex = 0
    private var inQuotes = false
    /// A quote closed a quoted field just now: another quote right after it is a quote inside.
    private var quoteJustClosed = false
    private var fieldWasQuoted = false
    private var quoteOpenedOnLine = 0

    init() {}

    /// Reads the next piece of the text.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
        for byte in bytes {
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                    quoteJustClosed = true
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            if quoteJustClosed {
                quoteJustClosed = false
                if byte == UInt8(ascii: "\"") {
                    field.append(byte)
                    inQuotes = true
                    continue
                }
            }
            switch byte {
            case UInt8(ascii: ","):
                try endField()
            case UInt8(ascii: "\n"):
                if fieldIndex == 0 && field.isEmpty && !fieldWasQuoted {
                    // A blank line (or one of blanks only).
                } else {
                    try endField()
                    try endRecord()
                }
                line += 1
                recordLine = line
            case UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                // Blanks around an unquoted field are dropped; inside one they are kept (trimmed at its end).
                if !field.isEmpty && !fieldWasQuoted { field.append(byte) }
            case UInt8(ascii: "\""):
                guard field.isEmpty && !fieldWasQuoted else {
                    throw Failure(message: "line \(line): a quote inside an unquoted field (quote the whole field)")
                }
                inQuotes = true
                fieldWasQuoted = true
                quoteOpenedOnLine = line
            default:
                if fieldWasQuoted {
                    throw Failure(message: "line \(line): text after the closing quote of a field")
                }
                field.append(byte)
            }
        }
    }

    /// The table, once every piece was read.
    mutating func finish() throws(Failure) -> DatasetTable {
        if inQuotes {
            throw Failure(message: "line \(quoteOpenedOnLine): a quoted field is never closed")
        }
        if fieldIndex > 0 || !field.isEmpty || fieldWasQuoted {
            try endField()
            try endRecord()
        }
        guard let names else { throw Failure(message: "the CSV is empty: it needs a header row and data rows") }
        guard rows > 0 else { throw Failure(message: "the CSV has a header but no rows") }
        return DatasetTable(
            columns: zip(names, columns).map { name, builder in builder.column(named: name) }, rows: rows)
    }

    private mutating func endField() throws(Failure) {
        if !fieldWasQuoted {
            while let last = field.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == 0x0D {
                field.removeLast()
            }
        }
        defer {
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
            fieldIndex += 1
        }
        guard let names else {
            try headerField()
            return
        }
        guard fieldIndex < names.count else {
            throw Failure(message: "line \(recordLine) has more fields than the header's \(names.count)")
        }
        columns[fieldIndex].append(field, quoted: fieldWasQuoted, line: recordLine)
    }

    private mutating func headerField() throws(Failure) {
        let name = String(decoding: field, as: UTF8.self)
        guard !name.isEmpty else { throw Failure(message: "line \(recordLine): column \(fieldIndex + 1) has no name") }
        guard columns.count < Self.maximumColumns else {
            throw Failure(message: "line \(recordLine): more than \(Self.maximumColumns) columns")
        }
        columns.append(DatasetColumn.Builder())
        headerNames.append(name)
    }

    private var headerNames: [String] = []

    private mutating func endRecord() throws(Failure) {
        defer { fieldIndex = 0 }
        guard let names else {
            var seen = Set<String>()
            for name in headerNames where !seen.insert(name).inserted {
                throw Failure(message: "line \(recordLine) names the column '\(name)' twice")
            }
            names = headerNames
            return
        }
        guard fieldIndex == names.count else {
            throw Failure(
                message:
                    "line \(recordLine) has \(fieldIndex) field\(fieldIndex == 1 ? "" : "s"); the header has \(names.count)"
            )
        }
        rows += 1
    }
}

/// A table read from an upload: named columns of equal length.
struct DatasetTable: Sendable {
    let columns: [DatasetColumn]
    let rows: Int

    /// The column named `name`.
    func column(_ name: String) -> DatasetColumn? {
        columns.first { $0.name == name }
    }
}

/// One column of an uploaded table.
struct DatasetColumn: Sendable {
    enum Values: Sendable {
        /// Numbers; NaN where a cell was missing.
        case numeric([Double])
        /// Labels: each row's index into `labels`, -1 where missing.
        case labels(codes: [Int32], labels: [String])
    }

    let name: String
    let values: Values
    /// How many cells were missing, and the line of the first one.
    let missing: Int
    let firstMissingLine: Int?
    /// For a label column: the first cell that is not a number, and its line.
    let firstText: (text: String, line: Int)?

    /// `numeric` or `label`, as the API names them.
    var kind: String {
        if case .numeric = values { "numeric" } else { "label" }
    }

    /// Row `row`'s value as text (nil if missing), for previews.
    func text(at row: Int) -> String? {
        switch values {
        case .numeric(let numbers): numbers[row].isNaN ? nil : DatasetColumn.format(numbers[row])
        case .labels(let codes, let labels): codes[row] < 0 ? nil : labels[Int(codes[row])]
        }
    }

    /// Row `row`'s value as JSON (null if missing), for previews.
    func json(at row: Int) -> JSONValue {
        switch values {
        case .numeric(let numbers): numbers[row].isNaN ? .null : .number(numbers[row])
        case .labels(let codes, let labels): codes[row] < 0 ? .null : .string(labels[Int(codes[row])])
        }
    }

    /// The bytes the values take in memory.
    var bytes: Int {
        switch values {
        case .numeric(let numbers): numbers.count * 8
        case .labels(let codes, let labels): codes.count * 4 + labels.reduce(0) { $0 + $1.utf8.count + 16 }
        }
    }

    /// A number as its shortest JSON text (`1`, not `1.0`).
    static func format(_ value: Double) -> String {
        String(decoding: JSONWriter.bytes(.number(value)), as: UTF8.self)
    }

    /// Pandas' default markers of a missing value, beside the blank cell.
    static let missingMarkers: Set<[UInt8]> = Set(["NA", "NaN", "nan", "N/A", "null"].map { Array($0.utf8) })

    /// Gathers a column's cells in order.
    struct Builder {
        private var numbers: [Double] = []
        private var codes: [Int32] = []
        private var labels: [String] = []
        private var labelIndex: [String: Int32] = [:]
        private var isNumeric = true
        private var missing = 0
        private var firstMissingLine: Int?
        private var firstText: (text: String, line: Int)?

        mutating func append(_ cell: [UInt8], quoted: Bool, line: Int) {
            if cell.isEmpty ? !quoted : Self.isMissingMarker(cell) {
                missing += 1
                if firstMissingLine == nil { firstMissingLine = line }
                if isNumeric { numbers.append(.nan) } else { codes.append(-1) }
                return
            }
            if isNumeric {
                if let value = Self.number(cell) {
                    numbers.append(value)
                    return
                }
                firstText = (String(decoding: cell, as: UTF8.self), line)
                becomeLabels()
            }
            let label = String(decoding: cell, as: UTF8.self)
            codes.append(code(of: label))
        }

        private static func isMissingMarker(_ cell: [UInt8]) -> Bool {
            guard cell.count <= 4, let first = cell.first, first | 0x20 == UInt8(ascii: "n") else { return false }
            return DatasetColumn.missingMarkers.contains(cell)
        }

        private static func number(_ cell: [UInt8]) -> Double? {
            if let value = JSONParser.number(cell) { return value }
            guard let value = Double(String(decoding: cell, as: UTF8.self)), value.isFinite else { return nil }
            return value
        }

        private mutating func code(of label: String) -> Int32 {
            if let code = labelIndex[label] { return code }
            let code = Int32(labels.count)
            labels.append(label)
            labelIndex[label] = code
            return code
        }

        /// The numbers so far become labels, as the numbers they are (`1.0` is the label `1`).
        private mutating func becomeLabels() {
            isNumeric = false
            codes.reserveCapacity(numbers.count + 1)
            for value in numbers {
                codes.append(value.isNaN ? -1 : code(of: DatasetColumn.format(value)))
            }
            numbers = []
        }

        func column(named name: String) -> DatasetColumn {
            DatasetColumn(
                name: name, values: isNumeric ? .numeric(numbers) : .labels(codes: codes, labels: labels),
                missing: missing, firstMissingLine: firstMissingLine, firstText: firstText)
        }
    }
}
