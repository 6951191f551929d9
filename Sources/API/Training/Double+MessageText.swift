extension Double {
    /// The number as messages show it: whole numbers without Swift's `.0` (`-1`, not `-1.0`), others as
    /// Swift prints them (`0.25`, `1e-09`, `nan`).
    var messageText: String {
        if isFinite, self == rounded(), magnitude < 9_007_199_254_740_992 { return String(Int64(self)) }
        return description
    }
}
