// Compiles the functions between FOLIO_AVX2_BEGIN and FOLIO_AVX2_END for AVX2 + FMA + F16C while the
// rest of the binary keeps the generic flags; callers dispatch at run time (cpu_features.h). Include
// every standard header before FOLIO_AVX2_BEGIN so library code is not compiled for AVX2.
#pragma once

#if defined(__x86_64__)
#define FOLIO_HAVE_X86 1
#include <immintrin.h>
#if defined(__clang__)
#define FOLIO_AVX2_BEGIN \
  _Pragma("clang attribute push(__attribute__((target(\"avx2,fma,f16c\"))), apply_to = function)")
#define FOLIO_AVX2_END _Pragma("clang attribute pop")
#else
#define FOLIO_AVX2_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx2,fma,f16c\")")
#define FOLIO_AVX2_END _Pragma("GCC pop_options")
#endif
#else
#define FOLIO_HAVE_X86 0
#define FOLIO_AVX2_BEGIN
#define FOLIO_AVX2_END
#endif
