// Lightning attention on the device vs ref::lightningPrefillHead / lightningDecodeHead: prefill at
// sizes that cross the device's blocks, prefill in chunks == one chunk == decode steps, a pending
// decode decay folded by prefill, and batched decode of independent sequences.
#include <gtest/gtest.h>

#include <cmath>

#include "gpu_test_util.h"
#include "kernels/cpu/ref_lightning.h"

namespace {

using folio::gputest::DeviceBuffer;
using folio::gputest::expectClose;
using folio::gputest::randomFloats;
namespace kc = folio::kernels::cuda;
namespace ref = folio::kernels::ref;

constexpr int64_t kH = 3;
const std::vector<double> kDecay = {0.5, 0.01, 1e-6};  // one fast, one medium, one late-layer decay

// The host model of the device state: per head the reference state and pending count.
struct HostLightning {
  int64_t H, D;
  std::vector<float> state;      // [H, D, D]
  std::vector<int32_t> pending;  // [H]
  HostLightning(int64_t h, int64_t d) : H(h), D(d), state(static_cast<size_t>(h * d * d)), pending(static_cast<size_t>(h)) {}

  // qkv [T, H, 3, D] -> out [T, H, D]
  std::vector<float> prefill(const std::vector<float>& qkv, int64_t T) {
    std::vector<float> out(static_cast<size_t>(T * H * D));
    for (int64_t h = 0; h < H; ++h) {
      const float* q = qkv.data() + h * 3 * D;
      ref::lightningPrefillHead(q, q + D, q + 2 * D, H * 3 * D, T, D, kDecay[static_cast<size_t>(h)],
                                state.data() + h * D * D, &pending[static_cast<size_t>(h)], out.data() + h * D, H * D);
    }
    return out;
  }
  std::vector<float> decode(const float* qkv) {  // qkv [H, 3, D] -> [H, D]
    std::vector<float> out(static_cast<size_t>(H * D));
    for (int64_t h = 0; h < H; ++h) {
      const float* q = qkv + h * 3 * D;
      ref::lightningDecodeHead(q, q + D, q + 2 * D, D, kDecay[static_cast<size_t>(h)], state.data() + h * D * D,
                               &pending[static_cast<size_t>(h)], out.data() + h * D);
    }
    return out;
  }
};

// The device state of one sequence.
struct DeviceLightning {
  DeviceBuffer<double> decay;
  DeviceBuffer<float> state;
  DeviceBuffer<int32_t> pending;
  explicit DeviceLightning(const HostLightning& h) : decay(kDecay), state(h.state), pending(h.pending) {}
};

std::vector<float> slice(const std::vector<float>& v, int64_t from, int64_t n) {
  return {v.begin() + from, v.begin() + from + n};
}

class CudaLightning : public ::testing::TestWithParam<int64_t> {};  // head dim D

TEST_P(CudaLightning, PrefillMatchesReferenceAcrossBlocks) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t D = GetParam();
  for (const int64_t T : {1, 3, 77, 300}) {
    SCOPED_TRACE(testing::Message() << "T=" << T << " D=" << D);
    const auto qkv = randomFloats(static_cast<size_t>(T * kH * 3 * D), static_cast<uint32_t>(T), 0.0f, 0.3f);
    HostLightning host(kH, D);
    host.state = randomFloats(host.state.size(), 99, -0.1f, 0.1f);  // a state left by earlier tokens
    host.pending = {0, 5, 1000};                                      // and some deferred decode decay
    DeviceLightning dev(host);
    const auto want = host.prefill(qkv, T);
    DeviceBuffer<float> dqkv(qkv), dout(want.size());
    dout.poison();
    kc::lightningPrefill(dqkv.get(), T, kH, D, dev.decay.get(), dev.state.get(), dev.pending.get(), dout.get(), nullptr);
    expectClose(dout.download(), want, 1e-5, "prefill out");
    expectClose(dev.state.download(), host.state, 1e-5, "prefill state");
    EXPECT_EQ(dev.pending.download(), std::vector<int32_t>(kH, 0));
  }
}

