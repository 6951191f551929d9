extension TrainingPlan {
    /// Points on the curve of a one-input model.
    static let curvePoints = 200

    /// A one-input model's outputs on `curvePoints` evenly spaced raw inputs across the data's range.
    func curve(of model: TrainedModel) -> Curve? {
        guard layout.inputs == 1 else { return nil }
        let x = Self.evenlySpaced(featureRanges[0], count: Self.curvePoints)
        let inputs = Matrix(rows: x.count, columns: 1, values: x)
        return Curve(x: x, y: model.forward(normalization.apply(to: inputs)))
    }

    /// A two-input classifier's predicted classes on a `boundaryResolution`² grid over the data's range
    /// widened by 10% each side (by 1 where the range is a point).
    func boundary(of model: TrainedModel) -> DecisionBoundary? {
        guard layout.inputs == 2, accuracyRule == .argmax || (accuracyRule == .threshold && layout.outputs == 1) else {
            return nil
        }
        let resolution = configuration.boundaryResolution
        let axes = featureRanges.map { range in
            let margin = range.upperBound > range.lowerBound ? 0.1 * (range.upperBound - range.lowerBound) : 1
            return Self.evenlySpaced((range.lowerBound - margin)...(range.upperBound + margin), count: resolution)
        }
        var grid: [Double] = []
        grid.reserveCapacity(2 * resolution * resolution)
        for y in axes[1] {
            for x in axes[0] { grid += [x, y] }
        }
        let inputs = Matrix(rows: resolution * resolution, columns: 2, values: grid)
        let predicted = model.predict(normalization.apply(to: inputs)).classIndices ?? []
        let classes = (0..<resolution).map { row in Array(predicted[row * resolution..<(row + 1) * resolution]) }
        return DecisionBoundary(x: axes[0], y: axes[1], classes: classes)
    }

    /// `count` (≥ 2) points from `range.lowerBound` to `range.upperBound`, ends included exactly.
    static func evenlySpaced(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let step = (range.upperBound - range.lowerBound) / Double(count - 1)
        return (0..<count).map { $0 == count - 1 ? range.upperBound : range.lowerBound + Double($0) * step }
    }
}
