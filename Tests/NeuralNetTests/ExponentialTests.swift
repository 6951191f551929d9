import Testing

@testable import NeuralNet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The activations' own `exponential` and `hyperbolicTangent` against the C library's `exp` and `tanh`.
@Suite struct ExponentialTests {
    @Test func staysWithinOneUlpOfTheCLibrary() {
        var state: UInt64 = 42
        var worst = 0.0
        var differing = 0
        let count = 200_000
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) * 0x1.0p-53
            let x = index.isMultiple(of: 2) ? unit * 80 - 40 : unit * 1417.7 - 707.9
            let expected = exp(x)
            let actual = exponential(x)
            if actual != expected {
                differing += 1
                worst = max(worst, abs(actual - expected) / expected.ulp)
            }
        }
        print("exponential: \(differing) of \(count) differ from exp, by at most \(worst) ulp")
        #expect(worst <= 1)
    }

    @Test func handlesTheEnds() {
        #expect(exponential(0) == 1)
        #expect(exponential(1) == exp(1) || abs(exponential(1) - exp(1)) <= exp(1).ulp)
        #expect(exponential(709.78) == exp(709.78))
        #expect(exponential(709.79) == .infinity && exponential(.infinity) == .infinity)
        #expect(exponential(-707.9) == exp(-707.9))
        #expect(exponential(-708.5) == 0 && exponential(-.infinity) == 0)
        #expect(exponential(.nan).isNaN)
    }

    @Test func tangentStaysWithinThreeUlpOfTheCLibrary() {
        var state: UInt64 = 7
        var worst = 0.0
        var differing = 0
        let count = 200_000
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) * 0x1.0p-53
            let x = [unit * 2 - 1, unit * 50 - 25, (unit - 0.5) * 1e-3, unit * 0.4 + 0.1][index % 4]
            let expected = tanh(x)
            let actual = hyperbolicTangent(x)
            if actual != expected {
                differing += 1
                worst = max(worst, abs(actual - expected) / expected.ulp)
            }
        }
        print("hyperbolicTangent: \(differing) of \(count) differ from tanh, by at most \(worst) ulp")
        #expect(worst <= 3)
    }

    @Test func tangentHandlesTheEnds() {
        #expect(hyperbolicTangent(0) == 0 && hyperbolicTangent(-0.0).sign == .minus)
        #expect(hyperbolicTangent(1e-300) == 1e-300 && hyperbolicTangent(-1e-20) == -1e-20)
        #expect(hyperbolicTangent(20) == 1 && hyperbolicTangent(-800) == -1)
        #expect(hyperbolicTangent(.infinity) == 1 && hyperbolicTangent(-.infinity) == -1)
        #expect(hyperbolicTangent(.nan).isNaN)
    }
}
