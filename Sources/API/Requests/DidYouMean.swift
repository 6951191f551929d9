/// Suggestions for a word a request got wrong: other libraries' spellings of Nabla's words (Keras,
/// scikit-learn, PyTorch), then a case-insensitive match, then the closest known word within two
/// edits. Nabla keeps one name per thing, so these names are refused with the suggestion rather than
/// accepted: a request's words are the words its job, its `config_hash` and the docs show, and the
/// foreign words do not always mean the same (Keras's `validation_split` takes the last rows
/// unshuffled; Nabla's `split.validation` draws them from `seed`).
enum DidYouMean {
    /// Foreign field names and values, each with Nabla's word for it.
    static let foreignWords: [String: String] = [
        // Fields.
        "validation_split": "split.validation", "test_split": "split.test", "test_size": "split.test",
        "lr": "learning_rate", "learningRate": "learning_rate", "learning_rate_init": "learning_rate",
        "batch": "batch_size", "batchSize": "batch_size", "epoch": "epochs", "n_epochs": "epochs",
        "num_epochs": "epochs", "max_iter": "epochs", "random_state": "seed", "hidden_layer_sizes": "model.layers",
        "layers": "model.layers", "loss_function": "loss", "normalization": "normalize", "iterations": "steps",
        "function_name": "function", "x0": "start", "expr": "expression", "point": "at", "x": "at",
        // Values.
        "binary_crossentropy": "binary_cross_entropy", "BinaryCrossentropy": "binary_cross_entropy",
        "BCELoss": "binary_cross_entropy", "log_loss": "binary_cross_entropy",
        "categorical_crossentropy": "cross_entropy", "sparse_categorical_crossentropy": "cross_entropy",
        "CategoricalCrossentropy": "cross_entropy", "CrossEntropyLoss": "cross_entropy",
        "crossentropy": "cross_entropy", "mean_squared_error": "mse", "MeanSquaredError": "mse",
        "MSELoss": "mse", "squared_error": "mse", "gradient_descent": "sgd", "logistic": "sigmoid",
        "identity": "linear", "glorot_uniform": "xavier", "he_normal": "he", "standard": "zscore",
        "standardize": "zscore", "StandardScaler": "zscore", "MinMaxScaler": "minmax", "min_max": "minmax",
        "finite_difference": "central", "numerical": "central", "autodiff": "reverse", "backprop": "reverse",
    ]

    /// The known word `word` most likely meant, or nil.
    static func suggestion(for word: String, among known: [String]) -> String? {
        if let foreign = foreignWords[word], known.contains(foreign) || foreign.contains(".") {
            return foreign
        }
        if let match = known.first(where: { $0.lowercased() == word.lowercased() }) { return match }
        let lowered = word.lowercased()
        let scored = known.map { ($0, distance(lowered, $0.lowercased())) }.filter {
            $0.1 <= 2 && $0.1 < word.count / 2
        }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// " (did you mean 'x'?)" for `suggestion(for:among:)`, or "": to follow the word it is about.
    static func hint(for word: String, among known: [String]) -> String {
        suggestion(for: word, among: known).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Levenshtein distance between `a` and `b`, by characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
