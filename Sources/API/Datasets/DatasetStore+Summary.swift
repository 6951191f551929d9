import Foundation
import JSON

extension DatasetStore.Entry {
    /// Rows shown by `GET /v1/datasets/{id}`.
    static let previewRows = 10

    /// `{id, name, kind, rows, columns: [{name, kind, missing}], bytes, created, expires, target, example}`,
    /// with the first rows (`head`, in column order) for `preview`.
    func summary(preview: Bool = false) -> JSONValue {
        let entry = self
        let table = entry.table
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var example: [(key: String, value: JSONValue)] = [("dataset", .string(entry.id))]
        let target = entry.target ?? table.columns.last?.name
        if let target { example.append(("target", .string(target))) }
        var fields: [(key: String, value: JSONValue)] = [
            ("id", .string(entry.id)), ("name", .string(entry.name)), ("kind", "uploaded"),
            ("rows", .number(Double(table.rows))),
            (
                "columns",
                .array(
                    table.columns.map { column in
                        .object([
                            ("name", .string(column.name)), ("kind", .string(column.kind)),
                            ("missing", .number(Double(column.missing))),
                        ])
                    })
            ),
            ("bytes", .number(Double(entry.uploadedBytes))), ("stored_bytes", .number(Double(entry.storedBytes))),
            ("created", .string(entry.created.formatted(format))),
            ("target", entry.target.map(JSONValue.string) ?? .null),
            ("example", .object(example)),
        ]
        if preview {
            let rows = min(table.rows, Self.previewRows)
            fields.append(
                ("head", .array((0..<rows).map { row in .array(table.columns.map { $0.json(at: row) }) })))
        }
        return .object(fields)
    }
}
