#include "app/bench/machine_limits.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "kernels/cpu/avx512_target.h"
#include "kernels/cpu/kernel_level.h"

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

template <class Fn>
double timeOnThreads(int threads, Fn&& fn) {
  std::vector<std::thread> ts;
  const double t0 = now();
  for (int w = 0; w < threads; ++w) ts.emplace_back([&, w] { fn(w); });
  for (auto& t : ts) t.join();
  return now() - t0;
}

}  // namespace

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
namespace {
// 12 independent FMA chains (enough to cover latency × throughput), `iters` rounds.
float fmaLoopAvx2(int64_t iters) {
  __m256 a[12];
  for (int i = 0; i < 12; ++i) a[i] = _mm256_set1_ps(0.001f * float(i));
  const __m256 m = _mm256_set1_ps(0.9999f), c = _mm256_set1_ps(1e-6f);
  for (int64_t r = 0; r < iters; ++r)
    for (int i = 0; i < 12; ++i) a[i] = _mm256_fmadd_ps(a[i], m, c);
  __m256 s = a[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, a[i]);
  alignas(32) float out[8];
  _mm256_store_ps(out, s);
  return out[0];
}
}  // namespace
FOLIO_AVX2_END

FOLIO_AVX512_BEGIN
namespace {
// The same 12 chains on 16-lane vectors.
float fmaLoopAvx512(int64_t iters) {
  __m512 a[12];
  for (int i = 0; i < 12; ++i) a[i] = _mm512_set1_ps(0.001f * float(i));
  const __m512 m = _mm512_set1_ps(0.9999f), c = _mm512_set1_ps(1e-6f);
  for (int64_t r = 0; r < iters; ++r)
    for (int i = 0; i < 12; ++i) a[i] = _mm512_fmadd_ps(a[i], m, c);
  __m512 s = a[0];
  for (int i = 1; i < 12; ++i) s = _mm512_add_ps(s, a[i]);
  alignas(64) float out[16];
  _mm512_store_ps(out, s);
  return out[0];
}
}  // namespace
FOLIO_AVX512_END
#endif

namespace folio::bench {

MachineLimits measureLimits(int threads) {
  MachineLimits m;
  const folio::kernels::KernelLevel level = folio::kernels::kernelLevel();
  m.level = folio::kernels::kernelLevelName(level);
  // triad a = b + s·c over 3 × 128 MiB
  const size_t n = size_t{32} << 20;
  std::vector<float> a(n, 0.0f), b(n, 1.0f), c(n, 2.0f);
  for (int rep = 0; rep < 5; ++rep) {
    const double t = timeOnThreads(threads, [&](int w) {
      const size_t lo = n * static_cast<size_t>(w) / static_cast<size_t>(threads);
      const size_t hi = n * static_cast<size_t>(w + 1) / static_cast<size_t>(threads);
      float* pa = a.data();
      const float* pb = b.data();
      const float* pc = c.data();
      for (size_t i = lo; i < hi; ++i) pa[i] = pb[i] + 3.0f * pc[i];
    });
    m.triad_gbs = std::max(m.triad_gbs, 3.0 * 4.0 * static_cast<double>(n) / t / 1e9);
  }
#if FOLIO_HAVE_X86
  if (level != folio::kernels::KernelLevel::Reference) {
    const bool wide = level == folio::kernels::KernelLevel::Avx512;
    const double lanes = wide ? 16 : 8;
    const int64_t iters = 20'000'000;
    volatile float sink = 0;
    for (int rep = 0; rep < 3; ++rep) {
      const double t = timeOnThreads(threads, [&](int) { sink = sink + (wide ? fmaLoopAvx512(iters) : fmaLoopAvx2(iters)); });
      m.fma_peak_gflops = std::max(m.fma_peak_gflops, 2.0 * lanes * 12 * static_cast<double>(iters) * threads / t / 1e9);
    }
  }
#endif
  return m;
}

}  // namespace folio::bench
