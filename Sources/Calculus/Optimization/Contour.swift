/// A grid of a two-variable function's values, for contour and surface plots.
public struct ContourGrid: Sendable, Hashable {
    /// The first variable's values, from the range's lower bound to its upper bound inclusive.
    public let xs: [Double]
    /// The second variable's values, likewise.
    public let ys: [Double]
    /// One row per `y`, one column per `x` (as NumPy's `meshgrid`): `values[j][i]` is f(xs[i], ys[j]), or
    /// nil where it is not finite.
    public let values: [[Double?]]

    /// The smallest and largest finite value, for a colour scale; nil when there is none.
    public var valueRange: ClosedRange<Double>? {
        let finite = values.joined().compactMap { $0 }
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }
}

/// Sampling two-variable functions on a grid.
public enum Contour {
    /// The most points along each axis.
    public static let maximumResolution = 500

    /// f on `resolution × resolution` evenly spaced points of the box `x × y`.
    ///
    /// - Parameters:
    ///   - value: the function at `[x, y]`.
    ///   - checkInterruption: called before each row; throw to abandon the grid.
    /// - Throws: `OptimizationError.invalidSetting` (`x`, `y` or `resolution`) for a box with infinite or
    ///   equal bounds or a resolution outside 2 to `maximumResolution`; whatever the closures throw.
    public static func grid(
        x: ClosedRange<Double>,
        y: ClosedRange<Double>,
        resolution: Int,
        value: ([Double]) throws -> Double,
        checkInterruption: () throws -> Void = {}
    ) throws -> ContourGrid {
        guard (2...maximumResolution).contains(resolution) else {
            throw OptimizationError.invalidSetting(
                "resolution", "must be from 2 to \(maximumResolution), not \(resolution)")
        }
        let xs = try samples(of: x, count: resolution, setting: "x")
        let ys = try samples(of: y, count: resolution, setting: "y")
        var values: [[Double?]] = []
        values.reserveCapacity(resolution)
        for y in ys {
            try checkInterruption()
            values.append(
                try xs.map { x in
                    let result = try value([x, y])
                    return result.isFinite ? result : nil
                })
        }
        return ContourGrid(xs: xs, ys: ys, values: values)
    }

    private static func samples(of range: ClosedRange<Double>, count: Int, setting: String) throws -> [Double] {
        let width = range.upperBound - range.lowerBound
        guard width.isFinite, width > 0 else {
            throw OptimizationError.invalidSetting(setting, "must have finite bounds, the lower below the upper")
        }
        let intervals = Double(count - 1)
        // Multiply before dividing so evenly divisible boxes land on round numbers; the last is the bound
        // itself rather than lowerBound + width, which may be off by a rounding.
        return (0..<count).map { index in
            index == count - 1 ? range.upperBound : range.lowerBound + width * Double(index) / intervals
        }
    }
}
