// GPU kernel benchmark (issue 5): measures the card's limits in the same run (a large device-to-device
// copy for bandwidth, counting read + write; a cuBLAS bf16 GEMM 8192³ for compute) and prints, for
// each kernel, the median time, the achieved GB/s or TFLOP/s and the ratio to the limit that bounds it.
//   bench_gpu_kernels [--json PATH] [--quick] [--only GROUP]
// --quick: fewer repetitions (sizes stay real). --only: one group of rows (lightning-prefill,
// lightning-decode, gemv, moe, softmax-prefill, softmax-decode, sampling), e.g. under a profiler
// (tools/device/check.sh).
// The sampling group prints its own table: µs per row on the device against the path it replaces (the
// row copied to pinned host memory, then engine::Sampler on the CPU). Dimension letters: T tokens, B sequences, H heads,
// KV kv-heads, D head dim, C hidden, E experts, K top-k, I expert hidden, M tokens of a MoE layer, P cache, V vocab.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/generation/sampler.h"
#include "kernels/cuda/decode_paths.h"
#include "kernels/cuda/device.h"
#include "kernels/cuda/op_checks.h"
#include "kernels/cuda/ops.h"
#include "kernels/cuda/softmax_forms.h"

namespace kc = folio::kernels::cuda;
using folio::kernels::DType;

