/// The datasets Nabla ships or generates. The generated ones (`xor`, `circles`, `moons`, `spiral`,
/// `gaussians`) are two-feature, two-class problems in the spirit of TensorFlow Playground's, drawn from
/// the run's seed with `samples` points (classes alternate row by row: 0, 1, 0, ...) and `noise`, the
/// standard deviation of Gaussian jitter added to each coordinate (0 by default), as scikit-learn's
/// `make_moons` and `make_circles` use it. Targets are 0/1 `values`.
public enum BuiltInDataset: Sendable, Hashable, CaseIterable {
    /// The seed tutorial's 12 clothing sizes and whether they fit (0/1), one feature.
    case clothingSize
    /// Points uniform in [−5, 5]², each pushed 0.3 further from the axes; class 1 where `x·y > 0`.
    case xor
    /// Class 1 inside radius 2.5 (radius uniform in [0, 2.5]), class 0 on the ring 3.5…5.
    case circles
    /// Two interleaving half circles: class 0 is `(cos t, sin t)`, class 1 `(1 − cos t, 0.5 − sin t)`,
    /// `t` uniform in [0, π].
    case moons
    /// Two interleaved spiral arms of radius up to 5 turning 1.75 times; class 1 is the arm rotated by π.
    case spiral
    /// Two normal clusters with standard deviation 1 around (2, 2) (class 1) and (−2, −2) (class 0).
    case gaussians
    /// Fisher's iris: 150 flowers, 4 measurements, 3 species as labels (`IrisTable`).
    case iris

    /// The number of features.
    public var features: Int {
        switch self {
        case .clothingSize: 1
        case .iris: 4
        default: 2
        }
    }

    /// True for the datasets drawn from the seed (`samples` and `noise` apply).
    public var isGenerated: Bool { self != .clothingSize && self != .iris }

    /// The rows generated when `samples` is not given (the fixed datasets' sizes otherwise).
    public var defaultSamples: Int {
        switch self {
        case .clothingSize: 12
        case .iris: 150
        default: 200
        }
    }

    /// The seed's data, `np.array([[0.8, 0], [1.1, 0], ...])`.
    static let clothingSizePoints: [(size: Double, fits: Double)] = [
        (0.8, 0), (1.1, 0), (1.7, 0), (1.9, 0), (2.7, 1), (3.2, 1), (3.7, 1), (4.0, 1), (5.0, 0), (5.5, 0),
        (6.0, 0), (6.3, 0),
    ]

    /// The features and targets; `samples` (≥ 2) and `noise` (≥ 0) are used by generated datasets only.
    func make(samples: Int, noise: Double, seed: UInt64) -> (x: Matrix, y: Targets) {
        switch self {
        case .clothingSize:
            let points = Self.clothingSizePoints
            return (Matrix(rows: points.count, columns: 1, values: points.map(\.size)), .values(points.map(\.fits)))
        case .iris:
            return Self.iris()
        default:
            var random = SplitMix64(seed: seed, stream: .dataset)
            var values: [Double] = []
            var labels: [Double] = []
            values.reserveCapacity(2 * samples)
            labels.reserveCapacity(samples)
            for index in 0..<samples {
                let label = index % 2
                var (x, y) = point(label: label, index: index, samples: samples, random: &random)
                if noise > 0 {
                    x += noise * random.nextNormal()
                    y += noise * random.nextNormal()
                }
                values += [x, y]
                labels.append(Double(label))
            }
            return (Matrix(rows: samples, columns: 2, values: values), .values(labels))
        }
    }

    private static func iris() -> (x: Matrix, y: Targets) {
        var values: [Double] = []
        var species: [String] = []
        for line in IrisTable.csv.split(separator: "\n") {
            let fields = line.split(separator: ",")
            values += fields.prefix(4).map { Double($0)! }
            species.append(String(fields[4]))
        }
        return (Matrix(rows: species.count, columns: 4, values: values), .labels(species))
    }
}
