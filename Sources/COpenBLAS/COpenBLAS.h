// OpenBLAS's CBLAS interface for NeuralNet's wide dense layers (Sources/NeuralNet/Kernels/Gemm.swift),
// found through pkg-config "openblas" (Debian: libopenblas-dev, which puts cblas.h in the directory of
// the variant it selects, openblas-pthread by default). Checked against OpenBLAS 0.3.21 (Debian 12).
// Only cblas_dgemm, cblas_sgemm and openblas_set_num_threads are used.
#ifndef COPENBLAS_H
#define COPENBLAS_H

#include <cblas.h>

#endif
