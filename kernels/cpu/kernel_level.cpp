#include "kernels/cpu/kernel_level.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace folio::kernels {

const char* kernelLevelName(KernelLevel level) {
  switch (level) {
    case KernelLevel::Avx512: return "avx512";
    case KernelLevel::Avx2: return "avx2";
    case KernelLevel::Reference: break;
  }
  return "reference";
}

bool cpuSupports(const CpuFeatures& f, KernelLevel level) {
  const bool avx2 = f.avx2 && f.fma && f.f16c;
  switch (level) {
    case KernelLevel::Avx512: return avx2 && f.avx512f;  // the AVX-512 level keeps the AVX2 kernels for the other ops
    case KernelLevel::Avx2: return avx2;
    case KernelLevel::Reference: break;
  }
  return true;
}

KernelLevel chooseKernelLevel(const char* request, const CpuFeatures& f, std::string* complaint) {
  KernelLevel best = KernelLevel::Reference;
  for (KernelLevel l : {KernelLevel::Avx2, KernelLevel::Avx512}) {
    if (cpuSupports(f, l)) best = l;
  }
  if (request == nullptr || *request == '\0') return best;
  const std::string_view want(request);
  for (KernelLevel l : {KernelLevel::Reference, KernelLevel::Avx2, KernelLevel::Avx512}) {
    if (want != kernelLevelName(l)) continue;
    if (cpuSupports(f, l)) return l;
    if (complaint) {
      *complaint = std::string("FOLIO_CPU_KERNELS=") + request + ": this CPU cannot run those kernels; using " +
                   kernelLevelName(best);
    }
    return best;
  }
  if (complaint) {
    *complaint = std::string("FOLIO_CPU_KERNELS=") + request + " is not a level (avx512, avx2, reference); using " +
                 kernelLevelName(best);
  }
  return best;
}

KernelLevel kernelLevel() {
  static const KernelLevel level = [] {
    std::string complaint;
    const KernelLevel l = chooseKernelLevel(std::getenv("FOLIO_CPU_KERNELS"), cpuFeatures(), &complaint);
    if (!complaint.empty()) std::fprintf(stderr, "folio: %s\n", complaint.c_str());
    return l;
  }();
  return level;
}

}  // namespace folio::kernels
