import ArgumentParser
import Foundation

/// Resolves a setting: the command-line value, else the environment variable, else the default.
/// A malformed environment value is an error, never silently replaced by the default.
enum Setting {
    static func resolve<T: LosslessStringConvertible>(
        _ flag: T?, env name: String, default defaultValue: T,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> T {
        if let flag { return flag }
        guard let text = environment[name] else { return defaultValue }
        guard let value = T(text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("environment variable \(name)='\(text)' is not a valid value")
        }
        return value
    }

    /// `resolve`, then checks the value is in `range`: else the error names `flag` and the range
    /// (`--workers must be 1...1024`).
    static func resolve(
        _ flag: Int?, env name: String, default defaultValue: Int, in range: ClosedRange<Int>, flagName: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Int {
        let value = try resolve(flag, env: name, default: defaultValue, environment: environment)
        guard range.contains(value) else {
            throw ValidationError("\(flagName) must be \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
