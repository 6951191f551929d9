import Calculus
import Testing

/// Gradient descent against the seed tutorials' numbers (`seed-experiments.json`, recomputed in NumPy),
/// update rules worked out by hand, and convergence of every optimizer on known minima.
@Suite struct DescentTests {
    // MARK: - The seed experiments

    @Test func exactGradientOnSeedBowlMatchesNumPy() throws {
        let run = try GradientDescent.run(
            start: [-3, 4], settings: DescentSettings(learningRate: 0.1, steps: 100), valueAndGradient: bowl)
        // The reference's exact-gradient figure is the closed form (−3·0.8¹⁰⁰, 4·0.8¹⁰⁰); NumPy's loop
        // `x -= 0.1 * (2 * x)` ends at (−6.111107929003464e-10, 8.148143905337951e-10), as this does.
        expectClose(run.final.point, [-6.111107929003493e-10, 8.14814390533799e-10], relative: 1e-9)
        #expect(run.final.point == [-6.111107929003464e-10, 8.148143905337951e-10])
        #expect(run.path.count == 101)
        #expect(run.iterations == 100)
        #expect(run.stopped == .steps)
    }

    @Test func seedCentralDifferenceGradientMatchesNumPyBitForBit() throws {
        let run = try GradientDescent.run(
            start: [-3, 4], settings: DescentSettings(learningRate: 0.1, steps: 100),
            valueAndGradient: { ($0[0] * $0[0] + $0[1] * $0[1], centralDifferenceGradient(of: squares, at: $0)) })
        #expect(run.final.point == [-6.111107928998789e-10, 8.148143905314271e-10])
    }

    @Test func seedParabolaPathIsBitExact() throws {
        let run = try GradientDescent.run(
            start: [5], settings: DescentSettings(learningRate: 0.4, steps: 5),
            valueAndGradient: { w in (w[0] * w[0], [2 * w[0]]) })
        let expected = [5, 1, 0.19999999999999996, 0.03999999999999998, 0.007999999999999993, 0.0015999999999999981]
        #expect(run.path == expected.map { [$0] })
        #expect(run.values == expected.map { $0 * $0 })
        #expect(run.gradientNorms == expected.map { abs(2 * $0) })
    }

    @Test func seedTwoWeightRunMatchesNumPyBitForBit() throws {
        let settings = DescentSettings(learningRate: 0.1, steps: 40)
        // The reference JSON ran this experiment with the central-difference gradient.
        let numerical = try GradientDescent.run(
            start: [2, 4], settings: settings,
            valueAndGradient: { (squares($0), centralDifferenceGradient(of: squares, at: $0)) })
        #expect(numerical.final.point == [0.0002658455991575415, 0.0005316911983129627])
        // The tutorial's own dL(w) = 2w lands 2e-12 (relative) away: 0.00026584559915698326, 0.0005316911983139665
        // when its loop is run with Python floats.
        let analytic = try GradientDescent.run(start: [2, 4], settings: settings, valueAndGradient: bowl)
        expectClose(analytic.final.point, [0.0002658455991575415, 0.0005316911983129627], relative: 1e-11)
        #expect(analytic.final.point == [0.00026584559915698326, 0.0005316911983139665])
    }

    // MARK: - Step sizes and stopping

    @Test func tooLargeStepDivergesAndReturnsOnlyFiniteNumbers() throws {
        let run = try GradientDescent.run(
            start: [1], settings: DescentSettings(learningRate: 10, steps: 1_000), valueAndGradient: bowl)
        #expect(run.stopped == .diverged)
        // Each step multiplies x by 1 − 10·2 = −19; 361^k passes 1e150 at k = 59.
        #expect(run.iterations == 58)
        #expect(run.path.count == run.values.count && run.values.count == run.gradientNorms.count)
        #expect(run.path.joined().allSatisfy { $0.isFinite })
        #expect(run.values.allSatisfy { $0.isFinite && $0 <= GradientDescent.divergenceThreshold })
        #expect(run.gradientNorms.allSatisfy { $0.isFinite })
    }

    @Test func nonFiniteValueEndsTheRunAtTheLastFinitePoint() throws {
        // Defined only for x > 0 (like log): the second step lands on 0, where the value is NaN.
        let run = try GradientDescent.run(
            start: [2], settings: DescentSettings(learningRate: 1, steps: 10),
            valueAndGradient: { x in (x[0] > 0 ? x[0] : .nan, [x[0] > 0 ? 1 : .nan]) })
        #expect(run.stopped == .diverged)
        #expect(run.path == [[2], [1]])
        #expect(run.iterations == 1)
    }

