import JSON
import NeuralNet

/// What `GET /v1/datasets` answers: every dataset a training may name in `dataset`, as
/// `{datasets: [{id, name, kind, rows, features, columns, target, task, classes, ...}]}`. Built-in
/// datasets here; `DatasetRoutes` adds the caller's uploads, of `kind` `uploaded`.
enum DatasetCatalogue {
    /// Every built-in dataset's entry.
    static let builtInEntries = BuiltInDataset.allCases.map(entry)

    /// The entry of the built-in dataset `name`, if there is one.
    static func entry(named name: String) -> JSONValue? {
        BuiltInDataset(wireName: name).map(entry)
    }

    /// One built-in dataset. Rows and columns come from the engine; the names, task and classes are
    /// the wire's words for them.
    static func entry(_ dataset: BuiltInDataset) -> JSONValue {
        let columns = columns(dataset)
        var fields: [(key: String, value: JSONValue)] = [
            ("id", .string(dataset.wireName)), ("name", .string(name(dataset))), ("kind", "built-in"),
            ("description", .string(description(dataset))), ("rows", .number(Double(dataset.defaultSamples))),
            ("features", .number(Double(dataset.features))),
            ("columns", .array(columns.features.map { .string($0) })), ("target", .string(columns.target)),
            ("task", .string(dataset == .iris ? "multiclass_classification" : "binary_classification")),
            ("classes", .array(classes(dataset).map { .string($0) })),
            ("generated", .bool(dataset.isGenerated)),
        ]
        if dataset.isGenerated {
            // Generated datasets take `n` rows (the default above) and Gaussian `noise`, drawn from `seed`.
            fields.append(("parameters", .array(["n", "noise", "seed"])))
        }
        fields.append(("example", .object([("dataset", .string(dataset.wireName))])))
        return .object(fields)
    }

    static func name(_ dataset: BuiltInDataset) -> String {
        switch dataset {
        case .clothingSize: "Clothing sizes"
        case .xor: "XOR"
        case .circles: "Circles"
        case .moons: "Moons"
        case .spiral: "Spiral"
        case .gaussians: "Two Gaussians"
        case .iris: "Iris"
        }
    }

    static func description(_ dataset: BuiltInDataset) -> String {
        switch dataset {
        case .clothingSize:
            "The tutorial's 12 clothing sizes and whether each fits (1) or not (0): the data of the "
                + "clothing-size preset."
        case .xor: "Points in [-5, 5]²; class 1 where x·y > 0 (generated, as TensorFlow Playground's)."
        case .circles: "A disc (class 1) inside a ring (class 0) (generated)."
        case .moons: "Two interleaving half circles (generated, as scikit-learn's make_moons)."
        case .spiral: "Two interleaved spiral arms (generated, as TensorFlow Playground's)."
        case .gaussians: "Two normal clusters around (2, 2) and (-2, -2) (generated)."
        case .iris: "Fisher's iris: 150 flowers, 4 measurements in cm, 3 species."
        }
    }

    static func columns(_ dataset: BuiltInDataset) -> (features: [String], target: String) {
        switch dataset {
        case .clothingSize: (["size"], "fits")
        case .iris: (["sepal_length", "sepal_width", "petal_length", "petal_width"], "species")
        default: (["x0", "x1"], "class")
        }
    }

    static func classes(_ dataset: BuiltInDataset) -> [String] {
        switch dataset {
        case .iris: ["setosa", "versicolor", "virginica"]
        default: ["0", "1"]
        }
    }
}
