import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONWriter {
    /// Writes one number (formats: `NumberText`).
    static func writeNumber(_ number: Double, into output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: NumberText.maxLength) {
            let count = NumberText.write(number, to: $0.baseAddress!)
            output.append(contentsOf: UnsafeBufferPointer(start: $0.baseAddress, count: count))
        }
    }

    /// Writes `[n,n,…]` straight into the output's storage, a block of numbers at a time: room for the
    /// longest text of each is appended, the numbers are written in place and the unused tail is removed.
    /// Arrays of `minimumNumbersPerChunk` numbers per core or more are written on every core (as the
    /// batch was evaluated): each core writes its contiguous run into its own worst-case-sized region,
    /// then the runs are moved together. The bytes are the same however the array is split.
    static func writeNumbers(_ numbers: [Double], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        let chunks = min(cores, numbers.count / minimumNumbersPerChunk)
        var next = 0
        while next < numbers.count {
            let block = chunks > 1 ? 0..<numbers.count : next..<min(next + 4_096, numbers.count)
            let start = output.count
            let reserved = block.count * stride
            output.append(contentsOf: repeatElement(0, count: reserved))
            let written = output.withUnsafeMutableBufferPointer { buffer in
                numbers.withUnsafeBufferPointer { numbers in
                    let base = buffer.baseAddress! + start
                    if chunks > 1 { return writeOnEveryCore(numbers, chunks: chunks, to: base) }
                    return writeRun(numbers, block, to: base)
                }
            }
            output.removeLast(reserved - written)
            next = block.upperBound
        }
        output.append(UInt8(ascii: "]"))
    }

    /// Room per number: its longest text and a comma.
    private static let stride = NumberText.maxLength + 1

    /// Numbers a core must have before an array is split (formatting one takes ~40 ns, waking a thread
    /// a few µs).
    static let minimumNumbersPerChunk = 16_384

    private static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Writes `numbers[range]`, each after a comma but the array's first, from `base`; returns the bytes written.
    private static func writeRun(
        _ numbers: UnsafeBufferPointer<Double>, _ range: Range<Int>, to base: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var count = 0
        for index in range {
            if index > 0 {
                base[count] = UInt8(ascii: ",")
                count += 1
            }
            count += NumberText.write(numbers[index], to: base + count)
        }
        return count
    }

    /// Writes all `numbers` from `base` (room for `stride` bytes each) in `chunks` contiguous runs, one
    /// per core, then moves the runs together; returns the bytes written.
    private static func writeOnEveryCore(
        _ numbers: UnsafeBufferPointer<Double>, chunks: Int, to base: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let count = numbers.count
        var lengths = [Int](repeating: 0, count: chunks)
        lengths.withUnsafeMutableBufferPointer { lengths in
            // concurrentPerform returns when every run is written; the runs write disjoint regions of
            // `base` (run c starts at its first index times `stride`) and their own slot of `lengths`.
            let work = ChunkPointers(numbers: numbers, base: base, lengths: lengths)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let range = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
                work.lengths[chunk] = writeRun(work.numbers, range, to: work.base + range.lowerBound * stride)
            }
        }
        var end = lengths[0]
        for chunk in 1..<chunks {
            // The destination is below the source; copyMemory allows the regions to overlap.
            UnsafeMutableRawPointer(base + end).copyMemory(
                from: base + count * chunk / chunks * stride, byteCount: lengths[chunk])
            end += lengths[chunk]
        }
        return end
    }

    /// Room for the `.numbers` arrays in `value`, reserved up front so that a large answer is written
    /// into one allocation instead of a series of growing copies.
    static func numbersCapacity(_ value: JSONValue) -> Int {
        switch value {
        case .numbers(let numbers): 2 + numbers.count * (NumberText.maxLength + 1)
        case .encoded(let bytes): bytes.count
        case .array(let elements): elements.reduce(0) { $0 + numbersCapacity($1) }
        case .object(let members): members.reduce(0) { $0 + numbersCapacity($1.value) }
        case .null, .bool, .number, .string: 0
        }
    }
}

/// The pointers one `writeOnEveryCore` call shares with its runs (each writes only its own parts).
private struct ChunkPointers: @unchecked Sendable {
    let numbers: UnsafeBufferPointer<Double>
    let base: UnsafeMutablePointer<UInt8>
    let lengths: UnsafeMutableBufferPointer<Int>
}
