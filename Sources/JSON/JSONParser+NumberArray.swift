import Parallel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONParser {
    /// Text a run must have before a large array of numbers is read on several cores (reading a number
    /// takes ~20 ns, waking a thread a few µs).
    static let minimumBytesPerChunk = 64 * 1024

    /// Runs per core at most: they are handed out as cores come free, so a core that is busy elsewhere
    /// holds up at most one.
    private static let chunksPerCore = 4

    private static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// The shortest text of a number array that is read on several cores (two runs): a caller that sees
    /// a body this large coming may prepare for it (`ParallelLoop.prepare`).
    public static let minimumBytesReadInParallel = 2 * minimumBytesPerChunk

    /// A large array of numbers alone, read on every core: the text up to the first `]` is cut at commas
    /// into runs, and each run is read by the same number rule as one at a time, into its
    /// own array. With the index after the `]`, or nil with the index unmoved whenever that is not
    /// exactly what the array is — too short, a run that is not `number *(, number)`, anything else
    /// before that `]` (a string, a nested array) — and the caller reads it one element at a time,
    /// which also gives any error its usual position and text. The numbers are the same either way.
    mutating func parseNumbersOnEveryCore() -> [Double]? {
        let start = index
        let chunks = min(Self.cores * Self.chunksPerCore, (bytes.count - start) / Self.minimumBytesPerChunk)
        guard chunks > 1, let end = firstClosingBracket(from: start) else { return nil }
        // Each run begins after a comma near its share of the text and ends at the comma before the next.
        var bounds = [start]
        for chunk in 1..<chunks {
            var cut = max(start + (end - start) * chunk / chunks, bounds[bounds.count - 1] + 1)
            while cut < end, bytes[cut] != UInt8(ascii: ",") { cut += 1 }
            if cut < end { bounds.append(cut) }
        }
        bounds.append(end)
        let runs = RunResults(count: bounds.count - 1)
        let (parser, cuts) = (self, bounds)
        ParallelLoop.forEach(iterations: runs.count) { run in
            var reader = parser
            // Run 0 starts at the first number; the others at the comma that ends the run before.
            reader.index = run == 0 ? cuts[0] : cuts[run] + 1
            runs.store(reader.parseNumberRun(upTo: cuts[run + 1]), at: run)
        }
        guard let numbers = runs.joined() else { return nil }
        index = end + 1
        return numbers
    }

    /// The numbers of the array of numbers that `text` is, if `parseNumbersOnEveryCore` reads it (tests
    /// check that large arrays do take that path).
    static func numbersReadOnEveryCore(_ text: [UInt8]) -> [Double]? {
        var parser = JSONParser(bytes: text, maxDepth: 1, numberArrays: true)
        parser.index = 1
        return parser.parseNumbersOnEveryCore()
    }

    /// The position of the first `]` from `start`, if any.
    private func firstClosingBracket(from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let found = memchr(buffer.baseAddress! + start, Int32(UInt8(ascii: "]")), buffer.count - start)
            else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(buffer.baseAddress!)
        }
    }

    /// `ws number ws *(, ws number ws)` exactly filling `index..<end`, or nil.
    private mutating func parseNumberRun(upTo end: Int) -> [Double]? {
        var numbers: [Double] = []
        numbers.reserveCapacity((end - index) / 8)
        while true {
            skipWhitespace()
            guard index < end, let number = try? parseNumber() else { return nil }
            numbers.append(number)
            skipWhitespace()
            if index == end { return numbers }
            guard index < end, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }
}

/// The runs' arrays, each written by its own run only (`ParallelLoop.forEach` returns after all are): slots
/// allocated up front, so that no run touches an array another run is writing.
private final class RunResults: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<[Double]?>
    var count: Int { slots.count }

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func store(_ numbers: [Double]?, at run: Int) { slots[run] = numbers }

    /// The runs' numbers in order, or nil if any run failed.
    func joined() -> [Double]? {
        var all: [Double] = []
        all.reserveCapacity(slots.reduce(0) { $0 + ($1?.count ?? 0) })
        for run in slots {
            guard let run else { return nil }
            all.append(contentsOf: run)
        }
        return all
    }
}
