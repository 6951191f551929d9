import NeuralNet

/// Training data sent as CSV text (`data: {csv, target}`): a header row naming the columns, then one
/// row per sample. `target` names the column to predict; every other column is a numeric feature, in
/// header order. The target column is read as numbers when every value is one, else as class labels.
///
/// Fields are separated by commas; a field may be quoted (`"a, b"`, with `""` for a quote inside);
/// spaces around unquoted fields are ignored; lines end with LF or CRLF; blank lines are skipped.
struct CSVTable {
    /// The feature columns' names, in order.
    let features: [String]
    /// Feature rows.
    let x: [[Double]]
    /// The target column.
    let y: Targets
    /// The 1-based line of the text each row came from (for messages).
    let lines: [Int]

    /// Why the text cannot be read, naming the line (1-based) where there is one.
    struct ReadError: Error {
        let message: String
        /// True when it is about the `target` field rather than the text.
        var isAboutTarget = false
    }

    /// Reads `text` with `target` as the target column.
    init(_ text: String, target: String) throws(ReadError) {
        let records = try Self.records(in: text)
        guard let header = records.first else { throw ReadError(message: "the CSV has no header row") }
        let names = header.fields
        var seen = Set<String>()
        for name in names {
            guard !name.isEmpty else { throw ReadError(message: "line \(header.line) has an empty column name") }
            guard seen.insert(name).inserted else {
                throw ReadError(message: "line \(header.line) names the column '\(name)' twice")
            }
        }
        guard let targetColumn = names.firstIndex(of: target) else {
            let known = names.map { "'\($0)'" }.joined(separator: ", ")
            throw ReadError(
                message: "'\(target)' is not a column of the CSV; its columns are \(known)", isAboutTarget: true)
        }
        guard names.count >= 2 else {
            throw ReadError(message: "line \(header.line) has no feature column beside the target")
        }
        let rows = records.dropFirst()
        guard !rows.isEmpty else { throw ReadError(message: "the CSV has a header but no rows") }

        var x: [[Double]] = []
        var targets: [String] = []
        var lines: [Int] = []
        x.reserveCapacity(rows.count)
        targets.reserveCapacity(rows.count)
        for record in rows {
            guard record.fields.count == names.count else {
                throw ReadError(
                    message: "line \(record.line) has \(record.fields.count) fields; the header has \(names.count)")
            }
            var features: [Double] = []
            features.reserveCapacity(names.count - 1)
            for (column, field) in record.fields.enumerated() where column != targetColumn {
                guard let value = Double(field), value.isFinite else {
                    throw ReadError(
                        message: "line \(record.line), column '\(names[column])': '\(field)' is not a finite number")
                }
                features.append(value)
            }
            let target = record.fields[targetColumn]
            // A blank target is a missing value, never a class "" (pandas reads NaN, Keras fails).
            guard !target.isEmpty else {
                throw ReadError(
                    message: "line \(record.line), column '\(names[targetColumn])': the target is blank; give every "
                        + "row a value or leave the row out")
            }
            x.append(features)
            targets.append(target)
            lines.append(record.line)
        }
        y = try Self.targets(targets, lines: lines, column: names[targetColumn])
        self.x = x
        self.lines = lines
        features = names.enumerated().filter { $0.offset != targetColumn }.map(\.element)
    }

    /// The target column as numbers when every value is a number, as labels when none is; a column
    /// that mixes them, or holds `nan` or `inf`, is refused naming the first value that does not fit.
    private static func targets(_ values: [String], lines: [Int], column: String) throws(ReadError) -> Targets {
        let numbers = values.map { Double($0) }
        if let bad = numbers.firstIndex(where: { $0 != nil && !$0!.isFinite }) {
            throw ReadError(message: "line \(lines[bad]), column '\(column)': '\(values[bad])' is not a finite number")
        }
        if numbers.allSatisfy({ $0 != nil }) { return .values(numbers.map { $0! }) }
        if let number = numbers.firstIndex(where: { $0 != nil }), let text = numbers.firstIndex(where: { $0 == nil }) {
            throw ReadError(
                message: "line \(lines[text]), column '\(column)': '\(values[text])' is not a number, while line "
                    + "\(lines[number]) holds \(values[number]): the target column must hold numbers on every row "
                    + "(regression, 0/1) or labels on every row")
        }
        return .labels(values)
    }

    /// The non-blank records of `text`, each with its fields and 1-based starting line.
    private static func records(in text: String) throws(ReadError) -> [(fields: [String], line: Int)] {
        var records: [(fields: [String], line: Int)] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false  // inside a quoted field
        var wasQuoted = false  // the current field was quoted (keep its spaces)
        var line = 1
        var recordLine = 1
        func endField() {
            var bytes = field[...]
            if !wasQuoted {
                while bytes.first == 0x20 || bytes.first == 0x09 { bytes = bytes.dropFirst() }
                while bytes.last == 0x20 || bytes.last == 0x09 { bytes = bytes.dropLast() }
            }
            fields.append(String(decoding: bytes, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((fields, recordLine)) }
            fields.removeAll(keepingCapacity: true)
            recordLine = line
        }
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case 0x0A:
                line += 1
                endRecord()
            case 0x0D where index < bytes.count && bytes[index] == 0x0A:
                break  // the LF ends the record
            case UInt8(ascii: "\"") where field.allSatisfy({ $0 == 0x20 || $0 == 0x09 }):
                field.removeAll(keepingCapacity: true)
                quoted = true
                wasQuoted = true
            default:
                field.append(byte)
            }
        }
        guard !quoted else { throw ReadError(message: "line \(recordLine) has a quoted field that is never closed") }
        endRecord()
        return records
    }
}
