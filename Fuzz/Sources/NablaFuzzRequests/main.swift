import CFuzzerDriver
import Foundation

// Hands `fuzzOneRequest` to libFuzzer's driver (see CFuzzerDriver.h for why not the usual
// LLVMFuzzerTestOneInput entry alone).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneRequest(data, size) })