    @Test func tinyStepBarelyMoves() throws {
        let run = try GradientDescent.run(
            start: [1], settings: DescentSettings(learningRate: 1e-10, steps: 100), valueAndGradient: bowl)
        // Each step multiplies x by 1 − 2e-10.
        #expect(run.stopped == .steps)
        // (1 − 2e-10)¹⁰⁰ = 1 − 2e-8 + 2e-16 − …, plus a hundred roundings of 1e-16.
        #expect(abs(run.final.point[0] - (1 - 2e-8)) <= 1e-14)
    }

    @Test func toleranceStopsAtTheFirstSmallGradient() throws {
        let settings = DescentSettings(learningRate: 0.1, steps: 1_000, tolerance: 1e-3)
        let run = try GradientDescent.run(start: [-3, 4], settings: settings, valueAndGradient: bowl)
        // ‖g‖ = 2·5·0.8^k, which first falls to 1e-3 at k = 42.
        #expect(run.stopped == .tolerance)
        #expect(run.iterations == 42)
        #expect(run.gradientNorms[41] > 1e-3 && run.gradientNorms[42] <= 1e-3)
    }

    @Test func toleranceMetAtTheStartMakesNoStep() throws {
        let settings = DescentSettings(learningRate: 0.1, steps: 10, tolerance: 0)
        let run = try GradientDescent.run(start: [0, 0], settings: settings, valueAndGradient: bowl)
        #expect(run.stopped == .tolerance)
        #expect(run.path == [[0, 0]])
        #expect(run.final == DescentRun.Endpoint(point: [0, 0], value: 0))
    }

    @Test func antFleaAndGoodStepAreSeparateRuns() throws {
        let runs = try GradientDescent.runs(
            start: [3], settings: DescentSettings(learningRate: 0.1, steps: 50), learningRates: [1e-4, 0.1, 1.0],
            valueAndGradient: bowl)
        #expect(runs.map(\.settings.learningRate) == [1e-4, 0.1, 1.0])
        #expect(runs[0].final.point[0] > 2.9)  // the ant
        #expect(abs(runs[1].final.point[0]) < 1e-4)  // 3·0.8⁵⁰
        #expect(runs[2].final.point == [3])  // the flea: x ← x − 2x bounces between −3 and 3
        #expect(runs[2].path[1] == [-3])
    }
}

/// Every optimizer against update rules worked out by hand and known minima.
extension DescentTests {
    @Suite struct Optimizers {
        /// Tolerance is the largest distance of a coordinate from the minimiser. RMSprop with a constant
        /// learning rate ends in a two-cycle of ±lr/2 around the minimum (its step is about lr·sign(g) once
        /// the average of g² tracks g²), so it is only asked to come within lr.
        @Test(arguments: [
            (Optimizer.gradientDescent, 0.1, 500, 1e-9),
            (.momentum(), 0.01, 1_000, 1e-9), (.nesterov(), 0.01, 1_000, 1e-9),
            (.adagrad(), 1.0, 2_000, 1e-9), (.rmsprop(), 0.01, 2_000, 0.01), (.adam(), 0.1, 2_000, 1e-9),
        ])
        func convergesOnSphereAndBooth(optimizer: Optimizer, learningRate: Double, steps: Int, tolerance: Double)
            throws
        {
            let settings = DescentSettings(learningRate: learningRate, steps: steps, optimizer: optimizer)
            let sphere = try GradientDescent.run(start: [-3, 4], settings: settings, valueAndGradient: bowl)
            let booth = try GradientDescent.run(start: [-5, 5], settings: settings, valueAndGradient: boothFunction)
            for (run, minimum) in [(sphere, [0.0, 0.0]), (booth, [1, 3])] {
                #expect(run.stopped == .steps)
                let distance = zip(run.final.point, minimum).map { abs($0 - $1) }.max() ?? .nan
                #expect(
                    distance <= tolerance, "\(optimizer.name) ended at \(run.final.point), \(distance) from \(minimum)")
            }
        }

        @Test func momentumAccumulatesVelocity() throws {
            // x² from 1, lr 0.1, m 0.9: v₁ = −0.2, x₁ = 0.8; g₁ = 1.6, v₂ = −0.18 − 0.16 = −0.34, x₂ = 0.46.
            let run = try descend(.momentum(0.9), steps: 2)
            expectClose(run.path.map { $0[0] }, [1, 0.8, 0.46], relative: 1e-15)
        }

        @Test func nesterovTakesTheGradientAtTheLookAheadPoint() throws {
            // x₁ = 0.8 as momentum; look-ahead 0.8 + 0.9·(−0.2) = 0.62, g = 1.24, v₂ = −0.18 − 0.124, x₂ = 0.496.
            let run = try descend(.nesterov(momentum: 0.9), steps: 2)
            expectClose(run.path.map { $0[0] }, [1, 0.8, 0.496], relative: 1e-15)
        }

