extension DataSplit {
    /// Throws `invalidSetting` (under `split`) unless the fractions are finite, ≥ 0, the training one
    /// > 0, and they sum to 1 within 1e-9.
    func validate() throws(TrainingError) {
        let field = FieldPath("split")
        for (name, value) in [("train", train), ("validation", validation), ("test", test)] {
            guard value.isFinite, value >= 0, value <= 1 else {
                throw .invalidSetting(
                    field: field.appending(name), reason: "must be a fraction from 0 to 1, not \(value.messageText)")
            }
        }
        guard train > 0 else {
            throw .invalidSetting(field: field.appending("train"), reason: "must be greater than 0")
        }
        guard abs(train + validation + test - 1) <= 1e-9 else {
            throw .invalidSetting(
                field: field, reason: "fractions must sum to 1, not \((train + validation + test).messageText)")
        }
    }

    /// The number of rows in each part for `rows` rows: validation `round(rows × validation)`, test
    /// `round(rows × test)`, training the rest. Throws `tooFewRows` when a part with a fraction > 0 would
    /// be empty.
    func counts(rows: Int) throws(TrainingError) -> (train: Int, validation: Int, test: Int) {
        let field = FieldPath("split")
        let validationRows = Int((Double(rows) * validation).rounded())
        let testRows = Int((Double(rows) * test).rounded())
        let trainRows = rows - validationRows - testRows
        guard trainRows >= 1 else { throw .tooFewRows(field: field.appending("train"), rows: trainRows, needed: 1) }
        if validation > 0, validationRows < 1 {
            throw .tooFewRows(field: field.appending("validation"), rows: validationRows, needed: 1)
        }
        if test > 0, testRows < 1 { throw .tooFewRows(field: field.appending("test"), rows: testRows, needed: 1) }
        return (trainRows, validationRows, testRows)
    }

    /// The row indices of each part, each part in the data's order. All training (no draw) when the other
    /// fractions are 0; otherwise a seeded permutation decides which rows go where.
    func indices(rows: Int, seed: UInt64) throws(TrainingError) -> (train: [Int], validation: [Int], test: [Int]) {
        let counts = try counts(rows: rows)
        guard counts.train < rows else { return (Array(0..<rows), [], []) }
        var random = SplitMix64(seed: seed, stream: .split)
        let order = random.shuffled(Array(0..<rows))
        let train = order[0..<counts.train].sorted()
        let validation = order[counts.train..<counts.train + counts.validation].sorted()
        let test = order[(counts.train + counts.validation)...].sorted()
        return (train, validation, test)
    }
}