namespace {

// Device allocation freed on scope exit.
class Buffer {
 public:
  explicit Buffer(size_t bytes) : bytes_(bytes) { FOLIO_CUDA_CHECK(cudaMalloc(&p_, std::max<size_t>(bytes, 1))); }
  ~Buffer() { cudaFree(p_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  template <typename T>
  T* as() const { return static_cast<T*>(p_); }
  // Fills with a small repeated byte pattern: finite, non-denormal values for fp32 and bf16.
  void fill(unsigned char byte = 0x3c) { FOLIO_CUDA_CHECK(cudaMemset(p_, byte, bytes_)); }
  void zero() { FOLIO_CUDA_CHECK(cudaMemset(p_, 0, bytes_)); }

 private:
  void* p_ = nullptr;
  size_t bytes_;
};

template <typename T>
void upload(const Buffer& b, const std::vector<T>& v) {
  FOLIO_CUDA_CHECK(cudaMemcpy(b.as<void>(), v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice));
}

// Median milliseconds of `reps` runs of fn after `warmup` runs, timed with events on `s`.
double medianMs(cudaStream_t s, int warmup, int reps, const std::function<void()>& fn) {
  for (int i = 0; i < warmup; ++i) fn();
  cudaEvent_t a, b;
  FOLIO_CUDA_CHECK(cudaEventCreate(&a));
  FOLIO_CUDA_CHECK(cudaEventCreate(&b));
  std::vector<double> ms;
  for (int i = 0; i < reps; ++i) {
    FOLIO_CUDA_CHECK(cudaEventRecord(a, s));
    fn();
    FOLIO_CUDA_CHECK(cudaEventRecord(b, s));
    FOLIO_CUDA_CHECK(cudaEventSynchronize(b));
    float t = 0;
    FOLIO_CUDA_CHECK(cudaEventElapsedTime(&t, a, b));
    ms.push_back(t);
  }
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

// Median wall-clock milliseconds of `reps` runs of fn (each ends synchronised) after `warmup` runs.
double medianWallMs(int warmup, int reps, const std::function<void()>& fn) {
  for (int i = 0; i < warmup; ++i) fn();
  std::vector<double> ms;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

struct Limits {
  double gbs = 0;     // device-to-device copy, read + write bytes
  double tflops = 0;  // cuBLAS bf16 GEMM, fp32 accumulation
};

struct Row {
  std::string name, shape;
  double ms = 0, bytes = 0, flops = 0;
};

// A sampling row: its time and that of the host path it replaces (0: none to compare).
struct SamplingRow {
  std::string name, params;
  double ms = 0, host_ms = 0;
};

class Bench {
 public:
  Bench(cudaStream_t s, int reps) : s_(s), reps_(reps) {}

  Limits measureLimits() {
    const size_t bytes = size_t(4) << 30;  // 4 GiB each way
    Buffer src(bytes), dst(bytes);
    src.fill();
    const double copyMs = medianMs(s_, 2, reps_, [&] {
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(dst.as<void>(), src.as<void>(), bytes, cudaMemcpyDeviceToDevice, s_));
    });
    limits_.gbs = 2.0 * bytes / (copyMs * 1e-3) / 1e9;
    const int n = 8192;
    Buffer a(size_t(n) * n * 2), b(size_t(n) * n * 2), c(size_t(n) * n * 4);
    a.fill(), b.fill();
    cublasHandle_t h;
    FOLIO_CUBLAS_CHECK(cublasCreate(&h));
    FOLIO_CUBLAS_CHECK(cublasSetStream(h, s_));
    const float one = 1.0f, zero = 0.0f;
    const double gemmMs = medianMs(s_, 2, reps_, [&] {
      FOLIO_CUBLAS_CHECK(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, n, n, n, &one, a.as<void>(), CUDA_R_16BF, n,
                                      b.as<void>(), CUDA_R_16BF, n, &zero, c.as<void>(), CUDA_R_32F, n,
                                      CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    });
    cublasDestroy(h);
    limits_.tflops = 2.0 * n * n * double(n) / (gemmMs * 1e-3) / 1e12;
    return limits_;
  }

  // Lightning prefill in each precision: Fp32 (3xTF32, fp32 checkpoints), Tf32 (bf16 checkpoints) and
  // Bf16 (the register-tile kernel, a candidate for bf16 checkpoints).
  void lightningPrefill(int64_t T) {
    const int64_t H = 64, D = 128;
    Buffer qkv(size_t(T * H * 3 * D) * 4), out(size_t(T * H * D) * 4), state(size_t(H * D * D) * 4),
        pending(size_t(H) * 4), decay(size_t(H) * 8);
    qkv.fill(0x3a), pending.zero();
    upload(decay, std::vector<double>(static_cast<size_t>(H), 1e-3));
    for (const auto& [precision, name] : {std::pair{kc::LightningPrecision::Fp32, "3xTF32"},
                                          std::pair{kc::LightningPrecision::Tf32, "TF32"},
                                          std::pair{kc::LightningPrecision::Bf16, "bf16 register tiles"}}) {
      state.zero();
      const double ms = medianMs(s_, 1, reps_, [&] {  // each run continues from the previous state
        kc::lightningPrefill(qkv.as<float>(), T, H, D, decay.as<double>(), state.as<float>(), pending.as<int32_t>(),
                             out.as<float>(), s_, precision);
      });
      // useful work: q·S and the state update (2·D² each) plus the causal intra-block part per token
      const double blockRows = 64;
      const double flops = double(T) * H * (4.0 * D * D + 2.0 * blockRows * D);
      rows_.push_back({std::string("lightning prefill (") + name + ")", "B=1 H=64 D=128 T=" + std::to_string(T), ms,
                       double(T) * H * D * 4 * 4 + 2.0 * H * D * D * 4, flops});
    }
  }

  void lightningDecode(int64_t B) {
    const int64_t H = 64, D = 128;
    Buffer qkv(size_t(B * H * 3 * D) * 4), out(size_t(B * H * D) * 4), states(size_t(B * H * D * D) * 4),
        pending(size_t(B * H) * 4), decay(size_t(H) * 8);
    qkv.fill(0x3a), states.zero(), pending.zero();
    upload(decay, std::vector<double>(static_cast<size_t>(H), 1e-6));
    const double ms = medianMs(s_, 3, reps_ * 4, [&] {
      kc::lightningDecodeBatch(qkv.as<float>(), B, H, D, decay.as<double>(), states.as<float>(),
                               pending.as<int32_t>(), out.as<float>(), s_);
    });
    rows_.push_back({"lightning decode step", "B=" + std::to_string(B) + " H=64 D=128", ms,
                     double(B) * H * (2.0 * D * D * 4 + 4.0 * D * 4), 0});
  }

  void softmaxDecode(int64_t P) {
    const int64_t H = 64, KV = 8, D = 128;
    Buffer q(size_t(H * D) * 4), kcache(size_t(P * KV * D) * 2), vcache(size_t(P * KV * D) * 2), out(size_t(H * D) * 4);
    Buffer scratch(size_t(kc::attentionDecodeScratchBytes(H, D)));  // split over positions, as the engine runs it
    q.fill(0x3a), kcache.fill(0x3a), vcache.fill(0x3a);
    using kc::detail::SoftmaxDecodePath;
    for (const auto& [path, name] : {std::pair{SoftmaxDecodePath::Scalar, "softmax attention decode (scalar)"},
                                     std::pair{SoftmaxDecodePath::TensorCore, "softmax attention decode (tensor cores)"}}) {
      const double ms = medianMs(s_, 3, reps_ * 4, [&] {
        kc::detail::softmaxDecodeWithPath(path, q.as<float>(), kcache.as<uint16_t>(), vcache.as<uint16_t>(), P - 1, H,
                                          KV, D, out.as<float>(), scratch.as<void>(),
                                          kc::attentionDecodeScratchBytes(H, D), s_);
      });
      rows_.push_back({name, "H=64 KV=8 D=128 P=" + std::to_string(P / 1024) + "K", ms, 2.0 * P * KV * D * 2,
                       4.0 * P * H * D});
    }
  }

  // Causal prefill of T new tokens over an empty cache in the given form of softmax_forms.h (the
  // appended K/V already in the cache). flops: 4·D per (query head, visible key) pair.
  void softmaxPrefill(int64_t T, kc::detail::SoftmaxPrefillPath path) {
    const int64_t H = 64, KV = 8, D = 128;
    Buffer q(size_t(T * H * D) * 4), kcache(size_t(T * KV * D) * 2), vcache(size_t(T * KV * D) * 2),
        out(size_t(T * H * D) * 4);
    q.fill(0x3a), kcache.fill(0x3a), vcache.fill(0x3a);
    const bool tensorCores = path == kc::detail::SoftmaxPrefillPath::TensorCore;
    const double ms = medianMs(s_, 1, reps_, [&] {
      kc::detail::softmaxAttentionWithPath(path, q.as<float>(), H * D, kcache.as<uint16_t>(), vcache.as<uint16_t>(),
                                           0, T, H, KV, D, out.as<float>(), s_);
    });
    const double pairs = double(T) * double(T + 1) / 2.0;
    rows_.push_back({tensorCores ? "softmax attention prefill (bf16 tensor cores)" : "softmax attention prefill (fp32 scalar)",
                     "H=64 KV=8 D=128 T=" + std::to_string(T / 1024) + "K", ms,
                     double(T) * H * D * 4 * 2 + double(T) * KV * D * 2 * 2, 4.0 * D * H * pairs});
  }

  // One-token dense GEMV (the decode projections) in each form of decode_paths.h.
  void decodeGemv(int64_t N, int64_t K, const char* what, DType dt = DType::BF16) {
    using kc::detail::DecodeGemvPath;
    const size_t elem = dt == DType::F32 ? 4 : 2;
    Buffer w(size_t(N * K) * elem), x(size_t(K) * 4), y(size_t(N) * 4);
    w.fill(0x3c), x.fill(0x3a);
    kc::GemmContext ctx(s_, K);
    const kc::DeviceMatrix m{dt, w.as<void>(), N, K, nullptr};
    for (const auto& [path, name] :
         {std::pair{DecodeGemvPath::Rows, "rows"}, std::pair{DecodeGemvPath::RowPairs, "row pairs"},
          std::pair{DecodeGemvPath::Cublas, "cuBLAS"}}) {
      const double ms = medianMs(s_, 3, reps_ * 4, [&] {
        kc::detail::gemvOneTokenWithPath(path, ctx, x.as<float>(), m, y.as<float>());
      });
      rows_.push_back({"decode GEMV " + std::string(folio::kernels::dtypeName(dt)) + " (" + name + ")",
                       std::string(what) + " N=" + std::to_string(N) + " K=" + std::to_string(K), ms,
                       double(N) * K * elem + double(K + N) * 4, 2.0 * N * K});
    }
  }

  // One MoE layer (E=32, K=2, C=6144, I=9216, bf16 or int8 experts) from router logits to the combined
  // output: routing, then the decode gather-GEMV for M ≤ 8, else permute + per-expert matmuls (cuBLAS;
  // int8 experts widened to bf16 first) + un-permute.
  void moeLayer(const std::vector<int64_t>& Ms, DType dt = DType::BF16) {
    const int64_t E = 32, K = 2, C = 6144, I = 9216, maxM = *std::max_element(Ms.begin(), Ms.end());
    const size_t expertBytes = size_t(I * C) * (dt == DType::I8 ? 1 : 2);
    std::vector<std::unique_ptr<Buffer>> weights;
    std::vector<kc::DeviceMatrix> w1, w3, w2;
    for (int64_t e = 0; e < E; ++e) {
      for (auto* list : {&w1, &w3, &w2}) {
        const bool down = list == &w2;
        weights.push_back(std::make_unique<Buffer>(expertBytes));
        weights.back()->fill(0x3c);  // int8: 60
        float* scales = nullptr;
        if (dt == DType::I8) {  // 0x3c3c3c3c ≈ 0.0115 per row
          weights.push_back(std::make_unique<Buffer>(size_t(down ? C : I) * 4));
          weights.back()->fill(0x3c);
          scales = weights.back()->as<float>();
        }
        list->push_back({dt, weights[weights.size() - (scales ? 2 : 1)]->as<void>(), down ? C : I, down ? I : C,
                         scales});
      }
    }
    Buffer dw1(sizeof(kc::DeviceMatrix) * E), dw3(sizeof(kc::DeviceMatrix) * E), dw2(sizeof(kc::DeviceMatrix) * E);
    upload(dw1, w1), upload(dw3, w3), upload(dw2, w2);
    Buffer x(size_t(maxM * C) * 4), out(size_t(maxM * C) * 4), logits(size_t(maxM * E) * 4);
    Buffer experts(size_t(maxM * K) * 4), wts(size_t(maxM * K) * 4), kept(size_t(maxM) * 4);
    Buffer counts(size_t(E) * 4), offsets(size_t(E + 1) * 4), permTok(size_t(maxM * K) * 4), permW(size_t(maxM * K) * 4);
    Buffer xperm(size_t(maxM * K * C) * 4), gate(size_t(maxM * K * I) * 4), up(size_t(maxM * K * I) * 4),
        y(size_t(maxM * K * C) * 4), act(size_t(8 * K * I) * 4);
    Buffer scratch(size_t(kc::moePermuteScratchBytes(maxM, K, E)));
    x.fill(0x3a);
    std::mt19937 rng(1);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    std::vector<float> hostLogits(size_t(maxM * E));
    for (float& v : hostLogits) v = dist(rng);
    upload(logits, hostLogits);
    kc::GemmContext gemm(s_, maxM * K * I, dt == DType::I8 ? I * C : 0);
    std::vector<int> hostOffsets(size_t(E + 1));
    using kc::detail::DecodeGemvPath;
    for (const int64_t M : Ms) {
      for (const DecodeGemvPath path : {DecodeGemvPath::Rows, DecodeGemvPath::RowPairs}) {
        if (M > 8 && path != DecodeGemvPath::Rows) continue;  // the form only matters to the decode GEMV
        double bytes = 0, flops = 0;
        const auto run = [&] {
          FOLIO_CUDA_CHECK(cudaMemsetAsync(out.as<void>(), 0, size_t(M * C) * 4, s_));
          kc::routeTopK(logits.as<float>(), M, E, K, 1.0, experts.as<int>(), wts.as<float>(), kept.as<int>(), nullptr, s_);
          if (M <= 8) {
            kc::detail::moeDecodeWithPath(path, x.as<float>(), M, C, I, experts.as<int>(), wts.as<float>(),
                                          kept.as<int>(), K, dw1.as<kc::DeviceMatrix>(), dw3.as<kc::DeviceMatrix>(),
                                          dw2.as<kc::DeviceMatrix>(), act.as<float>(), out.as<float>(), s_);
            return;
          }
          kc::moePermute(x.as<float>(), M, C, experts.as<int>(), wts.as<float>(), kept.as<int>(), K, E, counts.as<int>(),
                         offsets.as<int>(), permTok.as<int>(), permW.as<float>(), xperm.as<float>(), scratch.as<void>(), s_);
          // the host needs the group sizes to launch the per-expert GEMMs
          FOLIO_CUDA_CHECK(cudaMemcpyAsync(hostOffsets.data(), offsets.as<int>(), sizeof(int) * (E + 1),
                                           cudaMemcpyDeviceToHost, s_));
          FOLIO_CUDA_CHECK(cudaStreamSynchronize(s_));
          for (int64_t e = 0; e < E; ++e) {
            const int64_t r0 = hostOffsets[size_t(e)], n = hostOffsets[size_t(e + 1)] - r0;
            if (n == 0) continue;
            kc::matmul(gemm, xperm.as<float>() + r0 * C, n, w1[size_t(e)], gate.as<float>() + r0 * I);
            kc::matmul(gemm, xperm.as<float>() + r0 * C, n, w3[size_t(e)], up.as<float>() + r0 * I);
            kc::siluMul(gate.as<float>() + r0 * I, up.as<float>() + r0 * I, gate.as<float>() + r0 * I, n * I, s_);
            kc::matmul(gemm, gate.as<float>() + r0 * I, n, w2[size_t(e)], y.as<float>() + r0 * C);
          }
          kc::moeUnpermuteAdd(y.as<float>(), offsets.as<int>(), E, permTok.as<int>(), permW.as<float>(), M, K, C,
                              out.as<float>(), s_);
        };
        run();
        // bytes: the experts actually touched (weights dominate); flops: 3 products per routed row
        std::vector<int> hostExperts(size_t(M * K));
        FOLIO_CUDA_CHECK(cudaMemcpy(hostExperts.data(), experts.as<int>(), hostExperts.size() * 4, cudaMemcpyDeviceToHost));
        std::vector<bool> touched(size_t(E), false);
        for (const int e : hostExperts)
          if (e >= 0) touched[size_t(e)] = true;
        bytes = double(std::count(touched.begin(), touched.end(), true)) * 3.0 * double(expertBytes);
        flops = 2.0 * 3.0 * double(M * K) * double(C) * double(I);
        const double ms = medianMs(s_, 1, reps_, run);
        const std::string form = M > 8 ? "" : path == DecodeGemvPath::RowPairs ? ", row pairs" : ", warp per row";
        rows_.push_back({"MoE layer (" + std::string(dt == DType::I8 ? "int8" : "bf16") + " experts" + form + ")",
                         "E=32 K=2 C=6144 I=9216 M=" + std::to_string(M), ms, bytes, flops});
      }
    }
  }

  // One row of V = 200,064 logits (N(0, 3), fixed seed): argmaxRows, sampleRow, and the path sampleRow
  // replaces: the row copied to pinned host memory, then engine::Sampler::sample on the CPU (wall
  // clock, one CPU thread). Device rows are event-timed stream launches (no graph).
  void sampling() {
    const int64_t V = 200064;
    std::vector<float> host(static_cast<size_t>(V));
    std::mt19937 rng(5);
    std::normal_distribution<float> dist(0.0f, 3.0f);
    for (float& x : host) x = dist(rng);
    Buffer logits(size_t(V) * 4), out(4), scratch(kc::sampleRowScratchBytes(V));
    upload(logits, host);
    float* pinned = nullptr;
    FOLIO_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&pinned), size_t(V) * 4));
    const int reps = reps_ * 11;
    const double argmaxMs = medianMs(s_, 5, reps, [&] { kc::argmaxRows(logits.as<float>(), 1, V, out.as<int32_t>(), s_); });
    sampling_.push_back({"argmaxRows (greedy)", "", argmaxMs, 0});
    struct Config {
      const char* params;
      folio::engine::SamplingParams p;
    };
    for (const Config& c : {Config{"T=0.7 top_p=0.95", {0.7, 0, 0.95}}, Config{"T=1 top_k=40", {1.0, 40, 1.0}},
                            Config{"T=1", {1.0, 0, 1.0}}}) {
      folio::engine::Sampler sampler(static_cast<int>(V), c.p, 1);
      const kc::DeviceSampling dp{c.p.temperature, c.p.top_k, c.p.top_p};
      const double ms = medianMs(s_, 5, reps, [&] {
        kc::sampleRow(logits.as<float>(), V, dp, sampler.nextUniform(), scratch.as<void>(), out.as<int32_t>(), s_);
      });
      const double hostMs = medianWallMs(3, reps, [&] {
        FOLIO_CUDA_CHECK(cudaMemcpyAsync(pinned, logits.as<float>(), size_t(V) * 4, cudaMemcpyDeviceToHost, s_));
        FOLIO_CUDA_CHECK(cudaStreamSynchronize(s_));
        sampler.sample(std::span<const float>(pinned, static_cast<size_t>(V)));
      });
      sampling_.push_back({"sampleRow", c.params, ms, hostMs});
    }
    cudaFreeHost(pinned);
  }

  // Markdown table to stdout; each row's ratio is to whichever limit bounds it (the larger bound time).
  nlohmann::json report(const std::string& device) const {
    std::printf("\nGPU kernels on %s\n\n", device.c_str());
    std::printf("limits: copy %.0f GB/s (read + write), cuBLAS bf16 GEMM 8192^3 %.1f TFLOP/s\n\n", limits_.gbs,
                limits_.tflops);
    std::printf("| kernel | shape | median ms | GB/s | TFLOP/s | bound | of bound |\n");
    std::printf("|---|---|---:|---:|---:|---|---:|\n");
    nlohmann::json rows = nlohmann::json::array();
    for (const Row& r : rows_) {
      const double sec = r.ms * 1e-3, gbs = r.bytes / sec / 1e9, tflops = r.flops / sec / 1e12;
      const double memTime = r.bytes / (limits_.gbs * 1e9), mathTime = r.flops / (limits_.tflops * 1e12);
      const bool memBound = memTime >= mathTime;
      const double ratio = (memBound ? memTime : mathTime) / sec;
      std::printf("| %s | %s | %.4f | %.0f | %.2f | %s | %.0f %% |\n", r.name.c_str(), r.shape.c_str(), r.ms, gbs,
                  tflops, memBound ? "bandwidth" : "compute", 100.0 * ratio);
      rows.push_back({{"kernel", r.name}, {"shape", r.shape}, {"ms", r.ms}, {"gbs", gbs}, {"tflops", tflops},
                      {"bound", memBound ? "bandwidth" : "compute"}, {"ratio", ratio}});
    }
    nlohmann::json sampling = nlohmann::json::array();
    if (!sampling_.empty()) {
      std::printf("\n| sampler (V=200064) | params | median us | host path us (copy + CPU Sampler) | host / device |\n");
      std::printf("|---|---|---:|---:|---:|\n");
      for (const SamplingRow& r : sampling_) {
        if (r.host_ms > 0)
          std::printf("| %s | %s | %.1f | %.1f | %.1fx |\n", r.name.c_str(), r.params.c_str(), r.ms * 1e3,
                      r.host_ms * 1e3, r.host_ms / r.ms);
        else
          std::printf("| %s | %s | %.1f | | |\n", r.name.c_str(), r.params.c_str(), r.ms * 1e3);
        sampling.push_back({{"kernel", r.name}, {"params", r.params}, {"ms", r.ms}, {"host_path_ms", r.host_ms}});
      }
    }
    return {{"device", device},
            {"limits", {{"copy_gbs", limits_.gbs}, {"gemm_bf16_tflops", limits_.tflops}}},
            {"rows", rows},
            {"sampling", sampling}};
  }

 private:
  cudaStream_t s_;
  int reps_;
  Limits limits_;
  std::vector<Row> rows_;
  std::vector<SamplingRow> sampling_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string jsonPath, only;
  bool quick = false;
  const std::vector<std::string> groups = {"lightning-prefill", "lightning-decode", "gemv",    "moe",
                                          "softmax-prefill",   "softmax-decode",   "sampling"};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
      jsonPath = argv[++i];
    } else if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc &&
               std::find(groups.begin(), groups.end(), argv[i + 1]) != groups.end()) {
      only = argv[++i];
    } else {
      std::fprintf(stderr, "usage: bench_gpu_kernels [--json PATH] [--quick] [--only lightning-prefill|"
                           "lightning-decode|gemv|moe|softmax-prefill|softmax-decode|sampling]\n");
      return 2;
    }
  }
  const auto wanted = [&](const char* group) { return only.empty() || only == group; };
  if (kc::deviceCount() == 0) {
    std::fprintf(stderr, "bench_gpu_kernels: no CUDA device\n");
    return 1;
  }
  try {
    cudaStream_t s;
    FOLIO_CUDA_CHECK(cudaStreamCreate(&s));
    Bench bench(s, quick ? 3 : 9);
    bench.measureLimits();
    if (wanted("lightning-prefill"))
      for (const int64_t T : {8192, 65536}) bench.lightningPrefill(T);
    if (wanted("lightning-decode"))
      for (const int64_t B : {1, 16, 64}) bench.lightningDecode(B);
    if (wanted("gemv")) {
      bench.decodeGemv(3 * 8192, 6144, "qkv");
      bench.decodeGemv(6144, 8192, "out_proj");
      bench.decodeGemv(32768, 6144, "lm_head", DType::F32);
    }
    if (wanted("moe")) {
      bench.moeLayer({1, 64, 4096});
      bench.moeLayer({1, 4096}, DType::I8);
    }
    if (wanted("softmax-prefill")) {
      // the scalar form only up to 16K: at 64K one call takes seconds
      for (const int64_t T : {4096, 16384}) bench.softmaxPrefill(T, kc::detail::SoftmaxPrefillPath::Scalar);
      for (const int64_t T : {4096, 16384, 65536}) bench.softmaxPrefill(T, kc::detail::SoftmaxPrefillPath::TensorCore);
    }
    if (wanted("softmax-decode"))
      for (const int64_t P : {8192, 65536}) bench.softmaxDecode(P);
    if (wanted("sampling")) bench.sampling();
    const nlohmann::json j = bench.report(kc::deviceDescription(0));
    if (!jsonPath.empty()) std::ofstream(jsonPath) << j.dump(2) << "\n";
    cudaStreamDestroy(s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gpu_kernels: %s\n", e.what());
    return 1;
  }
  return 0;
}
