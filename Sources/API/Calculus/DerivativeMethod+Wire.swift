import Calculus

extension DerivativeMethod: WireNamed {
    /// The method's name in requests and answers (`method`, the keys of `all`'s table).
    var wireName: String {
        switch self {
        case .symbolic: "symbolic"
        case .forward: "forward"
        case .reverse: "reverse"
        case .central: "central"
        case .forwardDifference: "forward_difference"
        case .backwardDifference: "backward_difference"
        case .richardson: "richardson"
        case .complexStep: "complex_step"
        }
    }
}
