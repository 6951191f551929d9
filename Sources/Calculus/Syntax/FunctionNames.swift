/// The names functions are written with, and how each call becomes an `Expression`.
public enum FunctionNames {
    struct Entry: Sendable {
        let arityDescription: String
        let build: @Sendable ([Expression]) -> Expression?
    }

    /// Every callable name, sorted (for "known functions" in error messages and `/v1/functions`).
    public static let all: [String] = entries.keys.sorted()

    static func lookup(_ name: String) -> Entry? { entries[name] }

    private static let entries: [String: Entry] = {
        var table: [String: Entry] = [:]
        for function in UnaryFunction.allCases {
            table[function.name] = unary(function)
        }
        table["ln"] = unary(.log)
        table["log"] = Entry(arityDescription: "1 or 2 arguments (x, base)") { arguments in
            switch arguments.count {
            case 1: .unary(.log, arguments[0])
            case 2: .binary(.logBase, arguments[0], arguments[1])
            default: nil
            }
        }
        table["nthRoot"] = Entry(arityDescription: "1 or 2 arguments (x, n)") { arguments in
            switch arguments.count {
            case 1: .unary(.sqrt, arguments[0])
            case 2: .binary(.nthRoot, arguments[0], arguments[1])
            default: nil
            }
        }
        table["pow"] = binary(.power)
        for operation in [BinaryOperation.atan2, .mod, .hypot] {
            table[operation.functionName!] = binary(operation)
        }
        for operation in [BinaryOperation.min, .max] {
            table[operation.functionName!] = Entry(arityDescription: "1 or more arguments") { arguments in
                guard !arguments.isEmpty else { return nil }
                return arguments.dropFirst().reduce(arguments[0]) { .binary(operation, $0, $1) }
            }
        }
        return table
    }()

    private static func unary(_ function: UnaryFunction) -> Entry {
        Entry(arityDescription: "1 argument") { arguments in
            arguments.count == 1 ? .unary(function, arguments[0]) : nil
        }
    }

    private static func binary(_ operation: BinaryOperation) -> Entry {
        Entry(arityDescription: "2 arguments") { arguments in
            arguments.count == 2 ? .binary(operation, arguments[0], arguments[1]) : nil
        }
    }
}
