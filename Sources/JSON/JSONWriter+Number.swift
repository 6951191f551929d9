import Parallel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONWriter {
    /// Writes `[n,n,…]` at `output`, which has room for `numbersMaximumCount(numbers.count)` bytes; returns
    /// the bytes written. Arrays of twice `minimumNumbersPerChunk` numbers or more are written on every core
    /// (as the batch was evaluated), in up to `chunksPerCore` contiguous runs per core, each into its own
    /// worst-case-sized region, then the runs are moved together. Runs are handed out as cores come free,
    /// so a core that is busy elsewhere holds up at most one run. The bytes are the same however the array
    /// is split.
    static func writeNumbers(_ numbers: [Double], to output: UnsafeMutablePointer<UInt8>) -> Int {
        output[0] = UInt8(ascii: "[")
        let chunks = min(cores * chunksPerCore, numbers.count / minimumNumbersPerChunk)
        let written = numbers.withUnsafeBufferPointer { numbers in
            if chunks > 1 { return writeOnEveryCore(numbers, chunks: chunks, to: output + 1) }
            return writeRun(numbers, 0..<numbers.count, to: output + 1)
        }
        output[1 + written] = UInt8(ascii: "]")
        return written + 2
    }

    /// The most bytes `writeNumbers` writes for `count` numbers (and uses while writing).
    static func numbersMaximumCount(_ count: Int) -> Int { 2 + count * stride }

    /// Room per number: its longest text and a comma.
    private static let stride = NumberText.maxLength + 1

    /// Numbers a run must have (formatting one takes ~25 ns, waking a thread a few µs).
    static let minimumNumbersPerChunk = 4_096

    /// Runs per core at most.
    private static let chunksPerCore = 4

    private static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Writes `numbers[range]`, each after a comma but the array's first, from `base`; returns the bytes written.
    private static func writeRun(
        _ numbers: UnsafeBufferPointer<Double>, _ range: Range<Int>, to base: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var count = 0
        let tables = NumberText.tables
        for index in range {
            if index > 0 {
                base[count] = UInt8(ascii: ",")
                count += 1
            }
            count += NumberText.write(numbers[index], to: base + count, tables: tables)
        }
        return count
    }

    /// Writes all `numbers` from `base` (room for `stride` bytes each) in `chunks` contiguous runs on
    /// every core, then moves the runs together; returns the bytes written.
    private static func writeOnEveryCore(
        _ numbers: UnsafeBufferPointer<Double>, chunks: Int, to base: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let count = numbers.count
        var lengths = [Int](repeating: 0, count: chunks)
        lengths.withUnsafeMutableBufferPointer { lengths in
            // forEach returns when every run is written; the runs write disjoint regions of
            // `base` (run c starts at its first index times `stride`) and their own slot of `lengths`.
            let work = ChunkPointers(numbers: numbers, base: base, lengths: lengths)
            ParallelLoop.forEach(iterations: chunks) { chunk in
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
}

/// The pointers one `writeOnEveryCore` call shares with its runs (each writes only its own parts).
private struct ChunkPointers: @unchecked Sendable {
    let numbers: UnsafeBufferPointer<Double>
    let base: UnsafeMutablePointer<UInt8>
    let lengths: UnsafeMutableBufferPointer<Int>
}
