// kvAppend + softmaxAttention (flash prefill for T > 1 in both forms of softmax_forms.h, GQA decode for
// T = 1, with and without the split-over-positions scratch) vs ref::softmaxAttention over the same cache
// contents: a bf16 cache (reference over bf16-rounded K/V) and an fp32 cache (reference over the exact
// K/V), grouped-query heads, odd head dims, groups larger than one decode CTA serves.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "gpu_test_util.h"
#include "kernels/cpu/ref_softmax_attention.h"
#include "kernels/cuda/softmax_forms.h"

namespace {

using folio::gputest::DeviceBuffer;
using folio::gputest::expectClose;
using folio::gputest::randomFloats;
namespace kc = folio::kernels::cuda;
namespace ref = folio::kernels::ref;
using folio::kernels::cuda::detail::SoftmaxDecodePath;
using folio::kernels::cuda::detail::SoftmaxPrefillPath;

struct Case {
  int64_t D, H, KV, p0, T;
};

enum class Scratch { None, Split };

// The host reference cache: the exact rows for an fp32 cache, bf16-rounded for a bf16 one.
template <typename CacheT>
std::vector<float> asStored(const std::vector<float>& rows) {
  if constexpr (std::is_same_v<CacheT, float>) return rows;
  else return folio::gputest::roundedToBf16(rows);
}

template <typename CacheT>
std::vector<CacheT> toCache(const std::vector<float>& rows) {
  if constexpr (std::is_same_v<CacheT, float>) return rows;
  else return folio::gputest::toBf16(rows);
}

// Whether the prefill of this case runs on tensor cores (softmax_forms.h's Auto rule).
template <typename CacheT>
bool onTensorCores(const Case& c, SoftmaxPrefillPath path) {
  return std::is_same_v<CacheT, uint16_t> && c.T > 1 && (c.D == 64 || c.D == 128) &&
         path != SoftmaxPrefillPath::Scalar;
}

// gotOut (optional) receives the device output, for comparisons between paths.
template <typename CacheT>
void runCase(const Case& c, Scratch scratch = Scratch::None, SoftmaxPrefillPath path = SoftmaxPrefillPath::Auto,
             std::vector<float>* gotOut = nullptr, SoftmaxDecodePath decodePath = SoftmaxDecodePath::Auto) {
  constexpr bool kF32 = std::is_same_v<CacheT, float>;
  const bool tensorCores =
      onTensorCores<CacheT>(c, path) || (c.T == 1 && decodePath == SoftmaxDecodePath::TensorCore);
  SCOPED_TRACE(testing::Message() << (kF32 ? "fp32" : "bf16") << " cache, D=" << c.D << " H=" << c.H
                                  << " KV=" << c.KV << " p0=" << c.p0 << " T=" << c.T
                                  << (scratch == Scratch::Split ? " split" : "")
                                  << (tensorCores ? " tensor cores" : ""));
  const int64_t P = c.p0 + c.T + 3, kvRow = c.KV * c.D;
  // cache rows before p0 come from earlier chunks; this chunk's k/v sit in a wider row (stride ldk)
  const int64_t ldk = kvRow + 7, ldq = c.H * c.D + 5;
  const auto earlier = randomFloats(static_cast<size_t>(c.p0 * kvRow * 2), 1, -2.0f, 2.0f);
  const auto kv = randomFloats(static_cast<size_t>(c.T * ldk * 2), 2, -2.0f, 2.0f);  // k rows then v rows
  const auto q = randomFloats(static_cast<size_t>(c.T * ldq), 3, -2.0f, 2.0f);
  std::vector<float> kcache(static_cast<size_t>(P * kvRow)), vcache(kcache.size());
  for (int64_t i = 0; i < c.p0 * kvRow; ++i) {
    kcache[static_cast<size_t>(i)] = earlier[static_cast<size_t>(i)];
    vcache[static_cast<size_t>(i)] = earlier[static_cast<size_t>(c.p0 * kvRow + i)];
  }
  const float* kIn = kv.data();
  const float* vIn = kv.data() + c.T * ldk;
  for (int64_t t = 0; t < c.T; ++t)
    for (int64_t i = 0; i < kvRow; ++i) {
      kcache[static_cast<size_t>((c.p0 + t) * kvRow + i)] = kIn[t * ldk + i];
      vcache[static_cast<size_t>((c.p0 + t) * kvRow + i)] = vIn[t * ldk + i];
    }
  const auto kStored = asStored<CacheT>(kcache), vStored = asStored<CacheT>(vcache);
  std::vector<float> qPacked(static_cast<size_t>(c.T * c.H * c.D));
  for (int64_t t = 0; t < c.T; ++t)
    for (int64_t i = 0; i < c.H * c.D; ++i)
      qPacked[static_cast<size_t>(t * c.H * c.D + i)] = q[static_cast<size_t>(t * ldq + i)];
  std::vector<float> want(qPacked.size()), scores(static_cast<size_t>(c.p0 + c.T));
  ref::softmaxAttention(qPacked.data(), kStored.data(), vStored.data(), c.p0, c.T, c.H, c.KV, c.D, want.data(), 0,
                        c.H, scores.data());

  // the device cache: earlier rows uploaded, this chunk appended by kvAppend, the rest poisoned
  DeviceBuffer<CacheT> dk(static_cast<size_t>(P * kvRow)), dv(static_cast<size_t>(P * kvRow));
  dk.poison(), dv.poison();
  auto kEarlier = toCache<CacheT>(kcache), vEarlier = toCache<CacheT>(vcache);
  const auto kAll = kEarlier;
  kEarlier.resize(static_cast<size_t>(c.p0 * kvRow)), vEarlier.resize(static_cast<size_t>(c.p0 * kvRow));
  if (c.p0 > 0) dk.upload(kEarlier), dv.upload(vEarlier);
  DeviceBuffer<float> dkv(kv), dq(q), dout(want.size());
  dout.poison();
  kc::kvAppend(dkv.get(), ldk, dkv.get() + c.T * ldk, ldk, c.T, c.KV, c.D, dk.get(), dv.get(), c.p0, nullptr);
  const auto gotK = dk.download();
  for (int64_t i = 0; i < (c.p0 + c.T) * kvRow; ++i) {
    const size_t u = static_cast<size_t>(i);
    ASSERT_EQ(std::memcmp(&gotK[u], &kAll[u], sizeof(CacheT)), 0) << "k cache " << i;
  }
  std::vector<uint8_t> poisoned(sizeof(CacheT), 0xFF);
  for (int64_t i = (c.p0 + c.T) * kvRow; i < P * kvRow; ++i)
    ASSERT_EQ(std::memcmp(&gotK[static_cast<size_t>(i)], poisoned.data(), sizeof(CacheT)), 0)
        << "row past the chunk " << i;
  if (scratch == Scratch::Split) {
    const int64_t bytes = kc::attentionDecodeScratchBytes(c.H, c.D);
    DeviceBuffer<std::byte> part(static_cast<size_t>(bytes));
    part.poison();  // partials of ranges that were not written would show as NaN
    if constexpr (!kF32) {
      folio::kernels::cuda::detail::softmaxDecodeWithPath(decodePath, dq.get(), dk.get(), dv.get(), c.p0, c.H, c.KV,
                                                          c.D, dout.get(), part.get(), bytes, nullptr);
    } else {
      kc::softmaxAttention(dq.get(), ldq, dk.get(), dv.get(), c.p0, c.T, c.H, c.KV, c.D, dout.get(), part.get(),
                           bytes, nullptr);
    }
  } else if constexpr (!kF32) {
    folio::kernels::cuda::detail::softmaxAttentionWithPath(path, dq.get(), ldq, dk.get(), dv.get(), c.p0, c.T, c.H,
                                                           c.KV, c.D, dout.get(), nullptr);
  } else {
    kc::softmaxAttention(dq.get(), ldq, dk.get(), dv.get(), c.p0, c.T, c.H, c.KV, c.D, dout.get(), nullptr);
  }
  // fp32 products: only summation order differs from the reference — but the split decode merges
  // per-range partial softmaxes (rescaled by e^{m_i − m}), which measured up to 6.6e-6 normalised on
  // an H200 at P = 70,000; 1e-5 bounds both cache types. Tensor cores (prefill or decode) round q and the
  // probabilities to bf16: a float64 emulation of exactly that rounding (tools/reference/
  // attention_bf16_error.py, *_lane_emulation.py) gives 0.4e-3 … 3e-3 normalised on these shapes, so 5e-3.
  const auto got = dout.download();
  expectClose(got, want, tensorCores ? 5e-3 : 1e-5, "attention");
  if (gotOut) *gotOut = got;
}

template <typename CacheT>
class CudaSoftmaxAttention : public testing::Test {};
using CacheTypes = testing::Types<uint16_t, float>;
TYPED_TEST_SUITE(CudaSoftmaxAttention, CacheTypes);

// The scalar (fp32) prefill; for a bf16 cache it is forced, as Auto takes tensor cores at D = 64/128.
TYPED_TEST(CudaSoftmaxAttention, PrefillMatchesReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const SoftmaxPrefillPath scalar = SoftmaxPrefillPath::Scalar;
  for (const int64_t D : {64, 128})
    for (const int64_t T : {3, 77, 300}) runCase<TypeParam>({D, 6, 2, 0, T}, Scratch::None, scalar);
  runCase<TypeParam>({128, 6, 6, 45, 33}, Scratch::None, scalar);  // a second chunk after 45 positions, no grouping
  runCase<TypeParam>({64, 4, 1, 300, 2}, Scratch::None, scalar);   // two new tokens over a long cache, one kv-head
  runCase<TypeParam>({40, 3, 3, 10, 50}, Scratch::None, scalar);   // a head dim that fills no vector
}

// The tensor-core prefill (bf16 cache, D = 64/128) at 64-row/64-key tile edges: partial last query tiles,
// chunks starting mid-tile (p0 not a multiple of 64), query tiles whose warps see different key tiles,
// grouped heads 1/2/4/6 per kv head, and rows past the chunk poisoned in the cache (zero-filled, not read).
TEST(CudaSoftmaxAttentionTensorCore, PrefillMatchesReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const SoftmaxPrefillPath tc = SoftmaxPrefillPath::TensorCore;
  for (const int64_t D : {64, 128}) {
    for (const int64_t T : {2, 3, 63, 64, 65, 77, 129, 300}) runCase<uint16_t>({D, 6, 2, 0, T}, Scratch::None, tc);
    runCase<uint16_t>({D, 6, 6, 45, 33}, Scratch::None, tc);    // a second chunk after 45 positions
    runCase<uint16_t>({D, 4, 1, 300, 2}, Scratch::None, tc);    // two new tokens over a long cache
    runCase<uint16_t>({D, 8, 2, 100, 1000}, Scratch::None, tc); // 16 query tiles, 18 key tiles
    runCase<uint16_t>({D, 3, 3, 4000, 130}, Scratch::None, tc); // a long cache before a short chunk
  }
}

// Auto takes the tensor-core form for a bf16 cache at D = 64/128: the same bits as forcing it.
TEST(CudaSoftmaxAttentionTensorCore, AutoPicksTensorCores) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const Case c{128, 4, 2, 17, 150};
  std::vector<float> forced, automatic;
  runCase<uint16_t>(c, Scratch::None, SoftmaxPrefillPath::TensorCore, &forced);
  runCase<uint16_t>(c, Scratch::None, SoftmaxPrefillPath::Auto, &automatic);
  ASSERT_EQ(forced.size(), automatic.size());
  ASSERT_FALSE(forced.empty());
  EXPECT_EQ(std::memcmp(forced.data(), automatic.data(), forced.size() * sizeof(float)), 0);
}

