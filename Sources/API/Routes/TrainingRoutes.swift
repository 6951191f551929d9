import Dispatch
import Jobs
import Logging
import MicroHTTP
import NeuralNet

/// `POST /v1/train` and `POST /v1/jobs/{id}/predict`.
///
/// A training request is read, resolved and checked completely (`TrainingSubmission`) before its job
/// is queued, so bad input is a 400, never a failed job. That check runs on its own serial Dispatch
/// queue: not on a libmicrohttpd thread (bodies may be megabytes), and not on the job runner, where it
/// would wait behind running trainings before even answering 202. Serial on purpose: libdispatch gives
/// a serial queue a thread of its own (it targets an overcommit root queue), while blocks on
/// concurrent queues wait for the pool's few threads, which trainings keep busy.
struct TrainingRoutes {
    let runner: JobRunner
    let jobs: any JobBackend
    let configuration: APIConfiguration
    /// Uploaded datasets a training may name (nil: none can be uploaded here).
    let datasets: DatasetStore?
    let logger: Logger

    func register(in router: inout Router) {
        let admission = DispatchQueue(label: "nabla.training.admission", qos: .userInitiated)
        let limits = configuration.trainingLimits
        router.add("POST", "/v1/train", body: .jsonWithData) { [jobs, datasets] request throws(APIError) in
            let waitInQuery = try request.queryFlag("wait")
            // Refused at once when it would be anyway: an overloaded service answers in microseconds,
            // without parsing and checking the request or waiting behind others being checked.
            if let refusal = jobs.refusal(for: request.caller.client) {
                throw JobSubmission.apiError(for: refusal)
            }
            return .deferred { complete in
                let owner = request.caller.owner
                /// Checks and submits `training` (on the admission queue) with the dataset it names.
                @Sendable func submit(_ training: TrainingRequest, _ uploaded: DatasetStore.Entry?) {
                    do throws(APIError) {
                        let submission = try TrainingSubmission(
                            training, limits: limits, uploaded: uploaded)
                        let reply = JobSubmission.job(
                            jobs, kind: .train, request: submission.normalized,
                            wait: waitInQuery ?? submission.wait, requestID: request.id,
                            caller: request.caller,
                            accepted: submission.plan.points.map { [("points", $0.json)] } ?? []
                        ) { [plan = submission.plan, hash = submission.configHash] context in
                            try TrainingSubmission.run(plan, configHash: hash, context)
                        }
                        reply.answer(complete)
                    } catch {
                        complete(.failure(error))
                    }
                }
                admission.async {
                    let training: TrainingRequest
                    do throws(APIError) {
                        training = try TrainingRequest(try request.json())
                    } catch {
                        return complete(.failure(error))
                    }
                    guard let id = training.uploadedDatasetID, let datasets else { return submit(training, nil) }
                    // The dataset may come from the database (replicas): fetched off this queue, on
                    // the routes' executor (never the cooperative pool, which blocked callers may fill).
                    Task(executorPreference: RouteExecutor.shared) {
                        do throws(APIError) {
                            let entry = try await DatasetStore.answer { try await datasets.entry(id, owner: owner) }
                            admission.async { submit(training, entry) }
                        } catch {
                            complete(.failure(error))
                        }
                    }
                }
            }
        }
        let models = TrainedModelCache()
        router.add("POST", "/v1/jobs/{id}/predict", body: .jsonWithData) {
            [runner, jobs, logger] request throws(APIError) in
            .task { () throws(APIError) in
                let job = try PredictionAnswer.trained(try await JobRoutes.job(request, jobs))
                return JobSubmission.synchronous(runner, kind: "predict", requestID: request.id, logger: logger) { _ in
                    try PredictionAnswer.answer(try request.json(), job: job, models: models)
                }
            }
        }
    }
}
