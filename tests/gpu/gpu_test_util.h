// Shared helpers for the GPU tests: RAII device buffers with upload/download, poisoning (every byte
// 0xFF, a NaN for fp32 and −1 for int32, so unwritten outputs are caught), random inputs, and the
// comparisons used against the CPU references (normalised error, matching NaN/inf positions).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/cpu/dtype.h"
#include "kernels/cuda/device.h"
#include "kernels/cuda/ops.h"

namespace folio::gputest {

// Skips the current test when no CUDA device is present (CI machines without a GPU).
#define FOLIO_REQUIRE_CUDA_DEVICE()                                                      \
  do {                                                                                   \
    if (::folio::kernels::cuda::deviceCount() == 0) GTEST_SKIP() << "no CUDA device"; \
  } while (0)

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t n) : n_(n) {
    if (n_ > 0) FOLIO_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&ptr_), n_ * sizeof(T)));
  }
  explicit DeviceBuffer(const std::vector<T>& host) : DeviceBuffer(host.size()) { upload(host); }
  ~DeviceBuffer() {
    if (ptr_) cudaFree(ptr_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(o.ptr_), n_(o.n_) { o.ptr_ = nullptr, o.n_ = 0; }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      if (ptr_) cudaFree(ptr_);
      ptr_ = o.ptr_, n_ = o.n_;
      o.ptr_ = nullptr, o.n_ = 0;
    }
    return *this;
  }

  T* get() const { return ptr_; }
  size_t size() const { return n_; }
  void upload(const std::vector<T>& host) {
    EXPECT_LE(host.size(), n_);
    FOLIO_CUDA_CHECK(cudaMemcpy(ptr_, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice));
  }
  std::vector<T> download() const {
    FOLIO_CUDA_CHECK(cudaDeviceSynchronize());
    std::vector<T> host(n_);
    if (n_ > 0) FOLIO_CUDA_CHECK(cudaMemcpy(host.data(), ptr_, n_ * sizeof(T), cudaMemcpyDeviceToHost));
    return host;
  }
  void poison() { FOLIO_CUDA_CHECK(cudaMemset(ptr_, 0xFF, n_ * sizeof(T))); }

 private:
  T* ptr_ = nullptr;
  size_t n_ = 0;
};

inline std::vector<float> randomFloats(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

inline std::vector<uint16_t> toBf16(const std::vector<float>& v) {
  std::vector<uint16_t> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = kernels::f32ToBf16(v[i]);
  return out;
}

inline std::vector<float> bf16ToFloats(const std::vector<uint16_t>& v) {
  std::vector<float> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = kernels::bf16ToF32(v[i]);
  return out;
}

// Rounds every element through bf16 (what the device sees for a bf16 input).
inline std::vector<float> roundedToBf16(const std::vector<float>& v) { return bf16ToFloats(toBf16(v)); }

// ‖got − want‖₂ / ‖want‖₂ over the finite reference entries (‖want‖ floored at 1e-30). A finite
// reference entry where `got` is not finite counts as an infinite error.
inline double normalisedError(const std::vector<float>& got, const std::vector<float>& want) {
  EXPECT_EQ(got.size(), want.size());
  double diff = 0.0, norm = 0.0;
  for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
    if (!std::isfinite(want[i])) continue;
    if (!std::isfinite(got[i])) return INFINITY;
    const double d = static_cast<double>(got[i]) - want[i];
    diff += d * d;
    norm += static_cast<double>(want[i]) * want[i];
  }
  return std::sqrt(diff) / std::max(std::sqrt(norm), 1e-30);
}

// Every NaN of `want` is a NaN in `got` and every ±inf the same inf (and no extra non-finite values).
inline void expectSameNonFinite(const std::vector<float>& got, const std::vector<float>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      ASSERT_TRUE(std::isnan(got[i])) << what << " [" << i << "] expected NaN, got " << got[i];
    } else if (std::isinf(want[i])) {
      ASSERT_EQ(got[i], want[i]) << what << " [" << i << "]";
    } else {
      ASSERT_TRUE(std::isfinite(got[i])) << what << " [" << i << "] expected " << want[i] << ", got " << got[i];
    }
  }
}

// Both checks in one: positions of non-finite values match and the finite part is within `tol`.
inline void expectClose(const std::vector<float>& got, const std::vector<float>& want, double tol, const char* what) {
  expectSameNonFinite(got, want, what);
  EXPECT_LE(normalisedError(got, want), tol) << what;
}

}  // namespace folio::gputest