// The tensor-core decode (bf16 cache, D = 64/128, split over positions): one key, partial tiles, more
// ranges than keys need (empty ones), many ranges at 70,000 positions, 1 … 24 query heads per kv head
// (two CTAs per group past 16).
TEST(CudaSoftmaxAttentionTensorCore, DecodeMatchesReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const SoftmaxDecodePath tc = SoftmaxDecodePath::TensorCore;
  for (const int64_t D : {64, 128}) {
    for (const int64_t p0 : {0, 1, 5, 63, 64, 300, 4099})
      runCase<uint16_t>({D, 6, 2, p0, 1}, Scratch::Split, SoftmaxPrefillPath::Auto, nullptr, tc);
    runCase<uint16_t>({D, 8, 8, 200, 1}, Scratch::Split, SoftmaxPrefillPath::Auto, nullptr, tc);   // one head each
    runCase<uint16_t>({D, 24, 1, 500, 1}, Scratch::Split, SoftmaxPrefillPath::Auto, nullptr, tc);  // 24 per kv head
  }
  runCase<uint16_t>({128, 16, 2, 70000, 1}, Scratch::Split, SoftmaxPrefillPath::Auto, nullptr, tc);
}

TEST(CudaSoftmaxAttentionTensorCore, RefusesHeadDimsItDoesNotTake) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  DeviceBuffer<float> q(64 * 40), out(64 * 40);
  DeviceBuffer<uint16_t> k(64 * 40), v(64 * 40);
  EXPECT_THROW(folio::kernels::cuda::detail::softmaxAttentionWithPath(SoftmaxPrefillPath::TensorCore, q.get(), 40,
                                                                      k.get(), v.get(), 0, 8, 1, 1, 40, out.get(),
                                                                      nullptr),
               std::invalid_argument);
  // the tensor-core decode needs the scratch
  DeviceBuffer<float> q1(128), out1(128);
  DeviceBuffer<uint16_t> k1(128 * 4), v1(128 * 4);
  EXPECT_THROW(folio::kernels::cuda::detail::softmaxDecodeWithPath(SoftmaxDecodePath::TensorCore, q1.get(), k1.get(),
                                                                   v1.get(), 3, 1, 1, 128, out1.get(), nullptr, 0,
                                                                   nullptr),
               std::invalid_argument);
}

