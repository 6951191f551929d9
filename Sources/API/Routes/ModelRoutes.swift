import Jobs
import Logging
import MicroHTTP
import ModelExport
import NeuralNet
import JSON

/// `GET /v1/jobs/{id}/model.onnx`: a finished (or cancelled) training job's network as an ONNX model
/// in float64, whose output `outputs` is what `POST /v1/jobs/{id}/predict` answers as `outputs` for
/// the same rows `x` (ModelExport's `TrainedModel.onnxModel`).
///
/// Answered `application/octet-stream`: no media type is registered for ONNX files, and tools read
/// them by name (`.onnx`), which `Content-Disposition` gives. The model is rebuilt from the job's
/// stored result and encoded on the job runner's request lane, as a prediction is.
struct ModelRoutes {
    let runner: JobRunner
    let jobs: any JobBackend
    let logger: Logger

    func register(in router: inout Router) {
        // A download is usually a one-off: keep only the latest model rebuilt, whatever its size.
        let models = TrainedModelCache(parameterBudget: 0)
        router.add("GET", "/v1/jobs/{id}/model.onnx") { [runner, jobs, logger] request throws(APIError) in
            .task { () throws(APIError) in
                Self.reply(
                    for: try await Self.trainedJob(request, jobs), runner: runner, models: models, request: request,
                    logger: logger)
            }
        }
    }

    /// The job the request names, if it is the caller's (else 404) and a training job with a model
    /// (else 409).
    static func trainedJob(_ request: APIRequest, _ jobs: any JobBackend) async throws(APIError) -> JobSnapshot {
        try PredictionAnswer.trained(try await JobRoutes.job(request, jobs))
    }

    /// The model file of `job` (a training job with a result), encoded on the runner.
    static func reply(
        for job: JobSnapshot, runner: JobRunner, models: TrainedModelCache, request: APIRequest, logger: Logger
    ) -> Reply {
        let encoding = JobSubmission.synchronous(
            runner, kind: "onnx", requestID: request.id, logger: logger, contentType: "application/octet-stream"
        ) { _ in try modelFile(of: job, models: models) }
        let disposition = ("Content-Disposition", "attachment; filename=\"\(fileName(of: job))\"")
        guard case .deferred(let start) = encoding else { return encoding }
        return .deferred { complete in start { complete($0.map { appending(disposition, to: $0) }) } }
    }

    private static func appending(_ header: (name: String, value: String), to response: HTTPResponse)
        -> HTTPResponse
    {
        var response = response
        response.headers.append(header)
        return response
    }

    /// `nabla-ID.onnx`.
    static func fileName(of job: JobSnapshot) -> String {
        "nabla-\(job.id).onnx"
    }

    /// The `.onnx` file's bytes: the job's model, with its job id, loss, normalisation and class
    /// labels (a JSON array, index → label) as metadata.
    static func modelFile(of job: JobSnapshot, models: TrainedModelCache) throws(APIError) -> [UInt8] {
        let model = try models.model(for: job)
        var metadata = [
            ONNXMetadataProperty(key: "job_id", value: job.id.description),
            ONNXMetadataProperty(key: "loss", value: model.loss.wireName),
            ONNXMetadataProperty(key: "normalization", value: model.normalization.kind.wireName),
        ]
        if let classes = model.classes {
            metadata.append(
                ONNXMetadataProperty(key: "classes", value: JSONWriter.string(.array(classes.map(JSONValue.string)))))
        }
        let documentation = """
            Nabla training job \(job.id). Input x: raw features, float64 [rows, \(model.inputs)]. Output \
            outputs: float64 [rows, \(model.outputs)], as POST /v1/jobs/\(job.id)/predict answers them.
            """
        return model.onnxModel(producerVersion: BuildInfo.version, documentation: documentation, metadata: metadata)
            .serialized()
    }
}