TEST_P(CudaLightning, ChunkedPrefillEqualsOneChunkEqualsDecodeSteps) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t D = GetParam(), T = 300, row = kH * 3 * D;
  const auto qkv = randomFloats(static_cast<size_t>(T * row), 21, 0.0f, 0.3f);
  HostLightning zero(kH, D);
  DeviceBuffer<float> dqkv(qkv);

  DeviceLightning one(zero);
  DeviceBuffer<float> outOne(static_cast<size_t>(T * kH * D));
  kc::lightningPrefill(dqkv.get(), T, kH, D, one.decay.get(), one.state.get(), one.pending.get(), outOne.get(), nullptr);

  DeviceLightning chunks(zero);
  DeviceBuffer<float> outChunks(static_cast<size_t>(T * kH * D));
  outChunks.poison();
  for (const auto& [t0, n] : std::vector<std::pair<int64_t, int64_t>>{{0, 1}, {1, 99}, {100, 157}, {257, 43}})
    kc::lightningPrefill(dqkv.get() + t0 * row, n, kH, D, chunks.decay.get(), chunks.state.get(), chunks.pending.get(),
                         outChunks.get() + t0 * kH * D, nullptr);

  DeviceLightning steps(zero);
  DeviceBuffer<float> outSteps(static_cast<size_t>(T * kH * D));
  outSteps.poison();
  for (int64_t t = 0; t < T; ++t)
    kc::lightningDecode(dqkv.get() + t * row, kH, D, steps.decay.get(), steps.state.get(), steps.pending.get(),
                        outSteps.get() + t * kH * D, nullptr);

  const auto reference = outOne.download();
  expectClose(outChunks.download(), reference, 1e-5, "chunks vs one");
  expectClose(outSteps.download(), reference, 1e-4, "decode vs prefill");
  // the decode state still carries pending decay: fold it on the host to compare the states
  HostLightning folded(kH, D);
  folded.state = steps.state.download();
  folded.pending = steps.pending.download();
  for (int64_t h = 0; h < kH; ++h)
    ref::lightningFoldHead(folded.state.data() + h * D * D, D, kDecay[static_cast<size_t>(h)],
                           &folded.pending[static_cast<size_t>(h)]);
  expectClose(chunks.state.download(), one.state.download(), 1e-5, "state chunks vs one");
  expectClose(folded.state, one.state.download(), 1e-4, "state decode vs prefill");
}

TEST_P(CudaLightning, DecodeMatchesReferenceIncludingFolds) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t D = GetParam(), steps = 40, row = kH * 3 * D;
  const auto qkv = randomFloats(static_cast<size_t>(steps * row), 31, 0.0f, 0.3f);
  HostLightning host(kH, D);
  host.state = randomFloats(host.state.size(), 32, -0.1f, 0.1f);
  host.pending = {14, 0, 7};  // head 0 (s = 0.5) folds on its third step, when 0.5·(pending + 1) passes 8
  DeviceLightning dev(host);
  DeviceBuffer<float> dqkv(qkv), dout(static_cast<size_t>(kH * D));
  for (int64_t t = 0; t < steps; ++t) {
    SCOPED_TRACE(testing::Message() << "step " << t);
    const auto want = host.decode(qkv.data() + t * row);
    dout.poison();
    kc::lightningDecode(dqkv.get() + t * row, kH, D, dev.decay.get(), dev.state.get(), dev.pending.get(), dout.get(),
                        nullptr);
    expectClose(dout.download(), want, 1e-5, "decode out");
    ASSERT_EQ(dev.pending.download(), host.pending);
  }
  expectClose(dev.state.download(), host.state, 1e-5, "decode state");
}

TEST_P(CudaLightning, BatchedDecodeRunsEachSequenceIndependently) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t D = GetParam(), B = 5, row = kH * 3 * D;
  const auto qkv = randomFloats(static_cast<size_t>(B * row), 41, 0.0f, 0.3f);
  std::vector<HostLightning> hosts;
  std::vector<float> states, want;
  std::vector<int32_t> pendings;
  for (int64_t b = 0; b < B; ++b) {
    hosts.emplace_back(kH, D);
    hosts.back().state = randomFloats(hosts.back().state.size(), static_cast<uint32_t>(50 + b), -0.1f, 0.1f);
    hosts.back().pending = {static_cast<int32_t>(b), static_cast<int32_t>(3 * b), 0};
    states.insert(states.end(), hosts.back().state.begin(), hosts.back().state.end());
    pendings.insert(pendings.end(), hosts.back().pending.begin(), hosts.back().pending.end());
  }
  for (int64_t b = 0; b < B; ++b) {
    const auto o = hosts[static_cast<size_t>(b)].decode(qkv.data() + b * row);
    want.insert(want.end(), o.begin(), o.end());
  }
  DeviceBuffer<double> decay(kDecay);
  DeviceBuffer<float> dstates(states), dqkv(qkv), dout(want.size());
  DeviceBuffer<int32_t> dpend(pendings);
  dout.poison();
  kc::lightningDecodeBatch(dqkv.get(), B, kH, D, decay.get(), dstates.get(), dpend.get(), dout.get(), nullptr);
  expectClose(dout.download(), want, 1e-5, "batched decode out");
  const auto gotStates = dstates.download();
  for (int64_t b = 0; b < B; ++b)
    expectClose(slice(gotStates, b * kH * D * D, kH * D * D), hosts[static_cast<size_t>(b)].state, 1e-5, "batched state");
}

INSTANTIATE_TEST_SUITE_P(HeadDims, CudaLightning, ::testing::Values(64, 128, 40, 33),
                         [](const auto& info) { return "D" + std::to_string(info.param); });

}  // namespace
