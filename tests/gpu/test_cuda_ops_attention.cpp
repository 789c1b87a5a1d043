// kvAppend + softmaxAttention (flash prefill for T > 1, cluster split-K decode for T = 1) vs
// ref::softmaxAttention over the same bf16-rounded cache, with grouped-query heads.
#include <gtest/gtest.h>

#include "gpu_test_util.h"
#include "kernels/cpu/ref_softmax_attention.h"

namespace {

using folio::gputest::DeviceBuffer;
using folio::gputest::expectClose;
using folio::gputest::randomFloats;
namespace kc = folio::kernels::cuda;
namespace ref = folio::kernels::ref;

struct Case {
  int64_t D, H, KV, p0, T;
};

void runCase(const Case& c) {
  SCOPED_TRACE(testing::Message() << "D=" << c.D << " H=" << c.H << " KV=" << c.KV << " p0=" << c.p0 << " T=" << c.T);
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
  const auto kRounded = folio::gputest::roundedToBf16(kcache), vRounded = folio::gputest::roundedToBf16(vcache);
  std::vector<float> qPacked(static_cast<size_t>(c.T * c.H * c.D));
  for (int64_t t = 0; t < c.T; ++t)
    for (int64_t i = 0; i < c.H * c.D; ++i) qPacked[static_cast<size_t>(t * c.H * c.D + i)] = q[static_cast<size_t>(t * ldq + i)];
  std::vector<float> want(qPacked.size()), scores(static_cast<size_t>(c.p0 + c.T));
  ref::softmaxAttention(qPacked.data(), kRounded.data(), vRounded.data(), c.p0, c.T, c.H, c.KV, c.D, want.data(), 0,
                        c.H, scores.data());

  // the device cache: earlier rows uploaded, this chunk appended by kvAppend, the rest poisoned
  DeviceBuffer<uint16_t> dk(static_cast<size_t>(P * kvRow)), dv(static_cast<size_t>(P * kvRow));
  dk.poison(), dv.poison();
  auto kBits = folio::gputest::toBf16(kcache), vBits = folio::gputest::toBf16(vcache);
  kBits.resize(static_cast<size_t>(c.p0 * kvRow)), vBits.resize(static_cast<size_t>(c.p0 * kvRow));
  if (c.p0 > 0) dk.upload(kBits), dv.upload(vBits);
  DeviceBuffer<float> dkv(kv), dq(q), dout(want.size());
  dout.poison();
  kc::kvAppend(dkv.get(), ldk, dkv.get() + c.T * ldk, ldk, c.T, c.KV, c.D, dk.get(), dv.get(), c.p0, nullptr);
  const auto gotK = dk.download();
  for (int64_t i = 0; i < (c.p0 + c.T) * kvRow; ++i)
    ASSERT_EQ(gotK[static_cast<size_t>(i)], folio::kernels::f32ToBf16(kcache[static_cast<size_t>(i)])) << "k cache " << i;
  for (int64_t i = (c.p0 + c.T) * kvRow; i < P * kvRow; ++i) ASSERT_EQ(gotK[static_cast<size_t>(i)], 0xFFFF) << i;
  kc::softmaxAttention(dq.get(), ldq, dk.get(), dv.get(), c.p0, c.T, c.H, c.KV, c.D, dout.get(), nullptr);
  expectClose(dout.download(), want, 1e-5, "attention");
}

TEST(CudaSoftmaxAttention, PrefillMatchesReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const int64_t D : {64, 128})
    for (const int64_t T : {3, 77, 300}) runCase({D, 6, 2, 0, T});
  runCase({128, 6, 6, 45, 33});   // a second chunk after 45 cached positions, no grouping
  runCase({64, 4, 1, 300, 2});    // two new tokens over a long cache, one kv-head
  runCase({40, 3, 3, 10, 50});    // a head dim that fills no vector
}

TEST(CudaSoftmaxAttention, DecodeMatchesReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const int64_t D : {64, 128, 256})
    for (const int64_t p0 : {0, 1, 5, 31, 300, 4099}) runCase({D, 6, 2, p0, 1});
  runCase({40, 3, 1, 77, 1});
}

TEST(CudaSoftmaxAttention, RejectsHeadsNotAMultipleOfKvHeads) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  EXPECT_THROW(kc::softmaxAttention(nullptr, 5 * 64, nullptr, nullptr, 0, 1, 5, 2, 64, nullptr, nullptr),
               std::invalid_argument);
}

}  // namespace
