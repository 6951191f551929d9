import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL address as `--database-url` takes it: `postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
/// with `?sslmode=disable|prefer|require|verify-full` (PostgreSQL's own names). Without `sslmode`, TLS
/// is off on loopback and required elsewhere, with the server's certificate verified.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum TLSMode: String, Sendable {
        case disable
        case prefer
        case require
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String
    public let tls: TLSMode

    /// Parses `text`; throws a sentence naming what is wrong.
    public init(_ text: String) throws(DatabaseURLError) {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw DatabaseURLError("expected postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else { throw DatabaseURLError("no host") }
        guard let user = components.user, !user.isEmpty else { throw DatabaseURLError("no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw DatabaseURLError("no database name after the host") }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value
        if let mode {
            guard let parsed = TLSMode(rawValue: mode) else {
                throw DatabaseURLError("sslmode must be disable, prefer, require or verify-full, not '\(mode)'")
            }
            self.tls = parsed
        } else {
            self.tls = Self.isLoopback(host) ? .disable : .verifyFull
        }
    }

    /// The address without its password, for logs.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// PostgresNIO's client configuration for this address.
    var clientConfiguration: PostgresClient.Configuration {
        let tlsSetting: PostgresClient.Configuration.TLS
        switch tls {
        case .disable:
            tlsSetting = .disable
        case .prefer:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tlsSetting = .prefer(configuration)
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tlsSetting = .require(configuration)
        case .verifyFull:
            tlsSetting = .require(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsSetting)
    }

    private static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// Why a database URL was refused.
public struct DatabaseURLError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
