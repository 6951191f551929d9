/// The kinds of kept job the API runs, and what differs between them where jobs are shown: the one
/// place generic job code (lists, event streams) learns what a kind is.
enum JobKind: String, CaseIterable {
    /// `POST /v1/train`: a training run. Its progress is sent as `epoch` events, with the latest plot.
    case train
    /// `POST /v1/sleep`: waits, reporting its progress; for trying the job machinery.
    case sleep

    /// The name of the event stream's events that carry this kind's progress.
    var progressEventName: String {
        switch self {
        case .train: "epoch"
        case .sleep: "progress"
        }
    }

    /// True when a progress event is the progress values alone (training's `epoch`), false when it is
    /// `{id, status, progress}`.
    var progressEventIsValuesOnly: Bool { self == .train }
}
