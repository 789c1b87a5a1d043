// Compiles the functions between FOLIO_AVX512_BEGIN and FOLIO_AVX512_END for AVX-512F (with the AVX2 +
// FMA + F16C of the level below) while the rest of the binary keeps the generic flags; callers dispatch
// at run time (kernel_level.h). As with avx2_target.h, include every standard header before
// FOLIO_AVX512_BEGIN so library code is not compiled for AVX-512.
#pragma once

#include "kernels/cpu/avx2_target.h"

#if FOLIO_HAVE_X86
#if defined(__clang__)
#define FOLIO_AVX512_BEGIN \
  _Pragma("clang attribute push(__attribute__((target(\"avx512f,avx2,fma,f16c\"))), apply_to = function)")
#define FOLIO_AVX512_END _Pragma("clang attribute pop")
#else
// GCC 12's AVX-512 intrinsics start from self-initialised "undefined" vectors, which its -Wuninitialized
// reports wherever they are inlined (GCC bug 105593): silenced inside the region only
#define FOLIO_AVX512_BEGIN                                                                         \
  _Pragma("GCC push_options") _Pragma("GCC target(\"avx512f,avx2,fma,f16c\")")                      \
      _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wuninitialized\"")          \
          _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define FOLIO_AVX512_END _Pragma("GCC diagnostic pop") _Pragma("GCC pop_options")
#endif
#else
#define FOLIO_AVX512_BEGIN
#define FOLIO_AVX512_END
#endif
