/// A dense matrix of `Double`s stored row-major in one flat buffer: element `(row, column)` sits at
/// `values[row * columns + column]`. Rows are samples and columns features (or outputs) throughout
/// NeuralNet, and weights are `[inputs, units]`, as in the seed's `np.dot(x, W)`.
public struct Matrix: Sendable, Hashable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The elements, row after row (`rows * columns` of them).
    public internal(set) var values: [Double]

    /// A matrix over `values` (row-major); `values.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "matrix size mismatch")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A `rows × columns` matrix of zeros.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, values: Array(repeating: 0, count: rows * columns))
    }

    /// The matrix whose rows are `rowArrays`, checked: every row must have the first row's length and
    /// every number must be finite. `path` names where the rows came from, for the error.
    ///
    /// - Throws: `TrainingError.emptyData`, `.raggedRow` or `.nonFiniteNumber`, naming `path`.
    public init(validating rowArrays: [[Double]], at path: SettingPath) throws(TrainingError) {
        guard let first = rowArrays.first, !first.isEmpty else {
            throw .emptyData(at: rowArrays.isEmpty ? path : path.appending(0))
        }
        let columns = first.count
        var values: [Double] = []
        values.reserveCapacity(rowArrays.count * columns)
        for (row, array) in rowArrays.enumerated() {
            guard array.count == columns else {
                throw .raggedRow(at: path.appending(row), expected: columns, actual: array.count)
            }
            for (column, value) in array.enumerated() where !value.isFinite {
                throw .nonFiniteNumber(at: path.appending(row).appending(column))
            }
            values.append(contentsOf: array)
        }
        self.init(rows: rowArrays.count, columns: columns, values: values)
    }

    /// The element at `row`, `column`.
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The row `row` as an array.
    public func row(_ row: Int) -> [Double] {
        Array(values[row * columns..<(row + 1) * columns])
    }

    /// The rows as nested arrays (for JSON and tests).
    public var rowArrays: [[Double]] {
        (0..<rows).map(row)
    }

    /// The matrix made of the rows at `indices`, in that order.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var values: [Double] = []
        values.reserveCapacity(indices.count * columns)
        for index in indices {
            values.append(contentsOf: self.values[index * columns..<(index + 1) * columns])
        }
        return Matrix(rows: indices.count, columns: columns, values: values)
    }

    /// The elements column after column (the transpose's row-major values).
    var columnMajorValues: [Double] {
        var result = [Double](repeating: 0, count: values.count)
        for row in 0..<rows {
            for column in 0..<columns { result[column * rows + row] = values[row * columns + column] }
        }
        return result
    }

    /// The matrix of `rows` rows whose elements are `values` column after column.
    init(columnMajor values: [Double], rows: Int) {
        let columns = rows == 0 ? 0 : values.count / rows
        var result = [Double](repeating: 0, count: values.count)
        for row in 0..<rows {
            for column in 0..<columns { result[row * columns + column] = values[column * rows + row] }
        }
        self.init(rows: rows, columns: columns, values: result)
    }
}
