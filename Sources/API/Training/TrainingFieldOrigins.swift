import NeuralNet

/// Where a resolved request's fields came from, so that the engine's `SettingPath`s become JSON
/// pointers into the body as it was sent (`TrainingVocabulary.pointer` otherwise): the top-level
/// `learning_rate`, the CSV text rather than `data.x` and `data.y`, `n` or `dataset` rather than
/// `data`. Fields that came from a preset keep the pointer where a request would override them.
struct TrainingFieldOrigins {
    /// The learning rate was given as the top-level `learning_rate`.
    var learningRateAtTopLevel = false
    /// The rows came from CSV: each row's 1-based line in the text.
    var csvLines: [Int]?
    /// The rows come from a built-in dataset; true when `n` was given.
    var datasetSamplesGiven: Bool?

    /// The 400 for `error`: its message, at the pointer of the field it names.
    func apiError(for error: TrainingError) -> APIError {
        let path = error.path
        var (pointer, detail) = (TrainingVocabulary.pointer(path), error.message)
        if case .limitExceeded(let limit, _, _) = error {
            detail += " (limit '\(limit.wireName)', set by nabla serve \(TrainingVocabulary.flag(limit)))"
        }
        if case .setting(let first)? = path.steps.first, [.data, .features, .targets].contains(first) {
            if let csvLines {
                pointer = "/data/csv"
                if path.steps.count > 1, case .index(let row) = path.steps[1], row < csvLines.count {
                    detail = "line \(csvLines[row]) of the CSV: \(detail)"
                }
            } else if let samplesGiven = datasetSamplesGiven {
                pointer = samplesGiven ? TrainingVocabulary.pointer(SettingPath(.samples)) : "/dataset"
            }
        } else if learningRateAtTopLevel, path == SettingPath(.optimizer, .learningRate) {
            pointer = "/learning_rate"
        }
        return .invalidRequest(detail, issues: [FieldIssue(pointer: pointer, detail: detail)])
    }
}
