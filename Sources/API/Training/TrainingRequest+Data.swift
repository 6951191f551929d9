import NeuralNet
import JSON

extension TrainingRequest {
    /// `data: {x, y}`, `data: {csv, target}`, or `dataset` with `n` and `noise`; one of them at most.
    static func data(_ fields: inout JSONFields) throws(APIError) -> Data? {
        if let uploaded = try uploadedDataset(&fields) { return uploaded }
        let dataset = try fields.choice("dataset", of: BuiltInDataset.self)
        let samples = try fields.optionalInteger("n", atLeast: 2)
        let noise = try fields.optionalDouble("noise")
        for (key, given) in [("n", samples != nil), ("noise", noise != nil)] where given {
            guard let dataset else { throw fields.invalid(key, "applies to a generated 'dataset' only") }
            guard dataset.isGenerated else {
                throw fields.invalid(key, "does not apply to the dataset '\(dataset.wireName)' (it is fixed)")
            }
        }
        guard var object = try fields.object("data") else {
            return dataset.map { .dataset($0, samples: samples, noise: noise) }
        }
        if dataset != nil { throw fields.invalid("dataset", "give either 'data' or 'dataset', not both") }
        if let text = try object.string("csv") {
            guard let target = try object.string("target") else {
                throw .invalidRequest(
                    "CSV data needs 'target'",
                    issues: [FieldIssue(pointer: object.pointer(to: "target"), detail: "is required with 'csv'")])
            }
            try object.finish()
            return .csv(text: text, target: target)
        }
        let (x, y) = (object.value("x"), object.value("y"))
        try object.finish()
        guard let x, let y else {
            let missing = x == nil ? "x" : "y"
            throw .invalidRequest(
                "'data' needs 'x' and 'y' (or 'csv' and 'target')",
                issues: [FieldIssue(pointer: object.pointer(to: missing), detail: "is required")])
        }
        return .inline(
            x: try JSONArrays.rows(x, at: object.pointer(to: "x")), y: try targets(y, at: object.pointer(to: "y")))
    }

    /// `dataset: "ds_…"` (an uploaded dataset) with `target` and optional `features`; nil when
    /// `dataset` is absent or names a built-in one.
    private static func uploadedDataset(_ fields: inout JSONFields) throws(APIError) -> Data? {
        guard case .string(let id)? = fields.members.first(where: { $0.key == "dataset" })?.value,
            DatasetStore.isDatasetID(id)
        else {
            for key in ["target", "features"] where fields.members.contains(where: { $0.key == key }) {
                throw fields.invalid(
                    key, "applies to an uploaded dataset only ('dataset': 'ds_…' from POST /v1/datasets)")
            }
            return nil
        }
        _ = fields.value("dataset")
        for key in ["n", "noise", "data"] where fields.members.contains(where: { $0.key == key }) {
            throw fields.invalid(key, "does not apply to an uploaded dataset")
        }
        let target = try fields.string("target")
        var features: [String]?
        if let value = fields.value("features") {
            guard case .array(let elements) = value, !elements.isEmpty else {
                throw fields.invalid("features", "expected a non-empty array of column names")
            }
            var names: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let name) = element else {
                    throw JSONArrays.wrongType("\(fields.pointer(to: "features"))/\(index)", "a column name", element)
                }
                names.append(name)
            }
            features = names
        }
        return .uploaded(id: id, target: target, features: features)
    }

    /// `y`: numbers (values or class indices), strings (labels) or arrays of numbers (one per output),
    /// all of the first element's kind.
    static func targets(_ value: JSONValue, at pointer: String) throws(APIError) -> Targets {
        if case .numbers(let numbers) = value { return .values(numbers) }
        guard case .array(let elements) = value else {
            throw JSONArrays.wrongType(pointer, "an array of numbers, strings or arrays", value)
        }
        switch elements.first {
        case nil, .number:
            return .values(try JSONArrays.numbers(value, at: pointer))
        case .array:
            return .rows(try JSONArrays.rows(value, at: pointer))
        case .string:
            var labels: [String] = []
            labels.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .string(let label) = element else {
                    throw JSONArrays.wrongType("\(pointer)/\(index)", "a string like the first label", element)
                }
                labels.append(label)
            }
            return .labels(labels)
        case .some(let other):
            throw JSONArrays.wrongType("\(pointer)/0", "a number, a string or an array of numbers", other)
        }
    }
}
