import NeuralNet

/// Where a resolved request's fields came from, so that the engine's `FieldPath`s (spelt like the
/// request's fields) become JSON pointers into the body as it was sent: the top-level
/// `learning_rate`, the CSV text rather than `data.x` and `data.y`, `n` or `dataset` rather than
/// `data`. Fields that came from a preset keep the pointer where a request would override them.
struct TrainingFieldOrigins {
    /// The learning rate was given as the top-level `learning_rate`.
    var learningRateAtTopLevel = false
    /// The rows came from CSV: each row's 1-based line in the text.
    var csvLines: [Int]?
    /// The rows come from a built-in dataset; true when `n` was given.
    var datasetSamplesGiven: Bool?

    /// The serve flag that sets each limit.
    static func flag(_ limit: TrainingLimits.Limit) -> String {
        switch limit {
        case .epochs: "--max-epochs"
        case .layers: "--max-layers"
        case .parameters: "--max-parameters"
        case .dataValues: "--max-data-values"
        case .work: "--max-training-work"
        }
    }

    /// The 400 for `error`: its message, at the pointer of the field it names.
    func apiError(for error: TrainingError) -> APIError {
        var (pointer, detail) = (Self.pointer(error.field.components), error.description)
        let components = error.field.components
        if case .limitExceeded(let limit, _, _) = error {
            detail += " (limit '\(limit.rawValue)', set by nabla serve \(Self.flag(limit)))"
        }
        if components.first == .key("data") {
            if let csvLines {
                pointer = "/data/csv"
                if components.count > 2, case .index(let row) = components[2], row < csvLines.count {
                    detail = "line \(csvLines[row]) of the CSV: \(detail)"
                }
            } else if let samplesGiven = datasetSamplesGiven {
                pointer = samplesGiven ? "/n" : "/dataset"
            }
        } else if learningRateAtTopLevel, components == [.key("optimizer"), .key("learning_rate")] {
            pointer = "/learning_rate"
        }
        return .invalidRequest(detail, issues: [FieldIssue(pointer: pointer, detail: detail)])
    }

    /// `/data/x/3/1` for `data.x[3][1]` (RFC 6901: `~` and `/` in keys escaped).
    static func pointer(_ components: [FieldPath.Component]) -> String {
        components.map { component in
            switch component {
            case .key(let key): "/" + key.replacing("~", with: "~0").replacing("/", with: "~1")
            case .index(let index): "/\(index)"
            }
        }.joined()
    }
}
