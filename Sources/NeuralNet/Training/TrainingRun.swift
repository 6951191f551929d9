/// The mutable state of one run, allocated once before the first epoch: parameters, gradient, the last
/// finite parameters, the best ones (for `restoreBest`), the optimiser's state, the shuffled order and
/// the workspace, and the data in the run's precision `Scalar` (the plan's own arrays for `Double`, a
/// rounded copy for `Float`). Nothing is allocated inside the epoch and batch loops.
final class TrainingRun<Scalar: TrainingScalar> {
    /// A part's rows in the run's precision, column-major with stride `rows` (`TrainingPlan.Part`).
    struct Columns {
        let rows: Int
        let features: [Scalar]
        let targets: [Scalar]

        init(_ part: TrainingPlan.Part) {
            rows = part.rows
            features = Self.converted(part.featureColumns)
            targets = Self.converted(part.targetColumns)
        }

        private static func converted(_ values: [Double]) -> [Scalar] {
            if let same = values as? [Scalar] { return same }
            return values.map { Scalar($0) }
        }
    }

    /// How an epoch ended.
    enum EpochOutcome {
        /// Every batch ran: the size-weighted mean batch loss and the right judgements.
        case finished(loss: Double, correct: Int)
        /// A batch loss was not finite (before its update).
        case diverged
        /// `checkInterruption` threw before a batch.
        case interrupted(any Error)
    }

    let plan: TrainingPlan
    let workspace: Workspace<Scalar>
    let training: Columns
    let validation: Columns
    let test: Columns
    let parameterCount: Int
    let parameters: UnsafeMutablePointer<Scalar>
    private let gradient: UnsafeMutablePointer<Scalar>
    /// The parameters at the end of the last recorded epoch (the initial ones before any).
    let recorded: UnsafeMutablePointer<Scalar>
    /// The best epoch's parameters, with early stopping's `restoreBest`.
    let best: UnsafeMutablePointer<Scalar>?
    private let optimizer: OptimizerState<Scalar>
    private let order: UnsafeMutablePointer<Int>
    private var random: SplitMix64
    private let batchRows: Int

    init(plan: TrainingPlan, initialParameters: [Double]) {
        self.plan = plan
        training = Columns(plan.training)
        validation = Columns(plan.validation)
        test = Columns(plan.test)
        let configuration = plan.configuration
        let rows = plan.training.rows
        batchRows = Swift.min(configuration.batchSize ?? rows, rows)
        let largestPart = Swift.max(rows, plan.validation.rows, plan.test.rows)
        let wanted = Swift.max(batchRows, Swift.min(largestPart, 256))
        let capacity = Swift.max(1, Swift.min(wanted, plan.activationBudget / plan.layout.totalUnits))
        let splits = plan.layout.layers.contains { Gemm.isWide(inputs: $0.inputs, units: $0.units) }
        let lanes =
            plan.kernelThreads >= 2 && splits
            ? KernelLanes(threads: plan.kernelThreads, niceness: plan.kernelNiceness) : .single
        workspace = Workspace(layout: plan.layout, capacity: capacity, lanes: lanes)
        parameterCount = plan.layout.parameterCount
        parameters = .allocate(capacity: parameterCount)
        _ = UnsafeMutableBufferPointer(start: parameters, count: parameterCount).initialize(
            from: initialParameters.lazy.map { Scalar($0) })
        recorded = .allocate(capacity: parameterCount)
        recorded.initialize(from: parameters, count: parameterCount)
        gradient = .allocate(capacity: parameterCount)
        gradient.initialize(repeating: 0, count: parameterCount)
        if configuration.earlyStopping?.restoreBest == true {
            best = .allocate(capacity: parameterCount)
            best!.initialize(from: parameters, count: parameterCount)
        } else {
            best = nil
        }
        optimizer = OptimizerState(configuration.optimizer, count: parameterCount)
        order = .allocate(capacity: rows)
        for row in 0..<rows { (order + row).initialize(to: row) }
        random = SplitMix64(seed: configuration.seed, stream: .shuffle)
    }

    deinit {
        for buffer in [parameters, gradient, recorded] { buffer.deallocate() }
        best?.deallocate()
        order.deallocate()
    }

