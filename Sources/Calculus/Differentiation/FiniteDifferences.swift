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
    /// tableau cancels the next even power of h. Returns the last diagonal entry, an error estimate and
    /// the evaluations used.
    ///
    /// The estimate adds two parts. Truncation: the larger of the last entry's distances to its left
    /// neighbour and to the previous diagonal entry (as Ridders' method). Rounding: each central
    /// difference carries up to `ErrorBounds.valueUlps`·ε·|f|/h from the values of f (its smallest steps
    /// the most), and the tableau's combinations carry those bounds along (their coefficients taken in
    /// absolute value). The last extrapolation alone (the old estimate) can be 10⁻¹⁶ where rounding
    /// has made the answer wrong by 10⁻¹³.
    public static func richardson(_ f: (Double) -> Double, at x: Double, initialStep h: Double, levels: Int = 6)
        -> (derivative: Double, errorEstimate: Double, evaluations: Int)
    {
        var previous: [Double] = []
        var previousRounding: [Double] = []
        var step = h
        var errorEstimate = Double.infinity
        for level in 0..<levels {
            let (plus, minus) = (f(x + step), f(x - step))
            let difference = (plus - minus) / (2 * step)
            var row = [difference]
            var rounding = [
                ErrorBounds.valueUlps * Double.ulpOfOne * (Swift.abs(plus) + Swift.abs(minus)) / (2 * step)
                    + Double.ulpOfOne * Swift.abs(x) * Swift.abs(difference) / step
            ]
            for column in 0..<level {
                let factor = Double(1 << (2 * (column + 1)))  // 4^(column+1)
                row.append(row[column] + (row[column] - previous[column]) / (factor - 1))
                rounding.append(rounding[column] + (rounding[column] + previousRounding[column]) / (factor - 1))
            }
            if level > 0 {
                let truncation = Swift.max(
                    Swift.abs(row[level] - row[level - 1]), Swift.abs(row[level] - previous[level - 1]))
                errorEstimate = truncation + rounding[level]
            }
            previous = row
            previousRounding = rounding
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
