/// The JSON routes a fuzz input can be sent to. Each has a letter so that seed files stay readable
/// (`D{"expression": "x^2", "at": 1}`); any other first byte picks a route by its value.
enum FuzzedRoute: CaseIterable {
    case derivative, gradient, descent, echo
    /// `POST /v1/jobs/{id}/predict` on the model `FuzzedService` trained at start-up.
    case predict
    /// `POST /v1/jobs/{id}/predict` with an id no job has: always 404, whatever the body.
    case predictUnknownJob
    case train, sleep

    /// The seed files' first byte for this route.
    var letter: UInt8 {
        switch self {
        case .derivative: UInt8(ascii: "D")
        case .gradient: UInt8(ascii: "G")
        case .descent: UInt8(ascii: "S")
        case .echo: UInt8(ascii: "E")
        case .predict: UInt8(ascii: "P")
        case .predictUnknownJob: UInt8(ascii: "U")
        case .train: UInt8(ascii: "T")
        case .sleep: UInt8(ascii: "Z")
        }
    }

    /// The route `byte` picks: the one with that letter, else one by the byte's value.
    init(selector byte: UInt8) {
        let routes = Self.allCases
        self = routes.first { $0.letter == byte } ?? routes[Int(byte) % routes.count]
    }

    /// Whether the route queues a kept job (202, or the finished job with `"wait": true`).
    var submitsJob: Bool { self == .train || self == .sleep }

    /// The statuses this route may answer with (besides `RequestInvariants.allowedStatuses`, which
    /// holds for all): a narrower set catches a route answering another route's kind of error.
    var expectedStatuses: Set<Int> {
        switch self {
        case .predictUnknownJob: [404]
        case .echo: [200, 400, 503]
        case .train, .sleep: [200, 202, 400, 413, 422, 429, 503]
        case .derivative, .gradient, .descent: [200, 400, 404, 413, 422, 503]  // 404: an unknown `function` name
        case .predict: [200, 400, 413, 422, 503]
        }
    }
}
