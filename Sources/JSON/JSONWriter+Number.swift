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
    static func writeNumbers(_ numbers: [Double], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        var next = 0
        while next < numbers.count {
            let block = next..<min(next + 4_096, numbers.count)
            let start = output.count
            let reserved = block.count * (NumberText.maxLength + 1)
            output.append(contentsOf: repeatElement(0, count: reserved))
            let written = output.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress! + start
                var count = 0
                for index in block {
                    if index > 0 {
                        base[count] = UInt8(ascii: ",")
                        count += 1
                    }
                    count += NumberText.write(numbers[index], to: base + count)
                }
                return count
            }
            output.removeLast(reserved - written)
            next = block.upperBound
        }
        output.append(UInt8(ascii: "]"))
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
