/// What this binary is: reported by `nabla --version` and as `nabla_build_info` on `/metrics`.
public enum BuildInfo {
    /// Nabla's version (also `info.version` in Public/openapi.json).
    public static let version = "0.1.0"

    /// The Swift language mode's compiler, major.minor (`#if compiler` has no value to read).
    public static let swiftVersion: String = {
        #if compiler(>=6.4)
            "6.4+"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #elseif compiler(>=6.1)
            "6.1"
        #else
            "6.0"
        #endif
    }()

    /// `debug` or `release`.
    public static let configuration: String = {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }()
}
