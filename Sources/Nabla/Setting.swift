/// One `nabla serve` setting, declared once in `ServeCommand.settings`: its flag, where the parsed
/// flag is read, where the value lands in `ServiceSettings`, the values it allows and what it means.
///
/// The rest is derived from that: the environment variable (`NABLA_` and the flag in upper snake
/// case, so `--public-dir` reads "NABLA_PUBLIC_DIR"), the default (the configuration's own, read from
/// `ServiceSettings()`), the `--help` text, the validation messages and README's table row.
struct Setting<Value: SettingValue> {
    /// The long flag without its dashes: `max-streams-per-client`.
    let name: String
    /// The command's property that holds the flag's value (nil when the flag is absent).
    let option: KeyPath<ServeCommand, Value?>
    /// Where the value lands; what it holds in `ServiceSettings()` is the default.
    let target: WritableKeyPath<ServiceSettings, Value>
    /// The values allowed beyond what `Value` itself parses; nil allows them all.
    let allowed: Allowed<Value>?
    /// How the default is shown.
    let shownDefault: ShownDefault
    /// What it means, in Markdown (README's cell; `--help` drops the backticks).
    let meaning: String

    init(
        _ name: String, _ option: KeyPath<ServeCommand, Value?>, sets target: WritableKeyPath<ServiceSettings, Value>,
        in allowed: Allowed<Value>? = nil, default shownDefault: ShownDefault = .value, meaning: String
    ) {
        self.name = name
        self.option = option
        self.target = target
        self.allowed = allowed
        self.shownDefault = shownDefault
        self.meaning = meaning
    }
}

/// How `--help` and README show a setting's default.
enum ShownDefault {
    /// The configuration's default value.
    case value
    /// The value, then a remark in Markdown: "(`0.0.0.0` in the container)".
    case valueWith(String)
    /// Words in place of a value that depends on the machine (Markdown): "the number of cores".
    case described(String)
}

/// The values a setting allows, and how its error message states them (`--workers must be 1...1024`).
struct Allowed<Value> {
    let contains: (Value) -> Bool
    /// Follows "must be " in the message.
    let text: String

    static func range(_ range: ClosedRange<Int>) -> Self where Value == Int {
        Allowed(contains: range.contains, text: "\(range.lowerBound)...\(range.upperBound)")
    }

    /// Seconds from `range.lowerBound` to `range.upperBound`, both included.
    static func seconds(_ range: ClosedRange<Double>) -> Self where Value == Double {
        Allowed(
            contains: range.contains,
            text: "\(range.lowerBound.settingText)...\(range.upperBound.settingText) s")
    }

    /// Origins a browser sends (`https://app.example.com`, `http://localhost:8080`).
    static func origins() -> Self where Value == OriginList {
        Allowed(
            contains: \.isWellFormed,
            text: "origins like https://app.example.com (scheme://host[:port], lowercase, no path)")
    }

    /// Seconds above 0, up to `limit` included.
    static func positiveSeconds(upTo limit: Double) -> Self where Value == Double {
        Allowed(contains: { $0 > 0 && $0 <= limit }, text: "in (0, \(limit.settingText)] s")
    }
}
