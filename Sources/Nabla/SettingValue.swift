// Public: Logger.Level's conformance to ExpressibleByArgument below is public, as both are.
public import ArgumentParser
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
