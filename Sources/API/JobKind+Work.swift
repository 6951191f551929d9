import Jobs
import JSON

extension JobKind {
    /// `work` as the runner runs it: its JSON written to bytes; an `APIError` it throws becomes the
    /// job's failure with the error's reason code.
    func work(_ work: @escaping @Sendable (JobContext) throws -> JSONValue) -> JobRunner.Work {
        { context in
            do {
                return JSONWriter.bytes(try work(context))
            } catch let error as APIError {
                throw JobFailure(.failed(code: error.reasonCode), message: error.detail)
            }
        }
    }

    /// How every kind's work is rebuilt from its stored (normalized) request, for a replica that runs
    /// a job another accepted: the same checks as at submission, so the same plan. An uploaded dataset
    /// the request names comes from `datasets` (the database, unless this replica has it cached).
    static func registry(_ configuration: APIConfiguration, datasets: DatasetStore?) -> JobWorkRegistry {
        let limits = configuration.trainingLimits
        let depth = configuration.maxJSONDepth
        let maxSleep = configuration.maxSleepSeconds
        @Sendable func parse(_ request: [UInt8]) throws -> JSONValue {
            do throws(JSONParseError) {
                return try JSONParser.parse(request, maxDepth: depth)
            } catch {
                throw APIError.malformedJSON(error)
            }
        }
        return JobWorkRegistry([
            Self.train.rawValue: { request in
                let training = try TrainingRequest(try parse(request))
                var uploaded: DatasetStore.Entry?
                if let id = training.uploadedDatasetID {
                    uploaded = try await datasets?.entryForRun(id)
                }
                let submission = try TrainingSubmission(
                    training, limits: limits, uploaded: uploaded)
                return Self.train.work { [plan = submission.plan, hash = submission.configHash] context in
                    try TrainingSubmission.run(plan, configHash: hash, context)
                }
            },
            Self.sleep.rawValue: { request in
                let seconds = try SleepRequest(try parse(request), maxSeconds: maxSleep).seconds
                return Self.sleep.work { context in try SleepRequest.sleep(seconds, context) }
            },
        ])
    }
}
