import Foundation

/// A network data file written by `Benchmarks/python/train_wide.py export` (format in its docstring):
/// little-endian int64 layer count, rows, features, the widths; then doubles: x `[rows, features]`
/// row-major, labels `[rows]`, per layer w `[inputs, units]` row-major and b `[units]`.
struct NetworkData {
    let x: [[Double]]
    let labels: [Double]
    /// Per layer, `[inputs][units]`.
    let weights: [[[Double]]]
    let biases: [[Double]]

    /// Nil when the file is missing; a malformed file stops the benchmark.
    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let numbers = data.withUnsafeBytes { bytes in
            (0..<data.count / 8).map {
                UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
            }
        }
        let layers = numbers.isEmpty ? 0 : Int(numbers[0])
        guard layers > 0, numbers.count > 3 + layers else {
            print("train-wide: \(path) is not a network data file")
            exit(1)
        }
        let (rows, features) = (Int(numbers[1]), Int(numbers[2]))
        let widths = numbers[3..<3 + layers].map { Int($0) }
        let inputs = [features] + widths.dropLast()
        let count = rows * features + rows + zip(inputs, widths).map { $0 * $1 + $1 }.reduce(0, +)
        guard numbers.count == 3 + layers + count, data.count % 8 == 0 else {
            print("train-wide: \(path) has \(data.count) bytes, not what its sizes say")
            exit(1)
        }
        var offset = 3 + layers
        func take(_ count: Int) -> [Double] {
            defer { offset += count }
            return numbers[offset..<offset + count].map { Double(bitPattern: $0) }
        }
        func rowsOf(_ count: Int, _ width: Int) -> [[Double]] { (0..<count).map { _ in take(width) } }
        x = rowsOf(rows, features)
        labels = take(rows)
        var weights: [[[Double]]] = []
        var biases: [[Double]] = []
        for (inputCount, units) in zip(inputs, widths) {
            weights.append(rowsOf(inputCount, units))
            biases.append(take(units))
        }
        self.weights = weights
        self.biases = biases
    }
}
