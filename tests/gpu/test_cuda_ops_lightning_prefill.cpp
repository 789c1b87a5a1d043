// Lightning prefill on the device (tensor-core kernel for D 64/128, sequential and chunked forms; scalar
// fallback otherwise) vs ref::lightningPrefillHead at the sizes that stress the block walk: one token,
// exactly one block, one past a block, many blocks and groups with a ragged end, chunked launch sequences
// split into several super-chunks, and buffers whose alignment forces the fallback.
// Tolerance: 5e-5 normalised. The tensor-core path multiplies in 3xTF32 (≈2^-22 per product), but over
// 1,093 tokens with a carried state the H200 measured up to 1.9e-5 normalised (the dropped small×small
// term and the block-order accumulation), against ≤ 1e-5 for the scalar fp32 kernel.
// The Tf32 precision (bf16/i8 models) and the Bf16 register-tile kernel are checked at the end of the file
// with their own tolerances.
#include <gtest/gtest.h>

#include <string>
#include <utility>
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
using Precision = kc::LightningPrecision;

const std::vector<double> kDecays = {0.5, 0.01, 1e-6, 0.07};  // fast, medium, late-layer, in between
const int64_t kHeads = static_cast<int64_t>(kDecays.size());

struct PrefillCase {
  int64_t T, D;
  size_t qkvOffset = 0, outOffset = 0;  // floats before the first element (misalign the buffers)
  Path path = Path::Auto;
  int64_t maxGroupsPerLaunch = 0;  // chunked: groups per super-chunk (0: the kernel's own budget)
  Precision precision = Precision::Fp32;
};

// Normalised error allowed against the reference. Fp32 (3xTF32): see the top of the file. Tf32 rounds
// each operand of every product to TF32 (11 significant bits, unit roundoff 2^-11 ≈ 4.9e-4), so one
// product is off by up to ≈1e-3 relative and the fp32 sums of many independently rounded products average
// that down: a host emulation of this blockwise walk (operands rounded to TF32, exact sums) on these
// inputs gave 1.6e-4 … 3.3e-4 for 1 … 65 tokens and 3e-5 … 1.7e-4 at 1,093, so 2e-3 keeps a 6× margin,
// while a wrong mask, decay or state carry is off by orders of magnitude more.
// Bf16 rounds every operand to bf16 (unit roundoff 2^-9): the lane-level emulation of its kernel
// (tools/reference/lightning_prefill_lane_emulation.py) on these inputs gave 2.5e-3 at one token (the
// output is then q times the rounded state) and ≤ 5.2e-4 from 63 tokens on, states ≤ 1.4e-3; 5e-3.
constexpr double kFp32Tolerance = 5e-5;
constexpr double kTf32Tolerance = 2e-3;
constexpr double kBf16Tolerance = 5e-3;
double tolerance(Precision p) {
  return p == Precision::Bf16 ? kBf16Tolerance : p == Precision::Tf32 ? kTf32Tolerance : kFp32Tolerance;
}

const char* pathName(Path p) { return p == Path::Sequential ? "sequential" : p == Path::Chunked ? "chunked" : "auto"; }
const char* precisionName(Precision p) {
  return p == Precision::Bf16 ? "bf16" : p == Precision::Tf32 ? "tf32" : "fp32";
}

// The random inputs of one case: qkv [T, H, 3, D] and a state with pending decode decay left by earlier tokens.
struct PrefillInputs {
  std::vector<float> qkv, state;
  std::vector<int32_t> pending = {0, 5, 1000, 3};
  PrefillInputs(int64_t T, int64_t D)
      : qkv(randomFloats(static_cast<size_t>(T * kHeads * 3 * D), static_cast<uint32_t>(T * 7 + D), 0.0f, 0.3f)),
        state(randomFloats(static_cast<size_t>(kHeads * D * D), 5, -0.1f, 0.1f)) {}
};

// Runs one prefill from a random state with pending decode decay on the device and on the host and
// compares outputs, states and the cleared pending counts.
void expectPrefillMatchesReference(const PrefillCase& c) {
  const int64_t T = c.T, D = c.D, H = kHeads, row = H * 3 * D;
  SCOPED_TRACE(testing::Message() << "T=" << T << " D=" << D << " offsets " << c.qkvOffset << "/" << c.outOffset
                                  << " path " << pathName(c.path) << " groups/launch " << c.maxGroupsPerLaunch
                                  << " precision " << precisionName(c.precision));
  PrefillInputs in(T, D);
  const std::vector<float>& qkv = in.qkv;
  std::vector<float>& state = in.state;
  std::vector<int32_t>& pending = in.pending;
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
  kc::detail::lightningPrefillWithPath(c.path, c.precision, dqkv.get() + c.qkvOffset, T, H, D, ddecay.get(),
                                       dstate.get(), dpending.get(), dout.get() + c.outOffset, nullptr,
                                       c.maxGroupsPerLaunch);
  const auto got = dout.download();
  const double tol = tolerance(c.precision);
  expectClose(std::vector<float>(got.begin() + static_cast<int64_t>(c.outOffset), got.end()), want, tol,
              "prefill out");
  expectClose(dstate.download(), state, tol, "prefill state");
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

// ---- Tf32 precision (bf16/i8 models): one TF32 mma per tile product, D 64 and 128 only (the tensor-core
// kernel; other head dims take the fp32 scalar kernel whatever the precision).

class CudaLightningPrefillTf32 : public ::testing::TestWithParam<int64_t> {};  // head dim D

TEST_P(CudaLightningPrefillTf32, MatchesReferenceBothWalks) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const Path path : {Path::Sequential, Path::Chunked})
    for (const int64_t T : {1, 63, 65, 300, 1093})
      expectPrefillMatchesReference({T, GetParam(), 0, 0, path, 0, Precision::Tf32});
  expectPrefillMatchesReference({1093, GetParam(), 0, 0, Path::Chunked, 2, Precision::Tf32});  // 3 super-chunks
  expectPrefillMatchesReference({1093, GetParam(), 0, 0, Path::Auto, 0, Precision::Tf32});
}

