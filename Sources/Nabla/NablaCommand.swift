import API
import ArgumentParser

/// `nabla`: the differentiation and training service.
struct NablaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nabla",
        abstract: "Nabla: derivatives, gradients and neural-network training over HTTP.",
        discussion: """
            With no subcommand, `nabla` runs `serve`. Every option of `serve` can also be set with the
            environment variable named in its help (the command line wins).
            """,
        version: BuildInfo.version,
        subcommands: [ServeCommand.self, HealthcheckCommand.self, KeysCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
