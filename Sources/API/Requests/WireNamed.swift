/// A choice that requests and results spell by name: one wire name per case, read back by
/// `init(wireName:)`; a 400 for an unknown name lists the names in `allCases` order.
protocol WireNamed: CaseIterable {
    /// The name requests and results use for this case.
    var wireName: String { get }
    /// Other names read as a case (kept for compatibility; answers use `wireName`).
    static var aliases: [String: Self] { get }
}

extension WireNamed {
    /// No aliases unless a type names some.
    static var aliases: [String: Self] { [:] }

    /// The case named `wireName`, or nil when there is none.
    init?(wireName: String) {
        guard let match = Self.allCases.first(where: { $0.wireName == wireName }) else { return nil }
        self = match
    }
}

extension WireNamed where Self: RawRepresentable, RawValue == String {
    /// The API's own choices are named by their raw values.
    var wireName: String { rawValue }
}