// One prefill run on the device from the inputs' state; returns the outputs and leaves the state in `state`.
std::vector<float> runPrefill(const PrefillInputs& in, int64_t T, int64_t D, Path path, Precision precision,
                              const std::vector<std::pair<int64_t, int64_t>>& pieces, std::vector<float>& state) {
  const int64_t row = kHeads * 3 * D, outRow = kHeads * D;
  DeviceBuffer<double> ddecay(kDecays);
  DeviceBuffer<float> dqkv(in.qkv), dstate(in.state), dout(static_cast<size_t>(T * outRow));
  DeviceBuffer<int32_t> dpending(in.pending);
  dout.poison();
  for (const auto& [t0, n] : pieces)
    kc::detail::lightningPrefillWithPath(path, precision, dqkv.get() + t0 * row, n, kHeads, D, ddecay.get(),
                                         dstate.get(), dpending.get(), dout.get() + t0 * outRow, nullptr);
  state = dstate.download();
  return dout.download();
}

// The same tokens in one call, in pieces of odd sizes that cut blocks and groups, and through the other walk
// agree to TF32 accuracy (their products are rounded at different block boundaries, so not bit for bit).
TEST_P(CudaLightningPrefillTf32, PiecesAndWalksAgreeWithOneCall) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t D = GetParam(), T = 1093;
  const PrefillInputs in(T, D);
  const std::vector<std::pair<int64_t, int64_t>> whole = {{0, T}},
                                                 pieces = {{0, 1}, {1, 300}, {301, 555}, {856, 237}};
  std::vector<float> stateOne, stateOther;
  const auto one = runPrefill(in, T, D, Path::Sequential, Precision::Tf32, whole, stateOne);
  for (const Path path : {Path::Sequential, Path::Chunked}) {
    SCOPED_TRACE(pathName(path));
    expectClose(runPrefill(in, T, D, path, Precision::Tf32, pieces, stateOther), one, kTf32Tolerance, "pieces out");
    expectClose(stateOther, stateOne, kTf32Tolerance, "pieces state");
  }
  expectClose(runPrefill(in, T, D, Path::Chunked, Precision::Tf32, whole, stateOther), one, kTf32Tolerance,
              "chunked walk out");
  expectClose(stateOther, stateOne, kTf32Tolerance, "chunked walk state");
}

// The precision reaches the kernel: Tf32 differs from Fp32 by about TF32's rounding (≥ 1e-6 normalised
// where the host emulation gives ≈1e-4), and not by more than the tolerance.
TEST_P(CudaLightningPrefillTf32, DiffersFromFp32ByTf32Rounding) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t D = GetParam(), T = 1093;
  const PrefillInputs in(T, D);
  std::vector<float> state32, stateTf32;
  for (const Path path : {Path::Sequential, Path::Chunked}) {
    SCOPED_TRACE(pathName(path));
    const auto fp32 = runPrefill(in, T, D, path, Precision::Fp32, {{0, T}}, state32);
    const auto tf32 = runPrefill(in, T, D, path, Precision::Tf32, {{0, T}}, stateTf32);
    const double diff = folio::gputest::normalisedError(tf32, fp32);
    EXPECT_GT(diff, 1e-6);
    EXPECT_LE(diff, kTf32Tolerance);
  }
}

INSTANTIATE_TEST_SUITE_P(HeadDims, CudaLightningPrefillTf32, ::testing::Values(64, 128),
                         [](const auto& info) { return "D" + std::to_string(info.param); });

// ---- Bf16 precision: the register-tile kernel (lightning_prefill_bf16.cu), one walk whatever the path;
// D 64 and 128 (other head dims take the fp32 scalar kernel).
class CudaLightningPrefillBf16 : public ::testing::TestWithParam<int64_t> {};  // head dim D

TEST_P(CudaLightningPrefillBf16, MatchesReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  for (const int64_t T : {1, 63, 64, 65, 300, 1093})
    expectPrefillMatchesReference({T, GetParam(), 0, 0, Path::Auto, 0, Precision::Bf16});
  expectPrefillMatchesReference({130, GetParam(), 1, 0, Path::Auto, 0, Precision::Bf16});  // unaligned: scalar
}

// Pieces that cut blocks carry the fp32 state between calls: they agree with one call to bf16 accuracy.
TEST_P(CudaLightningPrefillBf16, PiecesAgreeWithOneCall) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t D = GetParam(), T = 1093;
  const PrefillInputs in(T, D);
  std::vector<float> stateOne, statePieces;
  const auto one = runPrefill(in, T, D, Path::Auto, Precision::Bf16, {{0, T}}, stateOne);
  const auto pieces =
      runPrefill(in, T, D, Path::Auto, Precision::Bf16, {{0, 1}, {1, 300}, {301, 555}, {856, 237}}, statePieces);
  expectClose(pieces, one, kBf16Tolerance, "pieces out");
  expectClose(statePieces, stateOne, kBf16Tolerance, "pieces state");
}

INSTANTIATE_TEST_SUITE_P(HeadDims, CudaLightningPrefillBf16, ::testing::Values(64, 128),
                         [](const auto& info) { return "D" + std::to_string(info.param); });

}  // namespace
