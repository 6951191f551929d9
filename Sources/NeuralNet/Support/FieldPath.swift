/// Where in a training request something is: a list of keys and indices, spelt the way the request's
/// fields are (`data`, `x`, `model`, `layers`, `learning_rate`, ...), so the API can turn it into a
/// JSON pointer without knowing the engine. NeuralNet itself knows nothing of JSON.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// One step into the request: an object key or an array index.
    public enum Component: Sendable, Hashable {
        /// A key of an object, e.g. `learning_rate`.
        case key(String)
        /// A position in an array, from 0.
        case index(Int)
    }

    /// The steps from the request's root.
    public private(set) var components: [Component]

    /// The path through `components`.
    public init(_ components: [Component]) {
        self.components = components
    }

    /// The path through the keys `keys`, e.g. `FieldPath("optimizer", "learning_rate")`.
    public init(_ keys: String...) {
        components = keys.map(Component.key)
    }

    /// This path followed by the array index `index`.
    public func appending(_ index: Int) -> FieldPath {
        FieldPath(components + [.index(index)])
    }

    /// This path followed by the object key `key`.
    public func appending(_ key: String) -> FieldPath {
        FieldPath(components + [.key(key)])
    }

    /// `data.x[3][1]`: keys joined by dots, indices in brackets.
    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// `data.x`: the inline features.
    public static let features = FieldPath("data", "x")
    /// `data.y`: the inline targets.
    public static let targets = FieldPath("data", "y")
    /// `model.layers`: the layer list.
    public static let layers = FieldPath("model", "layers")
}
