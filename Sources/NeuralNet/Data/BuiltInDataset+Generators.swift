#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BuiltInDataset {
    /// One noiseless point of class `label` (0 or 1), the `index`-th of `samples`.
    func point(label: Int, index: Int, samples: Int, random: inout SplitMix64) -> (Double, Double) {
        switch self {
        case .xor:
            var x = random.nextUniform(-5, 5)
            var y = random.nextUniform(-5, 5)
            x += x > 0 ? 0.3 : -0.3
            y += y > 0 ? 0.3 : -0.3
            // The class decides the quadrant pair: flip y when the drawn point is on the other one.
            if (x * y > 0) != (label == 1) { y = -y }
            return (x, y)
        case .circles:
            let radius = label == 1 ? random.nextUniform(0, 2.5) : random.nextUniform(3.5, 5)
            let angle = random.nextUniform(0, 2 * Double.pi)
            return (radius * cos(angle), radius * sin(angle))
        case .moons:
            let t = random.nextUniform(0, Double.pi)
            return label == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
        case .spiral:
            // The arms share positions along their length: the k-th point of each arm is at k / perArm.
            let perArm = Swift.max(1, (samples + 1) / 2)
            let fraction = Double(index / 2) / Double(perArm)
            let radius = 5 * fraction
            let angle = 1.75 * 2 * Double.pi * fraction + (label == 1 ? Double.pi : 0)
            return (radius * sin(angle), radius * cos(angle))
        case .gaussians:
            let centre = label == 1 ? 2.0 : -2.0
            return (centre + random.nextNormal(), centre + random.nextNormal())
        case .clothingSize, .iris:
            preconditionFailure("\(self) is not generated")
        }
    }
}
