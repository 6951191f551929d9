// libFuzzer's driver entry point, for a Swift executable that has its own `main` (SwiftPM links one),
// as FIELD-NOTES.md records: main.swift hands the fuzz function to LLVMFuzzerRunDriver. Built with
// -sanitize=fuzzer, libFuzzer defines it; otherwise the weak fallback in CFuzzerDriver.c runs each
// file named on the command line once (a regression run of the corpus). Checked with clang 21 and
// libclang_rt.fuzzer from the Swift 6.3 toolchain.
#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// The fuzz function: one input, 0 to keep going.
typedef int (*CFuzzerDriver_Callback)(const uint8_t *data, size_t size);

/// Parses libFuzzer's flags from argc/argv and fuzzes `callback` (libFuzzer's FuzzerInterface.h).
int LLVMFuzzerRunDriver(int *argc, char ***argv, CFuzzerDriver_Callback callback);

#endif
