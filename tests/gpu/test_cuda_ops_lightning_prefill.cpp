// Lightning prefill on the device (tensor-core kernel for D 64/128, sequential and chunked forms; scalar
// fallback otherwise) vs ref::lightningPrefillHead at the sizes that stress the block walk: one token,
// exactly one block, one past a block, many blocks and groups with a ragged end, chunked launch sequences
// split into several super-chunks, and buffers whose alignment forces the fallback.
// Tolerance: 5e-5 normalised. The tensor-core path multiplies in 3xTF32 (≈2^-22 per product), but over
// 1,093 tokens with a carried state the H200 measured up to 1.9e-5 normalised (the dropped small×small
// term and the block-order accumulation), against ≤ 1e-5 for the scalar fp32 kernel.
#include <gtest/gtest.h>

#include <vector>

#include "gpu_test_util.h"
#include "kernels/cpu/ref_lightning.h"
#include "kernels/cuda/lightning_prefill.h"

namespace {

using folio::gputest::DeviceBuffer;
using folio::gputest::expectClose;
using folio::gputest::randomFloats;
namespace kc = folio::kernels::cuda;
namespace ref = folio::kernels::ref;
using Path = kc::detail::LightningPrefillPath;

const std::vector<double> kDecays = {0.5, 0.01, 1e-6, 0.07};  // fast, medium, late-layer, in between
const int64_t kHeads = static_cast<int64_t>(kDecays.size());

struct PrefillCase {
  int64_t T, D;
  size_t qkvOffset = 0, outOffset = 0;  // floats before the first element (misalign the buffers)
  Path path = Path::Auto;
  int64_t maxGroupsPerLaunch = 0;  // chunked: groups per super-chunk (0: the kernel's own budget)
};

const char* pathName(Path p) { return p == Path::Sequential ? "sequential" : p == Path::Chunked ? "chunked" : "auto"; }

// Runs one prefill from a random state with pending decode decay on the device and on the host and
// compares outputs, states and the cleared pending counts.
void expectPrefillMatchesReference(const PrefillCase& c) {
  const int64_t T = c.T, D = c.D, H = kHeads, row = H * 3 * D;
  SCOPED_TRACE(testing::Message() << "T=" << T << " D=" << D << " offsets " << c.qkvOffset << "/" << c.outOffset
                                  << " path " << pathName(c.path) << " groups/launch " << c.maxGroupsPerLaunch);
  const auto qkv = randomFloats(static_cast<size_t>(T * row), static_cast<uint32_t>(T * 7 + D), 0.0f, 0.3f);
  std::vector<float> state = randomFloats(static_cast<size_t>(H * D * D), 5, -0.1f, 0.1f);
  std::vector<int32_t> pending = {0, 5, 1000, 3};
  DeviceBuffer<double> ddecay(kDecays);
  DeviceBuffer<float> dstate(state);
  DeviceBuffer<int32_t> dpending(pending);

  std::vector<float> want(static_cast<size_t>(T * H * D));
  for (int64_t h = 0; h < H; ++h) {
    const float* q = qkv.data() + h * 3 * D;
    ref::lightningPrefillHead(q, q + D, q + 2 * D, row, T, D, kDecays[static_cast<size_t>(h)], state.data() + h * D * D,
                              &pending[static_cast<size_t>(h)], want.data() + h * D, H * D);
  }

  std::vector<float> paddedQkv(c.qkvOffset, 0.0f);
  paddedQkv.insert(paddedQkv.end(), qkv.begin(), qkv.end());
  DeviceBuffer<float> dqkv(paddedQkv), dout(c.outOffset + want.size());
  dout.poison();
  kc::detail::lightningPrefillWithPath(c.path, dqkv.get() + c.qkvOffset, T, H, D, ddecay.get(), dstate.get(),
                                       dpending.get(), dout.get() + c.outOffset, nullptr, c.maxGroupsPerLaunch);
  const auto got = dout.download();
  expectClose(std::vector<float>(got.begin() + static_cast<int64_t>(c.outOffset), got.end()), want, 5e-5,
              "prefill out");
  expectClose(dstate.download(), state, 5e-5, "prefill state");
  EXPECT_EQ(dpending.download(), std::vector<int32_t>(static_cast<size_t>(H), 0));
}

class CudaLightningPrefill : public ::testing::TestWithParam<int64_t> {};  // head dim D

TEST_P(CudaLightningPrefill, BlockEdgesAndManyBlocks) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const Path path : {Path::Sequential, Path::Chunked})
    for (const int64_t T : {1, 63, 64, 65, 128, 1093}) expectPrefillMatchesReference({T, GetParam(), 0, 0, path});
}

// The chunked form carries the state between super-chunks through the scan: 1093 tokens are 5 groups of
// 256 (the last ragged); 1 or 2 groups per launch sequence give 5 or 3 super-chunks, 512 tokens end on one.
TEST_P(CudaLightningPrefill, ChunkedAcrossSuperChunks) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const int64_t groups : {1, 2})
    for (const int64_t T : {512, 1093})
      expectPrefillMatchesReference({T, GetParam(), 0, 0, Path::Chunked, groups});
}

TEST_P(CudaLightningPrefill, UnalignedBuffersFallBackAndMatch) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  expectPrefillMatchesReference({130, GetParam(), 1, 0});
  expectPrefillMatchesReference({130, GetParam(), 0, 3});
}

// 64 and 128 take the tensor-core kernels; 40 and 256 the scalar one whatever the path.
INSTANTIATE_TEST_SUITE_P(HeadDims, CudaLightningPrefill, ::testing::Values(64, 128, 40, 256),
                         [](const auto& info) { return "D" + std::to_string(info.param); });

}  // namespace
