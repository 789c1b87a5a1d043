#include "kernels/cpu/cpu_features.h"

namespace folio::kernels {
namespace {
CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)
  f.avx512bf16 = __builtin_cpu_supports("avx512bf16");
#endif
  // F16C has no __builtin_cpu_supports name in older compilers: CPUID leaf 1, ECX bit 29
  unsigned eax = 1, ebx = 0, ecx = 0, edx = 0;
  __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "c"(0));
  f.f16c = (ecx >> 29) & 1u;
  // AMX-BF16: CPUID leaf 7 sub-leaf 0, EDX bit 22 (informational only)
  unsigned a7 = 7, b7 = 0, c7 = 0, d7 = 0;
  __asm__ volatile("cpuid" : "+a"(a7), "=b"(b7), "+c"(c7), "=d"(d7));
  f.amx_bf16 = (d7 >> 22) & 1u;
#endif
  return f;
}
}  // namespace

const CpuFeatures& cpuFeatures() {
  static const CpuFeatures features = detect();
  return features;
}

}  // namespace folio::kernels
