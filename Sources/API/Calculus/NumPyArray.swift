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
        let prefix: [UInt8] =
            [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        let dataStart = prefix.count + header.count
        // Written in place, a row at a time (megabytes for a large batch).
        return [UInt8](unsafeUninitializedCapacity: dataStart + 8 * rows.count * columns) { buffer, count in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            base.copyMemory(from: prefix, byteCount: prefix.count)
            (base + prefix.count).copyMemory(from: header, byteCount: header.count)
            for (index, row) in rows.enumerated() {
                let destination = base + dataStart + 8 * columns * index
                #if _endian(little)
                    row.withUnsafeBytes { source in
                        guard let start = source.baseAddress else { return }
                        destination.copyMemory(from: start, byteCount: source.count)
                    }
                #else
                    for (offset, value) in row.enumerated() {
                        destination.storeBytes(
                            of: value.bitPattern.littleEndian, toByteOffset: 8 * offset, as: UInt64.self)
                    }
                #endif
            }
            count = dataStart + 8 * rows.count * columns
        }
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
