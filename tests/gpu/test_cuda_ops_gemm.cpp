// matmul (GEMV for T ≤ 8, cuBLAS above; F32/BF16/I8 weights) and embeddingGather vs the CPU references.
#include <gtest/gtest.h>

#include <cmath>

#include "gpu_test_util.h"
#include "kernels/cuda/decode_paths.h"
#include "kernels/cpu/ref_matmul.h"

namespace {

using folio::gputest::DeviceBuffer;
using folio::kernels::DType;
namespace kc = folio::kernels::cuda;
namespace ref = folio::kernels::ref;

// Host weight of one dtype plus its device copy; `hostRef` describes the same bytes for the reference.
struct TestWeight {
  DType dtype;
  int64_t N, K;
  std::vector<float> f32;
  std::vector<uint16_t> bf16;
  std::vector<int8_t> i8;
  std::vector<float> scales;
  DeviceBuffer<unsigned char> data;
  DeviceBuffer<float> dscales;

  TestWeight(DType dt, int64_t n, int64_t k, uint32_t seed) : dtype(dt), N(n), K(k) {
    const auto values = folio::gputest::randomFloats(static_cast<size_t>(N * K), seed);
    size_t bytes = 0;
    const void* src = nullptr;
    if (dt == DType::F32) {
      f32 = values, bytes = f32.size() * 4, src = f32.data();
    } else if (dt == DType::BF16) {
      bf16 = folio::gputest::toBf16(values), bytes = bf16.size() * 2, src = bf16.data();
    } else {
      i8.resize(values.size());
      for (size_t i = 0; i < values.size(); ++i) i8[i] = static_cast<int8_t>(std::lround(values[i] * 127.0f));
      scales = folio::gputest::randomFloats(static_cast<size_t>(N), seed + 1, 0.001f, 0.02f);
      bytes = i8.size(), src = i8.data();
      dscales = DeviceBuffer<float>(scales);
    }
    data = DeviceBuffer<unsigned char>(bytes);
    FOLIO_CUDA_CHECK(cudaMemcpy(data.get(), src, bytes, cudaMemcpyHostToDevice));
  }
  ref::WeightMatrix hostRef() const {
    const void* p = dtype == DType::F32 ? static_cast<const void*>(f32.data())
                    : dtype == DType::BF16 ? static_cast<const void*>(bf16.data())
                                           : static_cast<const void*>(i8.data());
    return {dtype, p, N, K, dtype == DType::I8 ? scales.data() : nullptr};
  }
  kc::DeviceMatrix device() const { return {dtype, data.get(), N, K, dtype == DType::I8 ? dscales.get() : nullptr}; }
};

class CudaMatmul : public ::testing::TestWithParam<DType> {};

// I8 weights at T > kI8GemvMaxTokens (77, 300) are widened to bf16 for cuBLAS where the context has room
// for the copy (`widen`), else run as GEMV passes; both are checked.
TEST_P(CudaMatmul, MatchesReferenceAtOddSizes) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const DType dt = GetParam();
  for (const bool widen : {true, false}) {
    if (!widen && dt != DType::I8) continue;
    kc::GemmContext ctx(nullptr, 300 * 256, widen ? 256 * 130 : 0);
    for (const int64_t K : {40, 77, 256}) {
      for (const int64_t N : {1, 37, 130}) {
        TestWeight w(dt, N, K, static_cast<uint32_t>(K * 1000 + N));
        for (const int64_t T : {1, 3, 8, 9, 33, 77, 300}) {
          SCOPED_TRACE(testing::Message()
                       << "K=" << K << " N=" << N << " T=" << T << (widen ? "" : " no I8 copy"));
          const auto x = folio::gputest::randomFloats(static_cast<size_t>(T * K), static_cast<uint32_t>(T));
          // the device rounds inputs to bf16 for bf16/i8 weights; the reference gets the same inputs
          const auto xref = dt == DType::F32 ? x : folio::gputest::roundedToBf16(x);
          std::vector<float> want(static_cast<size_t>(T * N));
          ref::matmul(xref.data(), T, w.hostRef(), want.data());
          const int64_t ldy = N + 3;  // columns past N must stay untouched
          DeviceBuffer<float> dx(x), dy(static_cast<size_t>(T * ldy));
          dy.poison();
          kc::matmul(ctx, dx.get(), T, w.device(), dy.get(), ldy);
          const auto y = dy.download();
          std::vector<float> got(static_cast<size_t>(T * N));
          for (int64_t t = 0; t < T; ++t)
            for (int64_t n = 0; n < ldy; ++n) {
              if (n < N)
                got[static_cast<size_t>(t * N + n)] = y[static_cast<size_t>(t * ldy + n)];
              else
                ASSERT_TRUE(std::isnan(y[static_cast<size_t>(t * ldy + n)])) << "wrote past N at t=" << t;
            }
          // I8: the device applies the row scale after the sum (Σ q·x then ·scale), the reference before
          // it (Σ (scale·q)·x); on a single cancelling dot product (N=1, T=1) that reassociation alone
          // measured 5.9e-5 normalised on an H200
          // F32 at T = 1 is a warp-per-row GEMV, not cuBLAS: on the same single dot product (K = 77, N = 1)
          // its different summation order measured 2.6e-5
          const double tol = dt == DType::F32 ? (T == 1 ? 5e-5 : 1e-5) : dt == DType::I8 ? 1e-4 : 2e-5;
          folio::gputest::expectClose(got, want, tol, "matmul");
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Dtypes, CudaMatmul, ::testing::Values(DType::F32, DType::BF16, DType::I8),
                         [](const auto& info) { return std::string(folio::kernels::dtypeName(info.param)); });

// The one-token forms of decode_paths.h, each forced: rows long enough to be cut into several parts,
// a K % 8 remainder, and an input that is not 16-byte aligned (the scalar fallback).
TEST_P(CudaMatmul, OneTokenFormsMatchReference) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  using folio::kernels::cuda::detail::DecodeGemvPath;
  const DType dt = GetParam();
  kc::GemmContext ctx(nullptr, 10000);
  for (const DecodeGemvPath path : {DecodeGemvPath::Rows, DecodeGemvPath::RowPairs, DecodeGemvPath::Cublas}) {
    if (path == DecodeGemvPath::Cublas && dt == DType::I8) continue;
    for (const int64_t K : {8, 77, 2048, 2056, 6150, 9216}) {
      for (const int64_t N : {1, 13, 70}) {
        for (const int64_t offset : {0, 1}) {
          SCOPED_TRACE(testing::Message() << "path=" << static_cast<int>(path) << " K=" << K << " N=" << N
                                          << " x offset=" << offset);
          TestWeight w(dt, N, K, static_cast<uint32_t>(K + N));
          const auto x = folio::gputest::randomFloats(static_cast<size_t>(K + offset), static_cast<uint32_t>(K));
          const auto xref = dt == DType::F32 ? x : folio::gputest::roundedToBf16(x);
          std::vector<float> want(static_cast<size_t>(N));
          ref::matmul(xref.data() + offset, 1, w.hostRef(), want.data());
          DeviceBuffer<float> dx(x), dy(static_cast<size_t>(N + 1));
          dy.poison();
          folio::kernels::cuda::detail::gemvOneTokenWithPath(path, ctx, dx.get() + offset, w.device(), dy.get());
          auto y = dy.download();
          ASSERT_TRUE(std::isnan(y.back())) << "wrote past N";
          y.pop_back();
          // one dot product per row over up to 9,216 products, summed in a different order than the
          // reference (and N = 1 is a single, possibly cancelling, sum: see MatchesReferenceAtOddSizes)
          const double tol = dt == DType::I8 ? 1e-4 : 5e-5;
          folio::gputest::expectClose(y, want, tol, "one-token gemv");
        }
      }
    }
  }
}

TEST(CudaMatmul, RejectsTooSmallWorkspace) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  kc::GemmContext ctx(nullptr, 16);
  TestWeight w(DType::BF16, 8, 64, 3);
  DeviceBuffer<float> dx(64 * 20), dy(8 * 20);
  EXPECT_THROW(kc::matmul(ctx, dx.get(), 20, w.device(), dy.get()), std::invalid_argument);
}

TEST(CudaEmbedding, GathersRowsOfEveryDtype) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t V = 50, C = 77, T = 9;
  const std::vector<int32_t> ids = {0, 49, 3, 3, 17, 1, 48, 25, 0};
  DeviceBuffer<int32_t> dids(ids);
  for (const DType dt : {DType::F32, DType::BF16, DType::I8}) {
    TestWeight w(dt, V, C, 11);
    std::vector<float> want(static_cast<size_t>(T * C));
    for (int64_t t = 0; t < T; ++t) ref::weightRowToF32(w.hostRef(), ids[static_cast<size_t>(t)], want.data() + t * C);
    DeviceBuffer<float> dout(static_cast<size_t>(T * C));
    dout.poison();
    kc::embeddingGather(w.device(), dids.get(), T, dout.get(), nullptr);
    folio::gputest::expectClose(dout.download(), want, 1e-7, "embedding");
  }
}

TEST(CudaEmbedding, VocabPartsGatherTheirRowsAndZeroTheRest) {
  // a tensor-parallel rank holding rows [17, 40) of the embedding: its ids gather, every other id is a
  // zero row, and the parts of all ranks add up to the whole lookup
  FOLIO_REQUIRE_CUDA_DEVICE();
  const int64_t V = 50, C = 77, T = 9, first = 17, last = 40;
  const std::vector<int32_t> ids = {0, 49, 17, 39, 40, 16, 25, 25, 0};
  DeviceBuffer<int32_t> dids(ids);
  for (const DType dt : {DType::F32, DType::BF16, DType::I8}) {
    TestWeight whole(dt, V, C, 11);
    std::vector<float> want(static_cast<size_t>(T * C), 0.0f);
    for (int64_t t = 0; t < T; ++t) {
      const int32_t id = ids[static_cast<size_t>(t)];
      if (id >= first && id < last) ref::weightRowToF32(whole.hostRef(), id, want.data() + t * C);
    }
    kc::DeviceMatrix part = whole.device();
    part.data = static_cast<const unsigned char*>(part.data) + first * C * static_cast<int64_t>(folio::kernels::dtypeSize(dt));
    part.rows = last - first;
    if (part.row_scales) part.row_scales += first;
    DeviceBuffer<float> dout(static_cast<size_t>(T * C));
    dout.poison();
    kc::embeddingGatherPart(part, first, dids.get(), T, dout.get(), nullptr);
    folio::gputest::expectClose(dout.download(), want, 0.0, "embedding part");
  }
}

}  // namespace
