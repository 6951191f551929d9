extension Duration {
    /// The duration in seconds, as Dispatch and Foundation want it.
    var seconds: Double { Double(self / .seconds(1)) }
}
