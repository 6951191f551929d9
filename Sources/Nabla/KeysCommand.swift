import API
import ArgumentParser

/// `nabla keys`: API keys for `nabla serve --api-keys FILE`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Make API keys for `serve --api-keys`.",
        subcommands: [CreateKeyCommand.self])
}

/// `nabla keys create NAME`: a new random token, printed once, and the line for the keys file.
struct CreateKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Print a new API token (256 random bits) and the keys-file line for it.",
        discussion: """
            The token is shown once and stored nowhere: give it to the client. Append the `line:` to the \
            keys file and send SIGHUP to `nabla serve` (or restart it). The file holds only the token's \
            SHA-256.
            """)

    @Argument(help: "Whose key it is: 1 to 64 letters, digits, '.', '_' or '-'. Jobs belong to this name.")
    var name: String

    func validate() throws {
        guard APIKeys.isValidName(name) else {
            throw ValidationError("a key name is 1 to 64 letters, digits, '.', '_' or '-'")
        }
    }

    func run() {
        let token = APIKeys.newToken()
        print("token: \(token)")
        print("line: \(APIKeys.line(name: name, token: token))")
    }
}
