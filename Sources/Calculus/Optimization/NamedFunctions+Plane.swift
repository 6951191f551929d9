/// The seed tutorials' examples and the classic functions of two variables `x` and `y`.
extension NamedFunctions {
    /// The seed's `function_1`: 0.01x² + 0.1x, whose derivative at 5 and 10 the tutorial approximates.
    static let function1 = fixed(
        name: "function_1",
        description: "The numerical-differentiation tutorial's parabola 0.01x² + 0.1x, lowest at x = -5.",
        variables: ["x"], formula: "0.01*x^2 + 0.1*x", latex: "0.01x^{2} + 0.1x",
        domain: [-20...20],
        knownMinimum: .init(points: [[-5]], value: -0.25))

    /// The seed's `function_2`: x0² + x1², the bowl its gradient descent runs down from (-3, 4).
    static let function2 = fixed(
        name: "function_2",
        description: "The gradient-descent tutorial's bowl x0² + x1², lowest at the origin.",
        variables: ["x0", "x1"], formula: "x0^2 + x1^2", latex: "x_0^{2} + x_1^{2}",
        domain: [-5...5, -5...5],
        knownMinimum: .init(points: [[0, 0]], value: 0))

    /// Himmelblau's function: four global minima of value 0.
    static let himmelblau = fixed(
        name: "himmelblau",
        description: "Himmelblau's function, with four equal global minima of value 0.",
        variables: ["x", "y"], formula: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        latex: "\\left(x^{2} + y - 11\\right)^{2} + \\left(x + y^{2} - 7\\right)^{2}",
        domain: [-5...5, -5...5],
        // The three irrational minimisers are the roots of x² + y = 11, x + y² = 7 found with 50-digit
        // Newton iteration (mpmath), rounded to the nearest Double.
        knownMinimum: .init(
            points: [
                [3, 2],
                [-2.805118086952745, 3.131312518250573],
                [-3.779310253377747, -3.2831859912861696],
                [3.5844283403304917, -1.8481265269644036],
            ],
            value: 0))

    /// Beale's function: a flat valley with steep walls, minimum 0 at (3, 0.5).
    static let beale = fixed(
        name: "beale",
        description: "Beale's function, with sharp peaks at the corners and a minimum of 0 at (3, 0.5).",
        variables: ["x", "y"],
        formula: "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        latex: "\\left(1.5 - x + xy\\right)^{2} + \\left(2.25 - x + xy^{2}\\right)^{2}"
            + " + \\left(2.625 - x + xy^{3}\\right)^{2}",
        domain: [-4.5...4.5, -4.5...4.5],
        knownMinimum: .init(points: [[3, 0.5]], value: 0))

    /// Booth's function: a plain quadratic, minimum 0 at (1, 3).
    static let booth = fixed(
        name: "booth",
        description: "Booth's function, a tilted quadratic bowl with its minimum of 0 at (1, 3).",
        variables: ["x", "y"], formula: "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
        latex: "\\left(x + 2y - 7\\right)^{2} + \\left(2x + y - 5\\right)^{2}",
        domain: [-10...10, -10...10],
        knownMinimum: .init(points: [[1, 3]], value: 0))

    /// Matyas' function: a nearly flat, narrow quadratic valley, minimum 0 at the origin.
    static let matyas = fixed(
        name: "matyas",
        description: "The Matyas function, a flat diagonal quadratic valley with its minimum of 0 at the origin.",
        variables: ["x", "y"], formula: "0.26*(x^2 + y^2) - 0.48*x*y",
        latex: "0.26\\left(x^{2} + y^{2}\\right) - 0.48xy",
        domain: [-10...10, -10...10],
        knownMinimum: .init(points: [[0, 0]], value: 0))

    /// The three-hump camel function: two local minima beside the global one, 0 at the origin.
    static let threeHumpCamel = fixed(
        name: "three_hump_camel",
        description:
            "The three-hump camel function, with two local minima beside its global minimum of 0 at the origin.",
        variables: ["x", "y"], formula: "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2",
        latex: "2x^{2} - 1.05x^{4} + \\frac{x^{6}}{6} + xy + y^{2}",
        domain: [-5...5, -5...5],
        knownMinimum: .init(points: [[0, 0]], value: 0))
}
