// RMSNorm, RoPE, the elementwise ops, the shared-expert mix and greedy argmax vs the CPU references,
// with outputs poisoned first and NaN/inf inputs where the op propagates them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "gpu_test_util.h"
#include "kernels/cpu/ref_activation.h"
#include "kernels/cpu/ref_norm.h"
#include "kernels/cpu/ref_rope.h"

namespace {

using folio::gputest::DeviceBuffer;
using folio::gputest::expectClose;
using folio::gputest::randomFloats;
namespace kc = folio::kernels::cuda;
namespace ref = folio::kernels::ref;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(CudaNorm, RmsNormMatchesReferenceInPlaceAndOut) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const int64_t N : {1, 77, 384, 3 * 128}) {
    const int64_t T = 5;
    auto x = randomFloats(static_cast<size_t>(T * N), 1, -3.0f, 3.0f);
    x[static_cast<size_t>(N)] = kNaN;  // row 1 becomes all NaN
    const auto w = randomFloats(static_cast<size_t>(N), 2, 0.5f, 1.5f);
    std::vector<float> want(x.size());
    ref::rmsNorm(x.data(), T, N, w.data(), 1e-6f, want.data());
    DeviceBuffer<float> dx(x), dw(w), dy(x.size());
    dy.poison();
    kc::rmsNorm(dx.get(), T, N, dw.get(), 1e-6f, dy.get(), nullptr);
    expectClose(dy.download(), want, 1e-6, "rmsNorm out of place");
    kc::rmsNorm(dx.get(), T, N, dw.get(), 1e-6f, dx.get(), nullptr);
    expectClose(dx.download(), want, 1e-6, "rmsNorm in place");
  }
}

TEST(CudaNorm, NormSplitOverRanksMatchesTheWholeRow) {
  // tensor parallel: each of `parts` ranks holds a column slice of every row; the sums of squares of the
  // slices, added, normalise each slice as the whole row's norm does
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const auto& [N, parts] : std::vector<std::pair<int64_t, int64_t>>{{384, 3}, {77, 7}, {512, 2}}) {
    const int64_t T = 9, Nr = N / parts;
    const auto x = randomFloats(static_cast<size_t>(T * N), 3, -3.0f, 3.0f);
    const auto w = randomFloats(static_cast<size_t>(N), 4, 0.5f, 1.5f);
    std::vector<float> want(x.size());
    ref::rmsNorm(x.data(), T, N, w.data(), 1e-6f, want.data());
    std::vector<float> total(static_cast<size_t>(T), 0.0f), got(x.size());
    std::vector<std::vector<float>> slices;
    for (int64_t p = 0; p < parts; ++p) {
      std::vector<float> slice(static_cast<size_t>(T * Nr));
      for (int64_t t = 0; t < T; ++t)
        std::copy_n(x.begin() + t * N + p * Nr, Nr, slice.begin() + t * Nr);
      DeviceBuffer<float> dx(slice), dss(static_cast<size_t>(T));
      dss.poison();
      kc::rowSumSquares(dx.get(), T, Nr, dss.get(), nullptr);
      const auto ss = dss.download();
      for (int64_t t = 0; t < T; ++t) total[static_cast<size_t>(t)] += ss[static_cast<size_t>(t)];
      slices.push_back(std::move(slice));
    }
    DeviceBuffer<float> dtotal(total);
    for (int64_t p = 0; p < parts; ++p) {
      DeviceBuffer<float> dx(slices[static_cast<size_t>(p)]), dy(slices[static_cast<size_t>(p)].size());
      DeviceBuffer<float> dw(std::vector<float>(w.begin() + p * Nr, w.begin() + (p + 1) * Nr));
      dy.poison();
      kc::rmsNormWithSumSquares(dx.get(), T, Nr, dtotal.get(), N, dw.get(), 1e-6f, dy.get(), nullptr);
      const auto y = dy.download();
      for (int64_t t = 0; t < T; ++t)
        std::copy_n(y.begin() + t * Nr, Nr, got.begin() + t * N + p * Nr);
    }
    expectClose(got, want, 1e-6, "rmsNorm split over ranks");
  }
}

TEST(CudaRope, PartialNeoxMatchesReferenceWithRowStride) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const int64_t D : {64, 128}) {
    const int64_t T = 37, N = 3, rd = D / 2, ld = N * D + 5, pos0 = 1000;
    const auto strided = randomFloats(static_cast<size_t>(T * ld), 3);
    std::vector<float> packed(static_cast<size_t>(T * N * D));
    for (int64_t t = 0; t < T; ++t)
      for (int64_t i = 0; i < N * D; ++i) packed[static_cast<size_t>(t * N * D + i)] = strided[static_cast<size_t>(t * ld + i)];
    ref::ropeNeox(packed.data(), T, N, D, rd, 10000000.0, pos0);
    DeviceBuffer<float> dx(strided);
    kc::ropeNeox(dx.get(), T, N, D, ld, rd, 10000000.0, pos0, nullptr);
    const auto got = dx.download();
    std::vector<float> gotPacked(packed.size());
    for (int64_t t = 0; t < T; ++t) {
      for (int64_t i = 0; i < N * D; ++i) gotPacked[static_cast<size_t>(t * N * D + i)] = got[static_cast<size_t>(t * ld + i)];
      for (int64_t i = N * D; i < ld; ++i)  // the gap between rows is not touched
        ASSERT_EQ(got[static_cast<size_t>(t * ld + i)], strided[static_cast<size_t>(t * ld + i)]);
    }
    expectClose(gotPacked, packed, 1e-6, "rope");
  }
}

