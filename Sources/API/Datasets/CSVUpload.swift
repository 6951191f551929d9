import MicroHTTP
import Synchronization

/// The body of a CSV upload, read as it arrives (`HTTPBodySink`): each piece goes through the reader
/// and is dropped. The first problem stops the reading; the rest of the body is only counted.
final class CSVUpload: HTTPBodySink {
    private struct State {
        var reader = CSVStreamReader()
        var failure: CSVStreamReader.Failure?
        var bytes = 0
    }

    private let state = Mutex(State())

    func consume(_ bytes: UnsafeBufferPointer<UInt8>) {
        state.withLock { state in
            state.bytes += bytes.count
            guard state.failure == nil else { return }
            do throws(CSVStreamReader.Failure) {
                try state.reader.consume(bytes)
            } catch {
                state.failure = error
            }
        }
    }

    /// The table, or why the text is not one; and the body's size.
    func finish() -> (table: Result<DatasetTable, CSVStreamReader.Failure>, bytes: Int) {
        state.withLock { state in
            if let failure = state.failure { return (.failure(failure), state.bytes) }
            do throws(CSVStreamReader.Failure) {
                return (.success(try state.reader.finish()), state.bytes)
            } catch {
                return (.failure(error), state.bytes)
            }
        }
    }
}
