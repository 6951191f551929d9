import NeuralNet
import Testing

/// The progress hook's plot of the model while it learns, and the data's points for plotting.
@Suite struct LivePlotTests {
    @Test func plottingAtEveryReportLeavesTheRunBitIdentical() throws {
        var configuration = TrainerBehaviourTests.moons(seed: 5)
        configuration.recordEvery = 1
        configuration.boundaryResolution = 12
        let data = DataSource.builtIn(.moons, samples: 90, noise: 0.2)
        let plain = try TrainingPlan(configuration: configuration, data: data).run()
        var plots: [ModelPlot] = []
        let plotted = try TrainingPlan(configuration: configuration, data: data).run(progressWithPlot: { _, plot in
            plots.append(plot())
        })
        #expect(plotted.lossHistory.map(\.bitPattern) == plain.lossHistory.map(\.bitPattern))
        #expect(plotted.validationLossHistory.map(\.bitPattern) == plain.validationLossHistory.map(\.bitPattern))
        #expect(plotted.model == plain.model)
        #expect(plotted.test == plain.test)
        #expect(plots.count == configuration.epochs)
        // The last report's plot is the result's: the parameters recorded after the last epoch.
        #expect(plots.last?.boundary == plain.boundary)
        #expect(plots.allSatisfy { $0.curve == nil && $0.boundary?.classes.count == 12 })
    }

    @Test func aOneInputModelsPlotIsItsCurveAsItLearns() throws {
        var configuration = TrainingConfiguration.clothingSize
        configuration.epochs = 300
        configuration.recordEvery = 100
        var curves: [Curve] = []
        let result = try TrainingPlan(configuration: configuration, data: .builtIn(.clothingSize)).run(
            progressWithPlot: { report, plot in
                if report.epoch > 100, let curve = plot().curve { curves.append(curve) }
            })
        #expect(curves.count == 2)
        #expect(curves.last == result.curve)
        #expect(curves.first?.x == result.curve?.x)
        #expect(curves.first?.y != result.curve?.y)
    }

    @Test func modelsWithoutAPlotGiveAnEmptyOne() throws {
        var configuration = TrainerBehaviourTests.moons(seed: 1)
        configuration.loss = .crossEntropy
        configuration.layers = [
            LayerSpecification(units: 4, activation: .tanh), LayerSpecification(activation: .softmax),
        ]
        configuration.epochs = 2
        var empty: [Bool] = []
        _ = try TrainingPlan(configuration: configuration, data: .builtIn(.iris)).run(progressWithPlot: { _, plot in
            empty.append(plot().isEmpty)
        })
        #expect(empty == [true, true])
    }

    @Test func pointsAreTheRawRowsWithClassIndices() throws {
        let clothing = try #require(
            try TrainingPlan(configuration: .clothingSize, data: .builtIn(.clothingSize)).points)
        #expect(clothing.x.rows == 12 && clothing.x.columns == 1)
        #expect(clothing.x[0, 0] == 0.8 && clothing.x[11, 0] == 6.3)
        #expect(clothing.y.values == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])

        // Labels for cross-entropy: one-hot targets become the label's index in `classes`; the
        // features stay raw although the run normalises them.
        var configuration = TrainerBehaviourTests.moons(seed: 2)
        configuration.loss = .crossEntropy
        configuration.layers = [LayerSpecification(activation: .softmax)]
        configuration.split = DataSplit()
        let labelled = try TrainingPlan(
            configuration: configuration,
            data: .inline(
                x: [[10, 1], [20, 2], [30, 3], [40, 4], [50, 5]], y: .labels(["b", "a", "c", "a", "b"])))
        #expect(labelled.classes == ["a", "b", "c"])
        #expect(labelled.points?.x.rowArrays == [[10, 1], [20, 2], [30, 3], [40, 4], [50, 5]])
        #expect(labelled.points?.y.values == [1, 0, 2, 0, 1])
    }

    @Test func pointsAreLeftOutForWideOrLargeData() throws {
        var configuration = TrainerBehaviourTests.moons(seed: 1)
        configuration.loss = .crossEntropy
        configuration.layers = [LayerSpecification(activation: .softmax)]
        #expect(try TrainingPlan(configuration: configuration, data: .builtIn(.iris)).points == nil)
        configuration.loss = .binaryCrossEntropy
        configuration.layers = [LayerSpecification(activation: .sigmoid)]
        let limit = DataPoints.rowLimit
        let atLimit = try TrainingPlan(configuration: configuration, data: .builtIn(.moons, samples: limit))
        #expect(atLimit.points?.x.rows == limit)
        #expect(atLimit.points?.y.columns == 1)
        let past = try TrainingPlan(configuration: configuration, data: .builtIn(.moons, samples: limit + 1))
        #expect(past.points == nil)
    }
}
