/// The targets `y` of a dataset, one entry per row of features. What they mean depends on the loss:
/// see `TargetEncoding`.
public enum Targets: Sendable, Hashable {
    /// One number per row: a regression value (mse), 0…1 (binary cross-entropy), or a class index
    /// 0…classes−1 (cross-entropy; one-hot encoded).
    case values([Double])
    /// Several numbers per row: one per output (mse, binary cross-entropy) or a probability per class
    /// (cross-entropy; one-hot rows).
    case rows([[Double]])
    /// Class labels: one-hot over the distinct labels in sorted order (cross-entropy, mse), or 0/1 for
    /// the first/second of exactly two labels (binary cross-entropy). The mapping is returned as
    /// `classes`.
    case labels([String])

    /// The number of rows.
    public var count: Int {
        switch self {
        case .values(let values): values.count
        case .rows(let rows): rows.count
        case .labels(let labels): labels.count
        }
    }
}

/// Where a run's data comes from.
public enum DataSource: Sendable, Hashable {
    /// Inline features `x` (rows of numbers) and targets `y`.
    case inline(x: [[Double]], y: Targets)
    /// A built-in dataset; `samples` and `noise` apply to the generated ones (nil: their defaults),
    /// which are drawn from the configuration's seed.
    case builtIn(BuiltInDataset, samples: Int? = nil, noise: Double? = nil)
}
