import NeuralNet
import JSON

extension Curve {
    /// `{x, y}`: `y` one number per point, or a row per point for several outputs.
    var json: JSONValue {
        ["x": .numbers(x), "y": y.columns == 1 ? .numbers(y.values) : .array(y.rowArrays.map(JSONValue.numbers))]
    }
}

extension DecisionBoundary {
    /// `{x, y, classes}`: the grid's columns, its rows, and `classes[row][column]`.
    var json: JSONValue {
        ["x": .numbers(x), "y": .numbers(y), "classes": .array(classes.map { .numbers($0.map(Double.init)) })]
    }
}

extension ModelPlot {
    /// `curve` or `boundary` as members of an object (none when the model has no plot).
    var members: [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = []
        if let curve { members.append(("curve", curve.json)) }
        if let boundary { members.append(("boundary", boundary.json)) }
        return members
    }
}

extension DataPoints {
    /// `{x, y}`: `x` the raw feature rows (`[[x₀]]` or `[[x₀, x₁]]`, as a request's `data.x`), `y` one
    /// number per row (a class index, or the target) or a row per row for several outputs.
    var json: JSONValue {
        [
            "x": .array(x.rowArrays.map(JSONValue.numbers)),
            "y": y.columns == 1 ? .numbers(y.values) : .array(y.rowArrays.map(JSONValue.numbers)),
        ]
    }
}
