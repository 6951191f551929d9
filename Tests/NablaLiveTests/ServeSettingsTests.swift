import API
import Foundation
import Jobs
import MicroHTTP
import Testing

@testable import Nabla

/// `nabla serve`'s settings, declared once in `ServeCommand.settings`: docs/configuration.md's table is the one the
/// binary prints, `--help` lists them all, and each value comes from the flag, else the environment,
/// else the configuration's default, checked with the messages the service has always given.
struct ServeSettingsTests {
    /// The standard output of `nabla ARGUMENTS`, which must exit 0.
    private func output(of arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = NablaProcess.binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "nabla \(arguments.joined(separator: " "))")
        return printed
    }

    @Test func docsConfigurationTableIsTheGeneratedOne() throws {
        let printed = try output(of: ["serve", "--settings-table"])
        let generated = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)

        let readmeURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/configuration.md").standardized
        let readme = try String(contentsOf: readmeURL, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(readme.firstIndex(of: "| flag | environment | default | meaning |"))
        let table = readme[start...].prefix { $0.hasPrefix("|") }.map(String.init)
        let firstDifference = zip(table, generated).first { $0 != $1 }
        let same = table == generated
        #expect(
            same,
            """
            docs/configuration.md's table differs from `nabla serve --settings-table` (\(table.count) and \
            \(generated.count) lines; first difference: docs \(firstDifference?.0 ?? "-"), generated \
            \(firstDifference?.1 ?? "-")); paste the generated table into docs/configuration.md
            """)
    }

    @Test func helpListsEverySettingInTheTablesOrderWithItsEnvironmentVariable() throws {
        let help = try output(of: ["serve", "--help"])
        let flags = help.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("--"), let end = trimmed.firstIndex(of: " ") else { return nil }
            return String(trimmed[..<end])
        }
        #expect(flags.filter { $0 != "--version" } == ServeCommand.settings.map(\.flag))
        for setting in ServeCommand.settings {
            let words = help.split(whereSeparator: \.isWhitespace)
            #expect(words.contains("\(setting.environmentName)."), "\(setting.flag)")
        }
    }

    @Test func flagBeatsEnvironmentBeatsDefault() throws {
        let environment = ["NABLA_WORKERS": "5", "NABLA_QUEUE_LIMIT": " 7 ", "NABLA_LOG_FORMAT": "JSON"]
        let settings = try ServeCommand.resolve(
            arguments: ["--workers", "3", "--log-level", "WARNING"], environment: environment)
        let defaults = ServiceSettings()
        #expect(settings.jobs.maxConcurrentJobs == 3)
        #expect(settings.jobs.queueLimit == 7)
        #expect(settings.api.maxStreamsPerClient == defaults.api.maxStreamsPerClient)
        #expect(settings.logLevel.settingText == "warning")
        #expect(settings.logFormat == .json)
    }

    @Test func defaultsAreTheConfigurationsOwn() throws {
        let settings = try ServeCommand.resolve(arguments: [], environment: [:])
        let defaults = ServiceSettings()
        #expect(settings.http == defaults.http)
        #expect(settings.jobs == defaults.jobs)
        #expect(settings.api.maxStreamsPerClient == 4)
        #expect(settings.jobs.timeLimit == .seconds(300))
        #expect(settings.gracePeriod == .seconds(10))
        #expect(settings.stateDirectory == nil)
    }

    @Test func secondsAndPathsLandConverted() throws {
        let settings = try ServeCommand.resolve(
            arguments: ["--job-time-limit", "1.5", "--state-dir", ""],
            environment: ["NABLA_GRACE_PERIOD": "0.25", "NABLA_STATE_DIR": "/x"])
        #expect(settings.jobs.timeLimit == .milliseconds(1500))
        #expect(settings.gracePeriod == .milliseconds(250))
        #expect(settings.stateDirectory == nil)
    }

    @Test(arguments: [
        (["--workers", "0"], [:], "--workers must be 1...1024"),
        ([], ["NABLA_WORKERS": "0"], "--workers must be 1...1024"),
        ([], ["NABLA_WORKERS": "abc"], "environment variable NABLA_WORKERS='abc' is not a valid value"),
        ([], ["NABLA_PORT": "70000"], "environment variable NABLA_PORT='70000' is not a valid value"),
        (["--max-streams-per-client", "10001"], [:], "--max-streams-per-client must be 1...10000"),
        (["--max-epochs", "0"], [:], "--max-epochs must be 1...9007199254740992"),
        (["--job-time-limit", "0"], [:], "--job-time-limit must be in (0, 86400] s"),
        (["--job-retention=-1"], [:], "--job-retention must be 0...2592000 s"),
        (["--grace-period", "3601"], [:], "--grace-period must be 0...3600 s"),
        (
            [], ["NABLA_LOG_LEVEL": "loud"],
            "--log-level must be one of trace, debug, info, notice, warning, error, critical"
        ),
        ([], ["NABLA_LOG_FORMAT": "xml"], "--log-format must be text or json"),
    ])
    func refusesValuesOutsideTheAllowedOnes(arguments: [String], environment: [String: String], message: String)
        throws
    {
        let error = #expect(throws: (any Error).self) {
            try ServeCommand.resolve(arguments: arguments, environment: environment)
        }
        #expect(error.map { "\($0)" } == message)
    }

    @Test func mallocAcceptsTheTuning() {
        #expect(MemoryTuning.apply())
    }
}