TYPED_TEST(CudaSoftmaxAttention, DecodeMatchesReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const Scratch s : {Scratch::None, Scratch::Split}) {
    for (const int64_t D : {64, 128, 256})
      for (const int64_t p0 : {0, 1, 5, 31, 300, 4099}) runCase<TypeParam>({D, 6, 2, p0, 1}, s);
    runCase<TypeParam>({40, 3, 1, 77, 1}, s);     // lanes past D, no vector loads at the row end
    runCase<TypeParam>({33, 4, 2, 130, 1}, s);    // an odd head dim: scalar loads
    runCase<TypeParam>({36, 4, 2, 130, 1}, s);    // bf16 rows of 72 bytes: staged without cp.async, read as vectors
    runCase<TypeParam>({64, 24, 2, 200, 1}, s);   // 12 query heads per kv head: two CTAs per group
    runCase<TypeParam>({256, 12, 2, 90, 1}, s);   // D = 256 serves 4 query heads per CTA
  }
  // many ranges: more splits than one per SM-worth, the last ones short or empty
  runCase<TypeParam>({128, 16, 2, 70000, 1}, Scratch::Split);
}

TEST(CudaSoftmaxAttentionArgs, RejectsHeadsNotAMultipleOfKvHeads) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  EXPECT_THROW(kc::softmaxAttention(nullptr, 5 * 64, static_cast<const uint16_t*>(nullptr), nullptr, 0, 1, 5, 2, 64,
                                    nullptr, nullptr),
               std::invalid_argument);
}

TEST(CudaSoftmaxAttentionArgs, RejectsScratchTooSmall) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  EXPECT_THROW(kc::softmaxAttention(nullptr, 4 * 64, static_cast<const float*>(nullptr), nullptr, 0, 1, 4, 2, 64,
                                    nullptr, reinterpret_cast<void*>(256), 16, nullptr),
               std::invalid_argument);
}

}  // namespace
