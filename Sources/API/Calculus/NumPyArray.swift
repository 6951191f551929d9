/// A two-dimensional float64 array in NumPy's `.npy` format (version 1.0), which `numpy.load` reads:
/// the magic `\x93NUMPY`, the version, a little-endian 16-bit header length, a Python-literal header
/// (`{'descr': '<f8', 'fortran_order': False, 'shape': (rows, columns), }`) padded with spaces to a
/// multiple of 64 bytes and ended by a newline, then the numbers, row after row, little-endian.
/// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
enum NumPyArray {
    /// The media type `Accept` names it by.
    static let mediaType = "application/x-npy"

    /// The rows (all of one length) as a `.npy` file.
    static func bytes(rows: [[Double]]) -> [UInt8] {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "every row has the same length")
        var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows.count), \(columns)), }".utf8)
        let prefixLength = 10  // magic (6), version (2), header length (2)
        let padding = (64 - (prefixLength + header.count + 1) % 64) % 64
        header += Array(repeating: UInt8(ascii: " "), count: padding) + [UInt8(ascii: "\n")]
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes.reserveCapacity(prefixLength + header.count + 8 * rows.count * columns)
        bytes += [UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        bytes += header
        for row in rows {
            for value in row {
                let bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Whether an `Accept` header asks for it (a listed media type, parameters ignored).
    static func isAccepted(by accept: String?) -> Bool {
        guard let accept else { return false }
        return accept.split(separator: ",").contains { range in
            range.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() == mediaType } ?? false
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