std::vector<float> withSpecials(std::vector<float> v) {
  v[3] = kNaN, v[10] = kInf, v[11] = -kInf;
  return v;
}

TEST(CudaElementwise, ActivationsMatchReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t n = 1001;
  const auto a = withSpecials(randomFloats(n, 4, -8.0f, 8.0f));
  const auto b = randomFloats(n, 5, -2.0f, 2.0f);
  {
    auto want = a;
    ref::silu(want.data(), n);
    DeviceBuffer<float> d(a);
    kc::siluInPlace(d.get(), n, nullptr);
    expectClose(d.download(), want, 1e-6, "silu");
  }
  {
    auto want = a;
    ref::sigmoid(want.data(), n);
    DeviceBuffer<float> d(a);
    kc::sigmoidInPlace(d.get(), n, nullptr);
    expectClose(d.download(), want, 1e-6, "sigmoid");
  }
  {
    std::vector<float> want(n);
    ref::siluMul(a.data(), b.data(), want.data(), n);
    DeviceBuffer<float> da(a), db(b), dout(n);
    dout.poison();
    kc::siluMul(da.get(), db.get(), dout.get(), n, nullptr);
    expectClose(dout.download(), want, 1e-6, "siluMul");
  }
}

TEST(CudaElementwise, MulAndResidualMixAreExact) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t n = 777;
  const auto x = withSpecials(randomFloats(n, 6)), y = randomFloats(n, 7), res = randomFloats(n, 8);
  std::vector<float> mul(n), mix(n);
  for (int64_t i = 0; i < n; ++i) {
    mul[static_cast<size_t>(i)] = x[static_cast<size_t>(i)] * y[static_cast<size_t>(i)];
    mix[static_cast<size_t>(i)] = 0.5f * res[static_cast<size_t>(i)] + 1.5f * y[static_cast<size_t>(i)];
  }
  DeviceBuffer<float> dx(x), dy(y), dres(res);
  kc::mulInPlace(dx.get(), dy.get(), n, nullptr);
  expectClose(dx.download(), mul, 0.0, "mulInPlace");
  dx.poison();
  kc::residualMix(dx.get(), dres.get(), 0.5f, dy.get(), 1.5f, n, nullptr);
  expectClose(dx.download(), mix, 1e-7, "residualMix");
}

TEST(CudaElementwise, SharedExpertMixMatchesCpuFormula) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t T = 7, C = 129;
  const auto moe = randomFloats(static_cast<size_t>(T * C), 9), shared = randomFloats(static_cast<size_t>(T * C), 10);
  const auto coef = randomFloats(static_cast<size_t>(T), 11, -4.0f, 4.0f);
  auto g = coef;
  ref::sigmoid(g.data(), T);
  std::vector<float> want(moe.size());
  for (int64_t t = 0; t < T; ++t)
    for (int64_t c = 0; c < C; ++c) {
      const size_t i = static_cast<size_t>(t * C + c);
      want[i] = moe[i] * (1.0f - g[static_cast<size_t>(t)]) + shared[i] * g[static_cast<size_t>(t)];
    }
  DeviceBuffer<float> dm(moe), ds(shared), dc(coef);
  kc::sharedExpertMix(dm.get(), ds.get(), dc.get(), T, C, nullptr);
  expectClose(dm.download(), want, 1e-6, "sharedExpertMix");
}

TEST(CudaSampling, ArgmaxRowsTakesTheLowestIdOnTies) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t T = 4, V = 50021;
  auto logits = randomFloats(static_cast<size_t>(T * V), 12, -10.0f, 10.0f);
  logits[0 * V + 7] = 50.0f;                                 // row 0: single max
  logits[1 * V + 40000] = 60.0f, logits[1 * V + 123] = 60.0f;  // row 1: tie -> 123
  logits[2 * V + V - 1] = 70.0f;                             // row 2: last id
  for (int64_t v = 0; v < V; ++v) logits[static_cast<size_t>(3 * V + v)] = 1.0f;  // row 3: all equal -> 0
  DeviceBuffer<float> dl(logits);
  DeviceBuffer<int32_t> dout(T);
  dout.poison();
  kc::argmaxRows(dl.get(), T, V, dout.get(), nullptr);
  EXPECT_EQ(dout.download(), (std::vector<int32_t>{7, 123, static_cast<int32_t>(V - 1), 0}));
}

}  // namespace
