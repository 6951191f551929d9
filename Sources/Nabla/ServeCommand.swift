import ArgumentParser
import Foundation
import Logging

/// `nabla serve`: runs the HTTP service until SIGTERM or SIGINT, then drains and exits 0.
///
/// Each option below only binds a setting of `ServeCommand.settings` to ArgumentParser, in the
/// table's order; its flag and help come from there.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP service (the default command).")

    @Option(name: .setting(\.host), help: .setting(\.host)) var host: String?
    @Option(name: .setting(\.port), help: .setting(\.port)) var port: UInt16?
    @Option(name: .setting(\.workers), help: .setting(\.workers)) var workers: Int?
    @Option(name: .setting(\.queueLimit), help: .setting(\.queueLimit)) var queueLimit: Int?
    @Option(name: .setting(\.maxJobsPerClient), help: .setting(\.maxJobsPerClient)) var maxJobsPerClient: Int?
    @Option(name: .setting(\.maxStreamsPerClient), help: .setting(\.maxStreamsPerClient))
    var maxStreamsPerClient: Int?
    @Option(name: .setting(\.maxBodyBytes), help: .setting(\.maxBodyBytes)) var maxBodyBytes: Int?
    @Option(name: .setting(\.maxDataBodyBytes), help: .setting(\.maxDataBodyBytes)) var maxDataBodyBytes: Int?
    @Option(name: .setting(\.maxDatasetBytes), help: .setting(\.maxDatasetBytes)) var maxDatasetBytes: Int?
    @Option(name: .setting(\.maxStoredDatasetBytes), help: .setting(\.maxStoredDatasetBytes))
    var maxStoredDatasetBytes: Int?
    @Option(name: .setting(\.maxPoints), help: .setting(\.maxPoints)) var maxPoints: Int?
    @Option(name: .setting(\.maxExpressionLength), help: .setting(\.maxExpressionLength))
    var maxExpressionLength: Int?
    @Option(name: .setting(\.maxExpressionDepth), help: .setting(\.maxExpressionDepth))
    var maxExpressionDepth: Int?
    @Option(name: .setting(\.maxEpochs), help: .setting(\.maxEpochs)) var maxEpochs: Int?
    @Option(name: .setting(\.maxLayers), help: .setting(\.maxLayers)) var maxLayers: Int?
    @Option(name: .setting(\.maxParameters), help: .setting(\.maxParameters)) var maxParameters: Int?
    @Option(name: .setting(\.maxDataValues), help: .setting(\.maxDataValues)) var maxDataValues: Int?
    @Option(name: .setting(\.maxTrainingWork), help: .setting(\.maxTrainingWork)) var maxTrainingWork: Int?
    @Option(name: .setting(\.publicDir), help: .setting(\.publicDir)) var publicDir: String?
    @Option(name: .setting(\.jobTimeLimit), help: .setting(\.jobTimeLimit)) var jobTimeLimit: Double?
    @Option(name: .setting(\.gracePeriod), help: .setting(\.gracePeriod)) var gracePeriod: Double?
    @Option(name: .setting(\.jobRetention), help: .setting(\.jobRetention)) var jobRetention: Double?
    @Option(name: .setting(\.maxRetainedJobs), help: .setting(\.maxRetainedJobs)) var maxRetainedJobs: Int?
    @Option(name: .setting(\.maxRetainedBytes), help: .setting(\.maxRetainedBytes)) var maxRetainedBytes: Int?
    @Option(name: .setting(\.httpThreads), help: .setting(\.httpThreads)) var httpThreads: Int?
    @Option(name: .setting(\.connectionLimit), help: .setting(\.connectionLimit)) var connectionLimit: Int?
    @Option(name: .setting(\.perIPConnectionLimit), help: .setting(\.perIPConnectionLimit))
    var perIPConnectionLimit: Int?
    @Option(name: .setting(\.connectionTimeout), help: .setting(\.connectionTimeout)) var connectionTimeout: Int?
    @Option(name: .setting(\.requestDeadline), help: .setting(\.requestDeadline)) var requestDeadline: Int?
    @Option(name: .setting(\.stateDir), help: .setting(\.stateDir)) var stateDir: String?
    @Option(name: .setting(\.databaseURL), help: .setting(\.databaseURL)) var databaseURL: String?
    @Option(name: .setting(\.replicaID), help: .setting(\.replicaID)) var replicaID: String?
    @Option(name: .setting(\.jobLease), help: .setting(\.jobLease)) var jobLease: Double?
    @Option(name: .setting(\.jobHeartbeat), help: .setting(\.jobHeartbeat)) var jobHeartbeat: Double?
    @Option(name: .setting(\.maxAttempts), help: .setting(\.maxAttempts)) var maxAttempts: Int?
    @Option(name: .setting(\.tlsCert), help: .setting(\.tlsCert)) var tlsCert: String?
    @Option(name: .setting(\.tlsKey), help: .setting(\.tlsKey)) var tlsKey: String?
    @Option(name: .setting(\.apiKeys), help: .setting(\.apiKeys)) var apiKeys: String?
    @Flag(name: .setting(\.protectMetrics), help: .setting(\.protectMetrics)) var protectsMetrics = false
    @Option(name: .setting(\.corsOrigins), help: .setting(\.corsOrigins)) var corsOrigin: [String] = []
    @Option(name: .setting(\.logLevel), help: .setting(\.logLevel)) var logLevel: Logger.Level?
    @Option(name: .setting(\.logFormat), help: .setting(\.logFormat)) var logFormat: LineLogHandler.Format?

    /// `--protect-metrics` as a setting reads it: absent is nil, so the environment can set it.
    var protectMetrics: Bool? { protectsMetrics ? true : nil }
    /// Every `--cors-origin`, nil when there is none (so the environment can set them).
    var corsOrigins: OriginList? { corsOrigin.isEmpty ? nil : OriginList(corsOrigin.joined(separator: ",")) }

    /// Prints README's configuration table instead of serving (README.md must hold this table).
    @Flag(name: .customLong("settings-table"), help: .hidden)
    var printsSettingsTable = false

    func run() throws {
        if printsSettingsTable {
            print(Self.settingsTable)
            return
        }
        MemoryTuning.apply()
        let settings = try resolve()
        let service = Service(settings: settings)
        try service.run()
    }

    /// Every setting from flag, environment or default, checked, in the table's order.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServiceSettings {
        var settings = ServiceSettings()
        for setting in Self.settings {
            try setting.resolve(from: self, environment: environment, into: &settings)
        }
        try settings.pairTLSFiles()
        try settings.checkSharedJobs()
        return settings
    }

    /// The settings `nabla serve ARGUMENTS` runs with in `environment`; a bad value throws the error
    /// the command reports.
    static func resolve(arguments: [String], environment: [String: String]) throws -> ServiceSettings {
        try parse(arguments).resolve(environment: environment)
    }

    /// README's configuration table: a Markdown row per setting, under a header.
    static var settingsTable: String {
        let defaults = ServiceSettings()
        let rows = settings.map { $0.tableRow(defaults: defaults) }
        return (["| flag | environment | default | meaning |", "|---|---|---|---|"] + rows).joined(separator: "\n")
    }

    /// The setting whose flag `option` holds; every option of the command has one.
    static func setting(readFrom option: PartialKeyPath<ServeCommand>) -> any AnySetting {
        guard let setting = settings.first(where: { $0.readsOption == option }) else {
            preconditionFailure("no entry of ServeCommand.settings reads \(option)")
        }
        return setting
    }
}

extension NameSpecification {
    /// The long flag of the setting read from `option`.
    static func setting(_ option: PartialKeyPath<ServeCommand>) -> Self {
        .customLong(ServeCommand.setting(readFrom: option).name)
    }
}

extension ArgumentHelp {
    /// The help of the setting read from `option`.
    static func setting(_ option: PartialKeyPath<ServeCommand>) -> Self {
        ArgumentHelp(ServeCommand.setting(readFrom: option).help(defaults: ServiceSettings()))
    }
}
