/// Difference quotients, as the textbooks write them. They only evaluate f, never the derivative
/// table, so they are an independent check on the exact modes.
public enum FiniteDifferences {
    /// The seed tutorial's step.
    public static let defaultStep = 1e-4

    /// `(f(x+h) - f(x-h)) / 2h`, written exactly as the tutorial does (same rounding).
    public static func central(_ f: (Double) -> Double, at x: Double, step h: Double) -> Double {
        (f(x + h) - f(x - h)) / (2 * h)
    }

    /// `(f(x+h) - f(x)) / h`.
    public static func forward(_ f: (Double) -> Double, at x: Double, step h: Double) -> Double {
        (f(x + h) - f(x)) / h
    }

    /// `(f(x) - f(x-h)) / h`.
    public static func backward(_ f: (Double) -> Double, at x: Double, step h: Double) -> Double {
        (f(x) - f(x - h)) / h
    }

    /// `(f(x+h) - 2f(x) + f(x-h)) / h²`.
    public static func centralSecond(_ f: (Double) -> Double, at x: Double, step h: Double) -> Double {
        (f(x + h) - 2 * f(x) + f(x - h)) / (h * h)
    }

    /// Richardson extrapolation of central differences with steps h, h/2, h/4, …: each column of the
    /// tableau cancels the next even power of h. Returns the best estimate, an error estimate (the
    /// change made by the last extrapolation) and the evaluations used.
    public static func richardson(_ f: (Double) -> Double, at x: Double, initialStep h: Double, levels: Int = 6)
        -> (derivative: Double, errorEstimate: Double, evaluations: Int)
    {
        var previous: [Double] = []
        var step = h
        var errorEstimate = Double.infinity
        for level in 0..<levels {
            var row = [central(f, at: x, step: step)]
            for column in 0..<level {
                let factor = Double(1 << (2 * (column + 1)))  // 4^(column+1)
                row.append(row[column] + (row[column] - previous[column]) / (factor - 1))
            }
            if level > 0 { errorEstimate = Swift.abs(row[level] - row[level - 1]) }
            previous = row
            step /= 2
        }
        return (previous[levels - 1], errorEstimate, 2 * levels)
    }

    /// A-priori error bound of the central difference: truncation |f'''| h²/6 plus rounding ε|f|/h.
    public static func centralErrorBound(value: Double, thirdDerivative: Double, step h: Double) -> Double {
        Swift.abs(thirdDerivative) * h * h / 6 + Double.ulpOfOne * Swift.abs(value) / h
    }

    /// A-priori error bound of the one-sided differences: truncation |f''| h/2 plus rounding 2ε|f|/h.
    public static func oneSidedErrorBound(value: Double, secondDerivative: Double, step h: Double) -> Double {
        Swift.abs(secondDerivative) * h / 2 + 2 * Double.ulpOfOne * Swift.abs(value) / h
    }
}
