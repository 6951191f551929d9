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
}
