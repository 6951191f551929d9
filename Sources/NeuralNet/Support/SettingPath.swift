/// Where something is in a training run's settings and data, or in a prediction's rows: settings and
/// indices from the root, in NeuralNet's names, e.g. `layers`, 2, `weights`, 0. `TrainingError` names
/// the offending part with one; the API turns it into whatever its clients call that part.
public struct SettingPath: Sendable, Hashable {
    /// One step: a setting, or a position in a list.
    public enum Step: Sendable, Hashable {
        /// A setting (at the root, or within the setting or element before it).
        case setting(TrainingSetting)
        /// A position in a list (layers, rows, columns), from 0.
        case index(Int)
    }

    /// The steps from the root.
    public private(set) var steps: [Step]

    /// The path through `steps`.
    public init(_ steps: [Step]) {
        self.steps = steps
    }

    /// The path through the settings `settings`, e.g. `SettingPath(.optimizer, .learningRate)`.
    public init(_ settings: TrainingSetting...) {
        steps = settings.map(Step.setting)
    }

    /// This path followed by the position `index`.
    public func appending(_ index: Int) -> SettingPath {
        SettingPath(steps + [.index(index)])
    }

    /// This path followed by the setting `setting`.
    public func appending(_ setting: TrainingSetting) -> SettingPath {
        SettingPath(steps + [.setting(setting)])
    }

    /// The inline rows of features.
    public static let features = SettingPath(.features)
    /// The inline targets.
    public static let targets = SettingPath(.targets)
    /// The layer list.
    public static let layers = SettingPath(.layers)

    /// The layer at `index` (from 0), optionally one of its settings.
    public static func layer(_ index: Int, _ setting: TrainingSetting? = nil) -> SettingPath {
        let path = layers.appending(index)
        return setting.map(path.appending) ?? path
    }
}