        @Test func adagradDividesByTheRootOfTheSummedSquares() throws {
            // s₁ = 4, x₁ = 1 − 0.1·2/2 = 0.9; g₁ = 1.8, s₂ = 4 + 3.24, x₂ = 0.9 − 0.18/√7.24 (ε is below 1e-8).
            let run = try descend(.adagrad(), steps: 2)
            expectClose(run.path.map { $0[0] }, [1, 0.9, 0.9 - 0.18 / 7.24.squareRoot()], relative: 1e-8)
        }

        @Test func rmspropFirstStepIsLearningRateOverRootOfOneMinusDecay() throws {
            // s₁ = 0.1·g², so the step is lr·g / (√0.1·|g|) = 0.1/√0.1 = √0.1.
            let run = try descend(.rmsprop(decay: 0.9), steps: 1)
            expectClose(run.path[1], [1 - 0.1.squareRoot()], relative: 1e-8)
        }

        @Test func adamFirstStepIsLearningRateTimesSignOfGradient() throws {
            let start = [2.0, -3, 0.5]
            let settings = DescentSettings(learningRate: 0.1, steps: 1, optimizer: .adam())
            let run = try GradientDescent.run(start: start, settings: settings, valueAndGradient: bowl)
            // m̂ = g and v̂ = g² after bias correction, so the step is lr·g/(|g| + ε): lr·sign(g) to within
            // lr·ε/|g| (plus a few roundings of 0.1).
            for (index, gradient) in start.map({ 2 * $0 }).enumerated() {
                let step = start[index] - run.path[1][index]
                let expected = gradient > 0 ? 0.1 : -0.1
                #expect(abs(step - expected) <= 0.1 * 1e-8 / abs(gradient) + 1e-16, "coordinate \(index): step \(step)")
            }
        }

        @Test func optimizerNamesRoundTrip() {
            for name in Optimizer.names {
                #expect(Optimizer.named(name)?.name == name)
            }
            // `gd`, descent's name for plain gradient descent before it spoke training's vocabulary.
            #expect(Optimizer.named("gd") == .gradientDescent)
            #expect(Optimizer.named("gd")?.name == "sgd")
            #expect(Optimizer.named("sgd2") == nil)
            #expect(Optimizer.named("adam") == .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
        }

        private func descend(_ optimizer: Optimizer, steps: Int) throws -> DescentRun {
            let settings = DescentSettings(learningRate: 0.1, steps: steps, optimizer: optimizer)
            return try GradientDescent.run(start: [1], settings: settings, valueAndGradient: bowl)
        }
    }
}

/// Settings and starts that are refused, cancellation, and contour grids.
extension DescentTests {
    @Suite struct Limits {
        @Test(arguments: [
            (DescentSettings(learningRate: 0, steps: 1), "learningRate"),
            (DescentSettings(learningRate: -0.1, steps: 1), "learningRate"),
            (DescentSettings(learningRate: .nan, steps: 1), "learningRate"),
            (DescentSettings(learningRate: .infinity, steps: 1), "learningRate"),
            (DescentSettings(learningRate: 0.1, steps: -1), "steps"),
            (DescentSettings(learningRate: 0.1, steps: 1_000_001), "steps"),
            (DescentSettings(learningRate: 0.1, steps: 1, tolerance: -1), "tolerance"),
            (DescentSettings(learningRate: 0.1, steps: 1, optimizer: .momentum(1)), "momentum"),
            (DescentSettings(learningRate: 0.1, steps: 1, optimizer: .rmsprop(decay: -0.1)), "decay"),
            (DescentSettings(learningRate: 0.1, steps: 1, optimizer: .adam(beta2: 1)), "beta2"),
            (DescentSettings(learningRate: 0.1, steps: 1, optimizer: .adagrad(epsilon: 0)), "epsilon"),
        ])
        func refusesSettingsOutOfRange(settings: DescentSettings, setting: String) {
            let error = #expect(throws: OptimizationError.self) {
                try GradientDescent.run(start: [1], settings: settings, valueAndGradient: bowl)
            }
            guard case .invalidSetting(let named, _) = error else {
                Issue.record("expected invalidSetting, got \(String(describing: error))")
                return
            }
            #expect(named == setting)
        }

