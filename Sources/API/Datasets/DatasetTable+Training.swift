import NeuralNet

extension DatasetTable {
    /// Why the table cannot train as asked: the message, and the request field it is about.
    struct TrainingProblem: Error {
        let field: String
        let message: String
    }

    /// Feature rows and targets for a training: `target` names the column to predict; `features` the
    /// columns to learn from, in order (default: every other column, in the table's order). Features
    /// must be numeric and complete; the target complete (numbers, or labels for classes).
    func trainingData(target: String, features: [String]?) throws(TrainingProblem) -> (x: [[Double]], y: Targets) {
        let names = columns.map { "'\($0.name)'" }.joined(separator: ", ")
        guard let targetColumn = column(target) else {
            throw TrainingProblem(
                field: "target", message: "'\(target)' is not a column of the dataset; its columns are \(names)")
        }
        if let line = targetColumn.firstMissingLine {
            throw TrainingProblem(
                field: "target",
                message: "line \(line), column '\(target)': the target is missing (\(targetColumn.missing) rows); "
                    + "give every row a value or leave the row out")
        }
        let chosen = features ?? columns.map(\.name).filter { $0 != target }
        guard !chosen.isEmpty else {
            throw TrainingProblem(field: "features", message: "no feature column beside the target '\(target)'")
        }
        var featureColumns: [[Double]] = []
        var seen = Set<String>()
        for name in chosen {
            guard seen.insert(name).inserted else {
                throw TrainingProblem(field: "features", message: "names the column '\(name)' twice")
            }
            guard name != target else {
                throw TrainingProblem(field: "features", message: "'\(name)' is the target; it cannot be a feature too")
            }
            guard let column = column(name) else {
                throw TrainingProblem(
                    field: "features", message: "'\(name)' is not a column of the dataset; its columns are \(names)")
            }
            guard case .numeric(let numbers) = column.values else {
                let cell = column.firstText.map { "line \($0.line), column '\(name)': '\($0.text)' is not a number" }
                let hint = features == nil ? "; name the numeric columns to learn from in 'features'" : ""
                throw TrainingProblem(
                    field: "features",
                    message: "\(cell ?? "column '\(name)' is not numeric"): every feature must be numeric\(hint)")
            }
            if let line = column.firstMissingLine {
                throw TrainingProblem(
                    field: "features",
                    message: "line \(line), column '\(name)': a missing value (\(column.missing) in the column); "
                        + "features must be complete: fill or drop those rows, or leave the column out of 'features'")
            }
            featureColumns.append(numbers)
        }
        var x: [[Double]] = []
        x.reserveCapacity(rows)
        for row in 0..<rows {
            x.append(featureColumns.map { $0[row] })
        }
        switch targetColumn.values {
        case .numeric(let numbers):
            return (x, .values(numbers))
        case .labels(let codes, let labels):
            return (x, .labels(codes.map { labels[Int($0)] }))
        }
    }
}
