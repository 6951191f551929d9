import Foundation

/// The file format of an uploaded dataset kept under `--state-dir` (`DatasetDirectory`): one per file.
///
///     NABLA-DATASET 1\n
///     {"id":…,"name":…,"owner":…,"target":…,"created":…,"uploaded_bytes":…,"rows":R,"columns":[…]}\n
///     <per column: R float64 (numeric, NaN where missing) or R int32 label codes (-1 where missing)>
///
/// Numbers are little-endian; dates are seconds since 2001-01-01 (Foundation's reference date, which
/// round-trips exactly). A label column's labels are in its metadata.
enum DatasetFile {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    private static let magic = Array("NABLA-DATASET 1\n".utf8)

    private struct Column: Codable {
        var name: String
        var labels: [String]?
        var missing: Int
        var firstMissingLine: Int?
        var firstText: String?
        var firstTextLine: Int?
    }

    private struct Metadata: Codable {
        var id: String
        var name: String
        var owner: String?
        var target: String?
        var created: Double
        var uploadedBytes: Int
        var rows: Int
        var columns: [Column]
    }

    static func encode(_ entry: DatasetStore.Entry) throws -> [UInt8] {
        let table = entry.table
        let columns = table.columns.map { column -> Column in
            var labels: [String]?
            if case .labels(_, let names) = column.values { labels = names }
            return Column(
                name: column.name, labels: labels, missing: column.missing, firstMissingLine: column.firstMissingLine,
                firstText: column.firstText?.text, firstTextLine: column.firstText?.line)
        }
        let metadata = Metadata(
            id: entry.id, name: entry.name, owner: entry.owner, target: entry.target,
            created: entry.created.timeIntervalSinceReferenceDate, uploadedBytes: entry.uploadedBytes,
            rows: table.rows, columns: columns)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var bytes = magic + Array(try encoder.encode(metadata)) + [UInt8(ascii: "\n")]
        bytes.reserveCapacity(bytes.count + entry.storedBytes)
        for column in table.columns {
            switch column.values {
            case .numeric(let numbers):
                for value in numbers {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                }
            case .labels(let codes, _):
                for code in codes { withUnsafeBytes(of: code.littleEndian) { bytes.append(contentsOf: $0) } }
            }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) throws(Problem) -> DatasetStore.Entry {
        guard bytes.starts(with: magic) else { throw Problem(description: "not a NABLA-DATASET 1 file") }
        guard let end = bytes[magic.count...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw Problem(description: "no metadata line")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let metadata: Metadata
        do {
            metadata = try decoder.decode(Metadata.self, from: Data(bytes[magic.count..<end]))
        } catch {
            throw Problem(description: "unreadable metadata: \(error)")
        }
        let rows = metadata.rows
        var offset = end + 1
        var columns: [DatasetColumn] = []
        for column in metadata.columns {
            let width = column.labels == nil ? 8 : 4
            guard rows >= 0, bytes.count - offset >= rows * width else {
                throw Problem(description: "column '\(column.name)' is cut short")
            }
            let values: DatasetColumn.Values
            if let labels = column.labels {
                var codes = [Int32](repeating: 0, count: rows)
                for row in 0..<rows { codes[row] = Int32(littleEndian: load(bytes, at: offset + row * 4)) }
                guard codes.allSatisfy({ $0 >= -1 && $0 < labels.count }) else {
                    throw Problem(description: "column '\(column.name)' has a code with no label")
                }
                values = .labels(codes: codes, labels: labels)
            } else {
                var numbers = [Double](repeating: 0, count: rows)
                for row in 0..<rows {
                    numbers[row] = Double(bitPattern: UInt64(littleEndian: load(bytes, at: offset + row * 8)))
                }
                values = .numeric(numbers)
            }
            offset += rows * width
            columns.append(
                DatasetColumn(
                    name: column.name, values: values, missing: column.missing,
                    firstMissingLine: column.firstMissingLine,
                    firstText: column.firstText.map { ($0, column.firstTextLine ?? 0) }))
        }
        guard offset == bytes.count else {
            throw Problem(description: "\(bytes.count - offset) bytes past the columns")
        }
        let table = DatasetTable(columns: columns, rows: rows)
        return DatasetStore.Entry(
            id: metadata.id, name: metadata.name, owner: metadata.owner, table: table, target: metadata.target,
            uploadedBytes: metadata.uploadedBytes, storedBytes: table.columns.reduce(0) { $0 + $1.bytes },
            created: Date(timeIntervalSinceReferenceDate: metadata.created))
    }

    private static func load<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> T {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }
}
