/// The service, built once (with its trained model) on the first input.
let service = FuzzedService()

/// One fuzz input (see `FuzzRequest`): the body is POSTed to its route and the answer checked
/// (`RequestInvariants`); a 200 from echo must echo itself unchanged. A trap, a wrong status or body,
/// a lost or doubled answer is a finding. Also exported as `LLVMFuzzerTestOneInput` (see
/// CFuzzerDriver.h).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, let input = FuzzRequest(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    let answer = service.send(input.body, to: input.route)
    RequestInvariants.check(answer, route: input.route)
    if input.route == .echo, answer.status == 200, let echoed = answer.body {
        // The API's writer output is JSON its own parser takes back, to the same bytes.
        let again = service.send(echoed, to: .echo)
        if again.status == 200 && again.body != echoed {
            finding("echo is not stable: \(answer.text()) became \(again.text())")
        } else if again.status != 200 && again.status != 503 {
            finding("echo refuses its own answer with \(again.status) (\(again.text())): \(answer.text())")
        }
    }
    return 0
}

/// Stops the run: libFuzzer catches the trap and writes the input to a crash-* file.
func finding(_ message: String) -> Never {
    fatalError("fuzz finding: \(message)")
}