        @Test func refusesStartsWithNothingToDescendFrom() {
            let settings = DescentSettings(learningRate: 0.1, steps: 1)
            #expect(throws: OptimizationError.invalidSetting("start", "must have at least one coordinate")) {
                try GradientDescent.run(start: [], settings: settings, valueAndGradient: bowl)
            }
            #expect(throws: OptimizationError.notFiniteAtStart(value: 0, gradientIsFinite: false)) {
                try GradientDescent.run(start: [0], settings: settings, valueAndGradient: { _ in (0, [.nan]) })
            }
            #expect(throws: OptimizationError.gradientSizeMismatch(expected: 2, actual: 1)) {
                try GradientDescent.run(start: [0, 0], settings: settings, valueAndGradient: { _ in (0, [0]) })
            }
            #expect(throws: OptimizationError.pathTooLarge(coordinates: 1_000_001_000, limit: 10_000_000)) {
                let settings = DescentSettings(learningRate: 0.1, steps: 1_000_000)
                _ = try GradientDescent.run(
                    start: Array(repeating: 1, count: 1_000), settings: settings, valueAndGradient: bowl)
            }
        }

        @Test func checksCancellationEveryThousandSteps() throws {
            var checks = 0
            let run = try GradientDescent.run(
                start: [1], settings: DescentSettings(learningRate: 1e-6, steps: 5_000), valueAndGradient: bowl,
                checkInterruption: { checks += 1 })
            #expect(run.iterations == 5_000)
            #expect(checks == 5)  // before steps 1, 1001, 2001, 3001 and 4001
            struct Cancelled: Error {}
            #expect(throws: Cancelled.self) {
                try GradientDescent.run(
                    start: [1], settings: DescentSettings(learningRate: 1e-6, steps: 5_000), valueAndGradient: bowl,
                    checkInterruption: { throw Cancelled() })
            }
        }

        @Test func contourGridSamplesRowsOfYAndColumnsOfX() throws {
            let grid = try Contour.grid(x: -1...1, y: 0...2, resolution: 3, value: { $0[0] * $0[0] + 10 * $0[1] })
            #expect(grid.xs == [-1, 0, 1])
            #expect(grid.ys == [0, 1, 2])
            #expect(grid.values == [[1, 0, 1], [11, 10, 11], [21, 20, 21]])
            #expect(grid.valueRange == 0...21)
        }

        @Test func contourGridLeavesNonFiniteValuesOut() throws {
            let grid = try Contour.grid(x: -1...1, y: -1...1, resolution: 2, value: { 1 / ($0[0] + 1) })
            #expect(grid.values == [[nil, 0.5], [nil, 0.5]])
        }

        @Test func contourGridRefusesBadBoxesAndResolutions() {
            for (x, resolution, setting) in [
                (-1.0...1.0, 1, "resolution"), (-1...1, 501, "resolution"), (1...1, 10, "x"),
            ] {
                let error = #expect(throws: OptimizationError.self) {
                    try Contour.grid(x: x, y: 0...1, resolution: resolution, value: { $0[0] })
                }
                guard case .invalidSetting(let named, _) = error else { continue }
                #expect(named == setting)
            }
        }
    }
}

// MARK: - Helpers

/// Booth's function (x + 2y − 7)² + (2x + y − 5)², minimum 0 at (1, 3), with its exact gradient.
private func boothFunction(_ p: [Double]) -> (value: Double, gradient: [Double]) {
    let (a, b) = (p[0] + 2 * p[1] - 7, 2 * p[0] + p[1] - 5)
    return (a * a + b * b, [2 * a + 4 * b, 4 * a + 2 * b])
}

/// The seed's numerical_gradient, written as it is: move one coordinate by ±h, take the central
/// difference, restore the coordinate.
private func centralDifferenceGradient(of f: ([Double]) -> Double, at point: [Double]) -> [Double] {
    let h = 1e-4
    var x = point
    var gradient = Array(repeating: 0.0, count: x.count)
    for index in x.indices {
        let saved = x[index]
        x[index] = saved + h
        let above = f(x)
        x[index] = saved - h
        let below = f(x)
        gradient[index] = (above - below) / (2 * h)
        x[index] = saved
    }
    return gradient
}

/// Σ xᵢ², as the seed's `x[0]**2 + x[1]**2` (NumPy squares by multiplying).
private func squares(_ x: [Double]) -> Double {
    x.reduce(0) { $0 + $1 * $1 }
}

/// x₀² + x₁² + … with its exact gradient.
private func bowl(_ x: [Double]) -> (value: Double, gradient: [Double]) {
    (squares(x), x.map { 2 * $0 })
}

/// Each component within `relative` of the expected one (relative to its magnitude), worst error printed.
private func expectClose(
    _ actual: [Double], _ expected: [Double], relative: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    let worst = zip(actual, expected).map { abs($0 - $1) / max(abs($1), .leastNormalMagnitude) }.max() ?? 0
    #expect(
        worst <= relative, "worst relative error \(worst): \(actual) vs \(expected)", sourceLocation: sourceLocation)
}
