import Jobs
import NeuralNet
import JSON

/// `POST /v1/jobs/{id}/predict {x: [[...], ...]}`: the trained model of a finished training job on
/// new rows of raw features, normalised with the statistics fitted in training.
enum PredictionAnswer {
    /// The outputs for `body`'s rows (`outputs`, and for classifiers `class_indices`, with labels `labels`).
    static func answer(_ body: JSONValue, job: JobSnapshot, models: TrainedModelCache) throws(APIError) -> JSONValue {
        var fields = try JSONFields(body)
        guard let value = fields.value("x") else {
            throw .invalidRequest(
                "the request needs 'x'", issues: [FieldIssue(pointer: "/x", detail: "is required: rows of features")])
        }
        try fields.finish()
        let x = try JSONArrays.rows(value, at: "/x")
        let model = try models.model(for: job)
        let prediction: TrainedModel.Prediction
        do {
            prediction = try model.predict(x)
        } catch {
            throw TrainingFieldOrigins().apiError(for: error)
        }
        var members: [(key: String, value: JSONValue)] = [
            ("outputs", .array(prediction.outputs.rowArrays.map(JSONValue.numbers)))
        ]
        if let indices = prediction.classIndices {
            members.append(("class_indices", .numbers(indices.map(Double.init))))
        }
        if let labels = prediction.labels { members.append(("labels", .array(labels.map(JSONValue.string)))) }
        return .object(members)
    }

    /// `job` if it is a finished training job with a model; else 409 saying why not.
    static func trained(_ job: JobSnapshot) throws(APIError) -> JobSnapshot {
        guard job.kind == TrainingRoutes.kind else {
            throw .conflict("job \(job.id) is a '\(job.kind)' job, not a training job; it has no model")
        }
        guard job.status.isFinished else {
            throw .conflict("job \(job.id) is \(job.status.rawValue); its model is ready when it has finished")
        }
        guard job.result != nil else {
            throw .conflict(
                "job \(job.id) \(job.status.rawValue) without a model (\(job.failure?.message ?? "no result"))")
        }
        return job
    }
}
