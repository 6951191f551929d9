import ArgumentParser
import Foundation

/// A setting whatever its value's type: what `ServeCommand` does with each.
protocol AnySetting {
    /// The long flag without its dashes.
    var name: String { get }
    /// The command's property that holds the flag's value.
    var readsOption: PartialKeyPath<ServeCommand> { get }
    /// The `--help` text, given the configuration's defaults.
    func help(defaults: ServiceSettings) -> String
    /// README's configuration table row, given the configuration's defaults.
    func tableRow(defaults: ServiceSettings) -> String
    /// Sets the value in `settings`: the flag's, else the environment variable's, else the default
    /// `settings` already holds; then checks it is allowed.
    func resolve(from command: ServeCommand, environment: [String: String], into settings: inout ServiceSettings)
        throws
}

extension AnySetting {
    /// `--name`, as error messages say it.
    var flag: String { "--" + name }
    /// `NABLA_` and the name in upper snake case.
    var environmentName: String { "NABLA_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }
}

extension Setting: AnySetting {
    var readsOption: PartialKeyPath<ServeCommand> { option }

    func help(defaults: ServiceSettings) -> String {
        let shown =
            switch shownDefault {
            case .value: "Default \(defaults[keyPath: target].settingText)."
            case .valueWith(let remark): "Default \(defaults[keyPath: target].settingText) \(Self.plain(remark))."
            case .described(let words): "Default: \(Self.plain(words))."
            }
        let sentence = Self.plain(meaning)
        return "\(sentence.prefix(1).uppercased())\(sentence.dropFirst()). Env \(environmentName). \(shown)"
    }

    func tableRow(defaults: ServiceSettings) -> String {
        let shown =
            switch shownDefault {
            case .value: "`\(defaults[keyPath: target].settingText)`"
            case .valueWith(let remark): "`\(defaults[keyPath: target].settingText)` \(remark)"
            case .described(let words): words
            }
        return "| `\(flag)` | `\(environmentName)` | \(shown) | \(meaning) |"
    }

    func resolve(from command: ServeCommand, environment: [String: String], into settings: inout ServiceSettings)
        throws
    {
        let value: Value
        if let given = command[keyPath: option] {
            value = given
        } else if let text = environment[environmentName] {
            // A malformed environment value is an error, never silently replaced by the default.
            guard let parsed = Value(argument: text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(
                    Self.allowedValues.map { "\(flag) must be \($0)" }
                        ?? "environment variable \(environmentName)='\(text)' is not a valid value")
            }
            value = parsed
        } else {
            value = settings[keyPath: target]
        }
        if let allowed, !allowed.contains(value) {
            throw ValidationError("\(flag) must be \(allowed.text)")
        }
        settings[keyPath: target] = value
    }

    /// "text or json", "one of trace, debug, …": the values of an enumeration; nil for other types.
    private static var allowedValues: String? {
        let values = Value.allValueStrings
        switch values.count {
        case 0: return nil
        case 2: return "\(values[0]) or \(values[1])"
        default: return "one of " + values.joined(separator: ", ")
        }
    }

    /// Markdown without its code backticks, for `--help`.
    private static func plain(_ markdown: String) -> String {
        markdown.replacingOccurrences(of: "`", with: "")
    }
}
