// The mixture of experts of the CUDA forward pass, mirroring engine/model/cpu_moe.cpp: fp32 router,
// top-k with the τ threshold on the device, then either the decode path (gather-GEMV over the chosen
// experts, no host sync; up to 8 tokens, or more in slices of 8 with setMoeGemvTokens) or tokens
// permuted by expert with one GEMM per expert that has rows;
// both sum each token's experts in ascending expert order, as the CPU does. Then the shared expert.
#include <algorithm>

#include "engine/cuda/cuda_forward.h"

namespace folio::engine::cuda {

namespace kc = kernels::cuda;

namespace {
constexpr int64_t kMoeDecodeMaxTokens = 8;  // kernels::cuda::moeDecode's limit
}

void CudaForward::setMoeGemvTokens(int64_t tokens) { moe_gemv_tokens_ = std::max<int64_t>(tokens, 0); }

void CudaForward::gateUp(const float* x, int64_t n, const DeviceMatrix& w1, const DeviceMatrix& w3, float* act,
                         float* up) {
  kc::matmul(*gemm_, x, n, w1, act);  // [n, I] gate
  kc::matmul(*gemm_, x, n, w3, up);   // [n, I] up
  kc::siluMul(act, up, act, n * w1.rows, stream_);
}

void CudaForward::moe(const DeviceLayer& lw, int layer, int64_t T, bool record_routing) {
  const int64_t C = cfg_.hidden_size, E = cfg_.num_experts, K = cfg_.top_k;
  kc::matmul(*gemm_, xn_.get(), T, lw.router, router_.get());  // [T, E]
  kc::routeTopK(router_.get(), T, static_cast<int>(E), static_cast<int>(K), tau_, experts_.get(), weights_.get(),
                kept_.get(), nullptr, stream_);
  if (record_routing) {
    // into this layer's slot of the pinned log; read on the host after the chunk's final sync
    const size_t at = static_cast<size_t>(layer * max_tokens_);
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(experts_host_.get() + at * K, experts_.get(), static_cast<size_t>(T * K) * 4,
                                     cudaMemcpyDeviceToHost, stream_));
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(weights_host_.get() + at * K, weights_.get(), static_cast<size_t>(T * K) * 4,
                                     cudaMemcpyDeviceToHost, stream_));
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(kept_host_.get() + at, kept_.get(), static_cast<size_t>(T) * 4,
                                     cudaMemcpyDeviceToHost, stream_));
  }
  FOLIO_CUDA_CHECK(cudaMemsetAsync(moe_.get(), 0, static_cast<size_t>(T * C) * 4, stream_));
  if (T <= std::max(kMoeDecodeMaxTokens, moe_gemv_tokens_)) {
    // slices of at most kMoeDecodeMaxTokens tokens, one after another on the stream (act_ is reused)
    for (int64_t t0 = 0; t0 < T; t0 += kMoeDecodeMaxTokens) {
      const int64_t n = std::min(kMoeDecodeMaxTokens, T - t0);
      kc::moeDecode(xn_.get() + t0 * C, n, C, cfg_.intermediate_size, experts_.get() + t0 * K,
                    weights_.get() + t0 * K, kept_.get() + t0, static_cast<int>(K), lw.w1s, lw.w3s, lw.w2s,
                    act_.get(), moe_.get() + t0 * C, stream_);
    }
  } else {
    moeGrouped(lw, T);
  }
  if (lw.has_shared) sharedExpert(lw, T);
  allReduce(moe_.get(), T * C);  // a rank evaluated its slice of every expert's hidden units
}

void CudaForward::moeGrouped(const DeviceLayer& lw, int64_t T) {
  const int64_t C = cfg_.hidden_size, E = cfg_.num_experts, K = cfg_.top_k, I = cfg_.intermediate_size;
  kc::moePermute(xn_.get(), T, C, experts_.get(), weights_.get(), kept_.get(), static_cast<int>(K),
                 static_cast<int>(E), counts_.get(), offsets_.get(), perm_token_.get(), perm_weight_.get(),
                 xperm_.get(), perm_scratch_.get(), stream_);
  // the one host read of the layer: where each expert's rows start
  FOLIO_CUDA_CHECK(cudaMemcpyAsync(offsets_host_.get(), offsets_.get(), static_cast<size_t>(E + 1) * 4,
                                   cudaMemcpyDeviceToHost, stream_));
  FOLIO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  for (int64_t e = 0; e < E; ++e) {
    const int64_t r0 = offsets_host_[static_cast<size_t>(e)];
    const int64_t n = offsets_host_[static_cast<size_t>(e + 1)] - r0;
    if (n == 0) continue;
    const size_t ei = static_cast<size_t>(e);
    gateUp(xperm_.get() + r0 * C, n, lw.w1[ei], lw.w3[ei], act_.get() + r0 * I, up_.get() + r0 * I);  // [n, I]
    kc::matmul(*gemm_, act_.get() + r0 * I, n, lw.w2[ei], y_.get() + r0 * C);                           // [n, C]
  }
  kc::moeUnpermuteAdd(y_.get(), offsets_.get(), static_cast<int>(E), perm_token_.get(), perm_weight_.get(), T,
                      static_cast<int>(K), C, moe_.get(), stream_);
}

void CudaForward::sharedExpert(const DeviceLayer& lw, int64_t T) {
  const int64_t C = cfg_.hidden_size;
  gateUp(xn_.get(), T, lw.shared_gate, lw.shared_up, act_.get(), up_.get());  // [T, SI]
  kc::matmul(*gemm_, act_.get(), T, lw.shared_down, y_.get());                // [T, C]
  kc::matmul(*gemm_, xn_.get(), T, lw.coefficient, coef_.get());              // [T, 1] c = hn·coefficientᵀ
  kc::sharedExpertMix(moe_.get(), y_.get(), coef_.get(), T, C, stream_);      // moe·(1 − σ(c)) + shared·σ(c)
}

}  // namespace folio::engine::cuda
