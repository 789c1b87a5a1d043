// The instruction-set level every dispatched CPU kernel runs at, chosen once per process: the best the
// CPU supports, or the one FOLIO_CPU_KERNELS=avx512|avx2|reference names (for measurements and tests;
// an unknown or unsupported name is reported on stderr and the best available level is used). Like
// cpuFeatures(), the answer never changes, so every call of an op computes the same way.
#pragma once

#include <string>

#include "kernels/cpu/cpu_features.h"

namespace folio::kernels {

enum class KernelLevel { Reference = 0, Avx2 = 1, Avx512 = 2 };  // ordered: a level implies the ones below

// "reference", "avx2", "avx512" (the names FOLIO_CPU_KERNELS takes).
const char* kernelLevelName(KernelLevel level);

// Whether the CPU can run the kernels of `level`.
bool cpuSupports(const CpuFeatures& f, KernelLevel level);

// The level for the request (nullptr or "" = none) on a CPU with `f`. When the request is unknown or
// the CPU lacks it, `complaint` gets a one-line message and the best supported level is returned.
KernelLevel chooseKernelLevel(const char* request, const CpuFeatures& f, std::string* complaint);

// The process's level: chooseKernelLevel(getenv("FOLIO_CPU_KERNELS"), cpuFeatures()), decided on the
// first call (a complaint goes to stderr then).
KernelLevel kernelLevel();

}  // namespace folio::kernels
