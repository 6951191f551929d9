import Foundation

/// The digits data file written by `Benchmarks/python/train_peers.py --export` (format in
/// `train_workload.py`): little-endian, four `Int64` (rows, features, hidden, classes), then `Double`s:
/// x `[rows, features]` row-major, labels `[rows]`, w1 `[features, hidden]`, b1, w2 `[hidden, classes]`, b2.
struct DigitsData {
    let x: [[Double]]
    let labels: [Double]
    /// Per layer, `[inputs][units]`.
    let weights: [[[Double]]]
    let biases: [[Double]]

    /// Nil when the file is missing; a malformed file stops the benchmark.
    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let header = 4 * MemoryLayout<Int64>.size
        guard data.count >= header else {
            print("train: \(path) is not a digits data file (\(data.count) bytes)")
            exit(1)
        }
        let sizes = data.withUnsafeBytes { bytes in
            (0..<4).map { Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
        }
        let (rows, features, hidden, classes) = (sizes[0], sizes[1], sizes[2], sizes[3])
        let count = rows * features + rows + features * hidden + hidden + hidden * classes + classes
        guard rows > 0, features > 0, hidden > 0, classes > 0, data.count == header + count * 8 else {
            print("train: \(path) is not a digits data file (\(data.count) bytes for sizes \(sizes))")
            exit(1)
        }
        var values: [Double] = []
        values.reserveCapacity(count)
        data.withUnsafeBytes { bytes in
            for index in 0..<count {
                let bits = bytes.loadUnaligned(fromByteOffset: header + index * 8, as: UInt64.self)
                values.append(Double(bitPattern: UInt64(littleEndian: bits)))
            }
        }
        var offset = 0
        func take(_ count: Int) -> [Double] {
            defer { offset += count }
            return Array(values[offset..<offset + count])
        }
        func rowsOf(_ count: Int, _ width: Int) -> [[Double]] { (0..<count).map { _ in take(width) } }
        x = rowsOf(rows, features)
        labels = take(rows)
        let w1 = rowsOf(features, hidden)
        let b1 = take(hidden)
        let w2 = rowsOf(hidden, classes)
        weights = [w1, w2]
        biases = [b1, take(classes)]
    }
}
