// The C library functions the executable needs and Swift's Glibc module leaves out.
//
// <malloc.h> is not part of Swift's Glibc module, so mallopt and its M_* option numbers cannot be
// reached from Swift without this header. mallopt is wrapped in a prefixed `static inline` function,
// as CMicroHTTPD.h wraps libmicrohttpd, so that the Swift side (Sources/Nabla/MemoryTuning.swift)
// calls a declared C function with checked types rather than a symbol looked up by name.
// Only glibc has mallopt; elsewhere this header declares nothing.
// Checked against glibc 2.36 (Debian 12, libc6-dev 2.36).
#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>

/// mallopt(3): sets one of glibc malloc's parameters (M_MMAP_THRESHOLD, ...); 1 on success, 0 on error.
static inline int CMalloc_mallopt(int parameter, int value) {
    return mallopt(parameter, value);
}
#endif

#endif
