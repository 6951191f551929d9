import JSON
import NeuralNet

extension DatasetTable {
    /// A table from a JSON upload `{x, y}` as `/v1/train`'s `data` takes it: columns `x0`, `x1`, … and
    /// `y` (numbers or class labels; one-hot rows are refused: give the labels).
    init(json value: JSONValue) throws(APIError) {
        var fields = try JSONFields(value)
        guard let xValue = fields.value("x"), let yValue = fields.value("y") else {
            let missing = fields.members.contains { $0.key == "x" } ? "y" : "x"
            throw .invalidRequest(
                "a JSON dataset is {\"x\": [[...], ...], \"y\": [...]}",
                issues: [FieldIssue(pointer: "/\(missing)", detail: "is required")])
        }
        try fields.finish()
        let x = try JSONArrays.rows(xValue, at: "/x")
        guard let width = x.first?.count, width > 0 else {
            throw .invalidRequest(
                "'x' has no rows", issues: [FieldIssue(pointer: "/x", detail: "expected rows of numbers")])
        }
        for (index, row) in x.enumerated() where row.count != width {
            throw .invalidRequest(
                "row \(index) of 'x' has \(row.count) numbers; the first has \(width)",
                issues: [FieldIssue(pointer: "/x/\(index)", detail: "expected \(width) numbers, got \(row.count)")])
        }
        let y = try TrainingRequest.targets(yValue, at: "/y")
        guard y.count == x.count else {
            throw .invalidRequest(
                "'y' has \(y.count) values for \(x.count) rows of 'x'",
                issues: [FieldIssue(pointer: "/y", detail: "expected \(x.count) values, got \(y.count)")])
        }
        var columns = (0..<width).map { column in
            DatasetColumn(
                name: "x\(column)", values: .numeric(x.map { $0[column] }), missing: 0, firstMissingLine: nil,
                firstText: nil)
        }
        switch y {
        case .values(let numbers):
            columns.append(
                DatasetColumn(name: "y", values: .numeric(numbers), missing: 0, firstMissingLine: nil, firstText: nil))
        case .labels(let labels):
            var index: [String: Int32] = [:]
            var names: [String] = []
            let codes = labels.map { label -> Int32 in
                if let code = index[label] { return code }
                index[label] = Int32(names.count)
                names.append(label)
                return Int32(names.count - 1)
            }
            columns.append(
                DatasetColumn(
                    name: "y", values: .labels(codes: codes, labels: names), missing: 0, firstMissingLine: nil,
                    firstText: labels.first.map { ($0, 1) }))
        case .rows:
            throw .invalidRequest(
                "a dataset's 'y' is one value per row: numbers, or class labels (not one-hot rows)",
                issues: [FieldIssue(pointer: "/y", detail: "expected numbers or strings")])
        }
        self.init(columns: columns, rows: x.count)
    }
}
