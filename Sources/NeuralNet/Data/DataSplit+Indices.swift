extension DataSplit {
    /// Throws `invalidSetting` (under `split`) unless the fractions are finite, ≥ 0, the training one
    /// > 0, and they sum to 1 within 1e-9.
    func validate() throws(TrainingError) {
        let path = SettingPath(.split)
        for (setting, value) in [(TrainingSetting.train, train), (.validation, validation), (.test, test)] {
            guard value.isFinite, value >= 0, value <= 1 else {
                throw .invalidSetting(at: path.appending(setting), reason: .fraction(given: value))
            }
        }
        guard train > 0 else {
            throw .invalidSetting(at: path.appending(.train), reason: .positive)
        }
        guard abs(train + validation + test - 1) <= 1e-9 else {
            throw .invalidSetting(at: path, reason: .fractionsSumToOne(sum: train + validation + test))
        }
    }

    /// The number of rows in each part for `rows` rows: validation `round(rows × validation)`, test
    /// `round(rows × test)`, training the rest. Throws `tooFewRows` when a part with a fraction > 0 would
    /// be empty.
    func counts(rows: Int) throws(TrainingError) -> (train: Int, validation: Int, test: Int) {
        let path = SettingPath(.split)
        let validationRows = Int((Double(rows) * validation).rounded())
        let testRows = Int((Double(rows) * test).rounded())
        let trainRows = rows - validationRows - testRows
        guard trainRows >= 1 else { throw .tooFewRows(at: path.appending(.train), rows: trainRows, needed: 1) }
        if validation > 0, validationRows < 1 {
            throw .tooFewRows(at: path.appending(.validation), rows: validationRows, needed: 1)
        }
        if test > 0, testRows < 1 { throw .tooFewRows(at: path.appending(.test), rows: testRows, needed: 1) }
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
