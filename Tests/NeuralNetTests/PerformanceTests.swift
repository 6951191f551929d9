import NeuralNet
import Testing

/// Timings printed, not asserted (machines differ). Meaningful in release:
/// `swift test -c release --filter NeuralNetTests.PerformanceTests`.
@Suite struct PerformanceTests {
    /// The median of `repetitions` timings of `body`, in seconds.
    static func median(_ repetitions: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var seconds: [Double] = []
        for _ in 0..<repetitions {
            let elapsed = clock.measure(body)
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return seconds.sorted()[repetitions / 2]
    }

    @Test func clothingSizeFiveThousandEpochs() throws {
        let plan = try TrainingPlan(configuration: .clothingSize, data: .builtIn(.clothingSize))
        var loss = 0.0
        let seconds = Self.median(21) { loss = plan.run().lossHistory.last! }
        print("clothing-size, 5000 epochs: \(seconds * 1e3) ms (median of 21), final history loss \(loss)")
        #expect(loss < 0.004)
    }
}
