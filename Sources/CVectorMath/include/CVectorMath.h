// Elementary functions over arrays of doubles, for Calculus's block evaluator.
//
// Each kernel writes f(input[i]) to output[i] for 0 <= i < count. On x86_64 with glibc it calls
// glibc's vector libm, libmvec: eight lanes at a time on a CPU with AVX-512, four with AVX2 (checked
// at run time); elsewhere it is a plain loop over the scalar libm, so results are then bit-identical
// to calling sin, cos, ... one value at a time.
//
// libmvec is not bit-identical to the scalar libm: glibc documents at most 4 ULP of error for its
// vector functions. Largest difference from the scalar libm measured over 10^7 random points per
// function and range (glibc 2.36, Debian 12, x86_64, AVX2 variants): sin 3 ULP, cos 4, tan 3, exp 3,
// log 2, tanh 4; the AVX-512 variants are held to the same bound.
// Tests/CalculusTests/VectorMathTests.swift checks a bound of 5.
//
// input and output may be the same array; otherwise they must not overlap. A partial group of
// fewer than a vector's lanes at the end is padded, so a value's result does not depend on its position.
#ifndef CVECTORMATH_H
#define CVECTORMATH_H

/// sin of each input.
void CVectorMath_sin(const double *input, double *output, long count);
/// cos of each input.
void CVectorMath_cos(const double *input, double *output, long count);
/// tan of each input.
void CVectorMath_tan(const double *input, double *output, long count);
/// e^x of each input.
void CVectorMath_exp(const double *input, double *output, long count);
/// The natural logarithm of each input.
void CVectorMath_log(const double *input, double *output, long count);
/// tanh of each input.
void CVectorMath_tanh(const double *input, double *output, long count);

/// x[i] + y[i], x[i] - y[i], x[i] * y[i], x[i] / y[i] into out[i]: the same bits as one operation at a
/// time (IEEE 754 rounds each exactly), eight or four lanes at a time on CPUs with AVX-512 or AVX2.
/// out may be x or y; otherwise the arrays must not overlap.
void CVectorMath_add(const double *x, const double *y, double *out, long count);
void CVectorMath_subtract(const double *x, const double *y, double *out, long count);
void CVectorMath_multiply(const double *x, const double *y, double *out, long count);
void CVectorMath_divide(const double *x, const double *y, double *out, long count);
/// x[i] * factor into out[i], the same way.
void CVectorMath_scale(const double *x, double factor, double *out, long count);

/// The lanes the kernels use libmvec with (8 with AVX-512, 4 with AVX2; x86_64 and glibc), 0 when they
/// use the scalar libm.
int CVectorMath_isVectorised(void);

#endif