    /// One epoch over the training rows: `features: [rows, inputs]` and `targets: [rows, outputs]`,
    /// column-major with stride `rows` (`TrainingPlan.Part`).
    func trainEpoch(
        features: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>, checkInterruption: () throws -> Void
    ) -> EpochOutcome {
        let rows = plan.training.rows
        let loss = plan.configuration.loss
        let rule = plan.accuracyRule
        let shuffle = plan.configuration.shuffle
        if shuffle { random.shuffle(order, count: rows) }
        var weightedLoss = 0.0
        var singleBatchLoss = 0.0
        var correct = 0
        var start = 0
        while start < rows {
            do { try checkInterruption() } catch { return .interrupted(error) }
            let batch = Swift.min(batchRows, rows - start)
            gradient.update(repeating: 0, count: parameterCount)
            var lossSum = 0.0
            var chunkStart = start
            while chunkStart < start + batch {
                let chunk = Swift.min(workspace.capacity, start + batch - chunkStart)
                var (x, t, stride) = (features + chunkStart, targets + chunkStart, rows)
                if shuffle {
                    gather(features: features, targets: targets, from: chunkStart, rows: chunk)
                    (x, t, stride) = (
                        UnsafePointer(workspace.inputRows), UnsafePointer(workspace.targetRows), workspace.capacity
                    )
                }
                workspace.forward(parameters: parameters, x: x, xStride: stride, rows: chunk)
                workspace.accumulateLoss(loss, targets: t, targetStride: stride, rows: chunk, into: &lossSum)
                correct &+= workspace.correct(rule, targets: t, targetStride: stride, rows: chunk)
                workspace.backward(
                    parameters: parameters, x: x, xStride: stride, targets: t, targetStride: stride, rows: chunk,
                    loss: loss, gradient: gradient)
                chunkStart += chunk
            }
            let batchLoss = lossSum / loss.divisor(rows: batch, outputs: plan.layout.outputs)
            guard batchLoss.isFinite else { return .diverged }
            // Sums to means, as the seed's np.mean: a division, not a product with 1/n, except for a
            // power-of-two batch, whose reciprocal is exact: then both round the same real number (same
            // bits, subnormals included) and the product is several times cheaper.
            let size = Scalar(batch)
            if batch & (batch &- 1) == 0 {
                let reciprocal = 1 / size
                for index in 0..<parameterCount { gradient[index] *= reciprocal }
            } else {
                for index in 0..<parameterCount { gradient[index] /= size }
            }
            optimizer.step(parameters, gradient: gradient)
            if batch == rows { singleBatchLoss = batchLoss } else { weightedLoss += Double(batch) * batchLoss }
            start += batch
        }
        return .finished(loss: batchRows >= rows ? singleBatchLoss : weightedLoss / Double(rows), correct: correct)
    }

    /// Copies training rows `order[from..<from + rows]` into the workspace's gather buffers.
    private func gather(features: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>, from: Int, rows: Int) {
        let all = plan.training.rows
        let capacity = workspace.capacity
        for input in 0..<plan.layout.inputs {
            let source = features + input &* all
            let destination = workspace.inputRows + input &* capacity
            for row in 0..<rows { destination[row] = source[order[from &+ row]] }
        }
        for output in 0..<plan.layout.outputs {
            let source = targets + output &* all
            let destination = workspace.targetRows + output &* capacity
            for row in 0..<rows { destination[row] = source[order[from &+ row]] }
        }
    }

    /// True when every parameter is finite; then they become the recorded ones.
    func recordIfFinite() -> Bool {
        // x·0 is 0 for finite x and NaN otherwise, so one NaN-propagating sum checks them all.
        var check: Scalar = 0
        for index in 0..<parameterCount { check += parameters[index] * 0 }
        guard check == 0 else { return false }
        recorded.update(from: parameters, count: parameterCount)
        return true
    }

    /// `count` parameters from `pointer` (the recorded or best ones) as doubles, for the model.
    func doubles(_ pointer: UnsafePointer<Scalar>) -> [Double] {
        UnsafeBufferPointer(start: pointer, count: parameterCount).map { Double($0) }
    }

    /// Loss (summed terms over `divisor`) and right judgements of `parameters` (the current ones unless
    /// given) on a part's `rows` rows, `features` and `targets` column-major with stride `rows`, in chunks.
    func evaluate(
        features: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>, rows: Int,
        parameters: UnsafePointer<Scalar>? = nil
    ) -> (loss: Double, correct: Int) {
        let loss = plan.configuration.loss
        var lossSum = 0.0
        var correct = 0
        var start = 0
        while start < rows {
            let chunk = Swift.min(workspace.capacity, rows - start)
            workspace.forward(
                parameters: parameters ?? UnsafePointer(self.parameters), x: features + start, xStride: rows,
                rows: chunk)
            workspace.accumulateLoss(loss, targets: targets + start, targetStride: rows, rows: chunk, into: &lossSum)
            correct += workspace.correct(plan.accuracyRule, targets: targets + start, targetStride: rows, rows: chunk)
            start += chunk
        }
        return (lossSum / loss.divisor(rows: rows, outputs: plan.layout.outputs), correct)
    }
}
