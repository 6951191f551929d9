// Public: Logger.Level's conformance to ExpressibleByArgument below is public, as both are.
public import ArgumentParser
import Foundation
public import Logging

/// A type a setting can hold: parsed from a flag or an environment variable by ArgumentParser's
/// `init?(argument:)`, and shown in `--help` and README as `settingText`.
protocol SettingValue: ExpressibleByArgument {
    /// The value as `--help` and README show it: `300`, not `300.0`.
    var settingText: String { get }
}

extension Int: SettingValue {
    var settingText: String { String(self) }
}

extension UInt16: SettingValue {
    var settingText: String { String(self) }
}

extension String: SettingValue {
    var settingText: String { self }
}

extension Bool: SettingValue {
    var settingText: String { self ? "true" : "false" }
}

/// Origins for CORS, given comma-separated (`https://a.example,http://localhost:8080`).
struct OriginList: SettingValue, Equatable {
    var origins: [String]

    init(origins: [String]) { self.origins = origins }

    init(_ text: String) {
        origins = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    init?(argument: String) { self.init(argument) }

    var settingText: String { origins.joined(separator: ",") }

    /// Whether every origin is `scheme://host[:port]`, as browsers send `Origin`: http or https, no
    /// path, no trailing slash.
    var isWellFormed: Bool {
        origins.allSatisfy { origin in
            guard let components = URLComponents(string: origin), let scheme = components.scheme,
                ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
            else { return false }
            return components.path.isEmpty && components.query == nil && components.fragment == nil
                && components.user == nil && origin == origin.lowercased()
        }
    }
}

extension Double: SettingValue {
    var settingText: String {
        rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}

// The level is read in any case (`INFO`, `info`).
extension Logger.Level: @retroactive ExpressibleByArgument, SettingValue {
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    var settingText: String { rawValue }
}

// The format is read in any case (`JSON`, `json`).
extension LineLogHandler.Format: ExpressibleByArgument, SettingValue {
    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    var settingText: String { rawValue }
}
