extension Duration {
    /// The duration in seconds, as Dispatch and JSON want it.
    var seconds: Double { Double(self / .seconds(1)) }
}
