// Whole-model decode on one CUDA device (issue 5): a synthetic model at MiniMax-M1 widths with the M1
// layer pattern (every 8th layer softmax), random bf16 weights generated on the device, decoded token
// by token, once with each decode step's kernels launched on the stream and once as one CUDA graph.
// Prints tokens/s and the weight bytes each token touches divided by the time, as a ratio to the
// device-to-device copy bandwidth measured in the same run. Then a long prompt's prefill in 512- and
// 4096-token chunks, its softmax layers on the fp32 scalar kernel and on tensor cores
// (FOLIO_SOFTMAX_PREFILL, kernels/cuda/softmax_forms.h), its lightning layers in TF32 and on the bf16
// register-tile kernel (FOLIO_LIGHTNING_PRECISION): tokens/s and the model's TFLOP/s.
//   bench_gpu_model [--layers N] [--experts E] [--vocab V] [--tokens N] [--prompt N] [--device D]
// --prompt 0 skips the prefill rows (default 32768).
// --experts 0 (default) picks the largest of 32, 16, 8, 4 experts whose weights fit in 90 % of the free memory.
// Dimension letters: C hidden, H heads, KV kv-heads, D head dim, E experts, K top-k, I expert hidden,
// V vocab, L layers, P position.
#include <cuda_runtime_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/cuda/cuda_forward.h"
#include "engine/cuda/device_buffer.h"
#include "engine/cuda/device_model.h"
#include "engine/cuda/device_state.h"
#include "engine/generation/sampler.h"
#include "engine/model/session.h"
#include "kernels/cuda/device.h"

using namespace folio;
using namespace folio::engine;
using namespace folio::engine::cuda;

namespace {

struct Args {
  int layers = 8, experts = 0, vocab = 32768, tokens = 128, prompt = 32768, device = 0;
};

bool parseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) return false;
    const int v = std::atoi(argv[++i]);
    if (k == "--layers") a.layers = v;
    else if (k == "--experts") a.experts = v;
    else if (k == "--vocab") a.vocab = v;
    else if (k == "--tokens") a.tokens = v;
    else if (k == "--prompt") a.prompt = v;
    else if (k == "--device") a.device = v;
    else return false;
  }
  return a.layers >= 1 && a.experts >= 0 && a.vocab >= 1 && a.tokens >= 1 && a.prompt >= 0 && a.device >= 0;
}

ModelConfig m1Config(int layers, int experts, int vocab) {
  ModelConfig c;
  c.model_type = "synthetic-m1";
  c.hidden_size = 6144;
  c.num_layers = layers;
  c.num_heads = 64;
  c.num_kv_heads = 8;
  c.head_dim = 128;
  c.vocab_size = vocab;
  c.num_experts = experts;
  c.top_k = 2;
  c.intermediate_size = 9216;
  c.rotary_dim = 64;
  c.rope_theta = 10000000.0;
  c.postnorm = true;
  c.torch_dtype = "bfloat16";
  for (int l = 0; l < layers; ++l) c.layer_types.push_back(l % 8 == 7 ? AttnType::Softmax : AttnType::Lightning);
  return c;
}

// Weight bytes of the whole model (what the random model allocates, less alignment).
double modelBytes(const ModelConfig& c) {
  const double C = c.hidden_size, HD = double(c.num_heads) * c.head_dim, KVD = double(c.num_kv_heads) * c.head_dim,
               E = c.num_experts, I = c.intermediate_size, V = c.vocab_size;
  double b = V * C * 2 + V * C * 4;
  for (AttnType t : c.layer_types) {
    b += t == AttnType::Lightning ? (3 * HD * C + HD * C + C * HD) * 2 : (HD * C + 2 * KVD * C + C * HD) * 2;
    b += E * C * 4 + E * 3 * C * I * 2;
  }
  return b;
}

// Bytes one decode step at position P reads or writes: attention weights, router, the K chosen experts,
// lightning states (read + write), the KV rows so far, one embedding row and the fp32 lm_head.
double bytesPerToken(const ModelConfig& c, double P) {
  const double C = c.hidden_size, H = c.num_heads, D = c.head_dim, HD = H * D, KVD = double(c.num_kv_heads) * D,
               E = c.num_experts, K = c.top_k, I = c.intermediate_size, V = c.vocab_size;
  double b = C * 2 + V * C * 4;
  for (AttnType t : c.layer_types) {
    if (t == AttnType::Lightning) {
      b += (3 * HD * C + HD * C + C * HD) * 2 + 2 * H * D * D * 4;
    } else {
      b += (HD * C + 2 * KVD * C + C * HD) * 2 + 2 * P * KVD * 2;
    }
    b += E * C * 4 + K * 3 * C * I * 2;
  }
  return b;
}

// Floating-point operations of a prefill of T tokens from position 0: two per weight a token multiplies
// (attention projections, router, its K experts; the lm_head only once per chunk, left out) plus the
// attention itself — softmax: 4·D per (query head, visible key); lightning: q·S and the state update
// (4·D² per head) plus the causal part of the 64-row block (2·64·D per head, as bench_gpu_kernels counts).
double prefillFlops(const ModelConfig& c, double T) {
  const double C = c.hidden_size, H = c.num_heads, D = c.head_dim, HD = H * D, KVD = double(c.num_kv_heads) * D,
               E = c.num_experts, K = c.top_k, I = c.intermediate_size;
  double f = 0;
  for (AttnType t : c.layer_types) {
    if (t == AttnType::Lightning) {
      f += T * (2 * (3 * HD * C + HD * C + C * HD) + H * (4 * D * D + 2 * 64 * D));
    } else {
      f += T * 2 * (HD * C + 2 * KVD * C + C * HD) + 4 * D * H * T * (T + 1) / 2;
    }
    f += T * 2 * (E * C + K * 3 * C * I);
  }
  return f;
}

// Device-to-device copy bandwidth (read + write bytes per second), best of 5 copies of 2 GiB.
double copyBandwidth(cudaStream_t s) {
  const size_t n = size_t{2} << 30;
  DeviceBuffer<std::byte> a(n), b(n);
  FOLIO_CUDA_CHECK(cudaMemsetAsync(a.get(), 1, n, s));
  cudaEvent_t start, stop;
  FOLIO_CUDA_CHECK(cudaEventCreate(&start));
  FOLIO_CUDA_CHECK(cudaEventCreate(&stop));
  float best_ms = 1e30f;
  for (int rep = 0; rep < 5; ++rep) {
    FOLIO_CUDA_CHECK(cudaEventRecord(start, s));
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(b.get(), a.get(), n, cudaMemcpyDeviceToDevice, s));
    FOLIO_CUDA_CHECK(cudaEventRecord(stop, s));
    FOLIO_CUDA_CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    FOLIO_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
    best_ms = std::min(best_ms, ms);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return 2.0 * double(n) / (best_ms * 1e-3);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parseArgs(argc, argv, a)) {
    std::fprintf(stderr, "usage: bench_gpu_model [--layers N] [--experts E] [--vocab V] [--tokens N] [--prompt N] [--device D]\n");
    return 2;
  }
  if (kernels::cuda::deviceCount() <= a.device) {
    std::printf("bench_gpu_model: no CUDA device %d; nothing to measure\n", a.device);
    return 0;
  }
  try {
    DeviceGuard guard(a.device);
    size_t free_bytes = 0, total_bytes = 0;
    FOLIO_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    int experts = a.experts;
    if (experts == 0) {
      for (int e : {32, 16, 8, 4}) {
        experts = e;
        if (modelBytes(m1Config(a.layers, e, a.vocab)) < 0.9 * double(free_bytes) - 4e9) break;  // 4 GB for the bandwidth test
      }
    }
    const ModelConfig cfg = m1Config(a.layers, experts, a.vocab);
    time_t now = time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    std::printf("# bench_gpu_model on %s, %s\n", kernels::cuda::deviceDescription(a.device).c_str(), date);
    std::printf("synthetic M1: L=%d (softmax every 8th), C=%d H=%d KV=%d D=%d E=%d K=%d I=%d V=%d, bf16 weights, fp32 lm_head\n",
                cfg.num_layers, cfg.hidden_size, cfg.num_heads, cfg.num_kv_heads, cfg.head_dim, cfg.num_experts,
                cfg.top_k, cfg.intermediate_size, cfg.vocab_size);

    const auto t0 = std::chrono::steady_clock::now();
    auto model = DeviceModel::random(cfg, kernels::DType::BF16, 42, a.device);
    if (!model.ok()) {
      std::printf("bench_gpu_model: %s\n", model.error().message.c_str());
      return 1;
    }
    const double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("weights: %s generated on the device in %.1f s\n", formatGiB(model.value()->bytes()).c_str(), gen_s);

    CudaStream stream;
    const double bw = copyBandwidth(stream.get());
    const int warm = 4, steps = a.tokens;
    DeviceState state(cfg, warm + 2 * steps + 1);
    CudaForward forward(model.value(), 1, stream.get());
    cudaEvent_t start, stop;
    FOLIO_CUDA_CHECK(cudaEventCreate(&start));
    FOLIO_CUDA_CHECK(cudaEventCreate(&stop));
    const auto tokenAt = [&cfg](int64_t p) { return static_cast<int32_t>((p * 7919 + 13) % cfg.vocab_size); };
    std::vector<float> logits(static_cast<size_t>(cfg.vocab_size));
    RoutingAggregate aggregate;

    // Both launch forms over the same positions (the state cleared in between): stream launches, then
    // each decode step as one CUDA graph.
    struct Timing {
      double queued_s, synced_s, mid, mid_sync;
      double host_draw_s = 0, device_draw_s = 0, mid_draw = 0;  // generation with top-p sampling
    };
    // the sampling the HTTP API's clients commonly ask for; the draw on the device (Session::sampleNext
    // after a decode step) against the logits row to the host and engine::Sampler there
    const SamplingParams top_p{0.7, 0, 0.95};
    DeviceBuffer<std::byte> sample_scratch(kernels::cuda::sampleRowScratchBytes(cfg.vocab_size));
    DeviceBuffer<int32_t> drawn(1);
    PinnedBuffer<int32_t> drawn_host(1);
    const auto measure = [&](bool graphs) {
      forward.setDecodeGraphs(graphs);
      state.clear(stream.get());
      Timing t{};
      // device-side rate: decode steps queued back to back, timed by events
      int64_t pos = 0;
      for (int i = 0; i < warm; ++i, ++pos) forward.enqueueDecode(state, pos, tokenAt(pos));
      FOLIO_CUDA_CHECK(cudaEventRecord(start, stream.get()));
      const int64_t first = pos;
      for (int i = 0; i < steps; ++i, ++pos) forward.enqueueDecode(state, pos, tokenAt(pos));
      FOLIO_CUDA_CHECK(cudaEventRecord(stop, stream.get()));
      FOLIO_CUDA_CHECK(cudaEventSynchronize(stop));
      float ms = 0;
      FOLIO_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
      t.queued_s = ms * 1e-3 / steps;
      t.mid = double(first) + steps / 2.0;
      // session-style steps: logits to the host and routing records each token
      aggregate.reset(cfg.num_layers, cfg.num_experts);
      const auto s0 = std::chrono::steady_clock::now();
      const int64_t first_sync = pos;
      for (int i = 0; i < steps; ++i, ++pos) {
        const int32_t id = tokenAt(pos);
        forward.run(state, pos, std::span(&id, 1), /*decode=*/true, nullptr, logits.data(),
                    ForwardRouting{nullptr, &aggregate, 1.0});
      }
      t.synced_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count() / steps;
      t.mid_sync = double(first_sync) + steps / 2.0;
      if (graphs) return t;
      // generation: each token drawn from the last one's logits, then decoded (half the steps each way;
      // the device half runs at later positions, so it reads a little more KV: the bias is against it)
      Sampler host_sampler(static_cast<int>(cfg.vocab_size), top_p, 7), device_sampler = host_sampler;
      int32_t id = tokenAt(pos);
      const int64_t first_draw = pos;
      const auto h0 = std::chrono::steady_clock::now();
      for (int i = 0; i < steps / 2; ++i, ++pos) {
        forward.run(state, pos, std::span(&id, 1), /*decode=*/true, nullptr, logits.data(),
                    ForwardRouting{nullptr, &aggregate, 1.0});
        id = host_sampler.sample(logits);
      }
      const auto h1 = std::chrono::steady_clock::now();
      for (int i = 0; i < steps / 2; ++i, ++pos) {
        forward.run(state, pos, std::span(&id, 1), /*decode=*/true, nullptr, nullptr,
                    ForwardRouting{nullptr, &aggregate, 1.0});
        kernels::cuda::sampleRow(forward.deviceLogits(), cfg.vocab_size,
                                 kernels::cuda::DeviceSampling{top_p.temperature, top_p.top_k, top_p.top_p},
                                 device_sampler.nextUniform(), sample_scratch.get(), drawn.get(), stream.get());
        FOLIO_CUDA_CHECK(cudaMemcpyAsync(drawn_host.get(), drawn.get(), 4, cudaMemcpyDeviceToHost, stream.get()));
        FOLIO_CUDA_CHECK(cudaStreamSynchronize(stream.get()));
        id = drawn_host[0];
      }
      const auto h2 = std::chrono::steady_clock::now();
      t.host_draw_s = std::chrono::duration<double>(h1 - h0).count() / (steps / 2);
      t.device_draw_s = std::chrono::duration<double>(h2 - h1).count() / (steps / 2);
      t.mid_draw = double(first_draw) + steps / 2.0;
      return t;
    };
    const Timing plain = measure(false);
    const Timing graph = measure(true);

    std::printf("\ncopy bandwidth (device to device, read + write): %.0f GB/s\n\n", bw / 1e9);
    std::printf("| decode | launches | tokens/s | ms/token | bytes/token | achieved GB/s | ratio to copy bandwidth |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|\n");
    const auto row = [&](const char* what, const char* launches, double s, double mid) {
      const double bytes = bytesPerToken(cfg, mid);
      std::printf("| %s | %s | %.1f | %.3f | %s | %.0f | %.2f |\n", what, launches, 1.0 / s, s * 1e3,
                  formatGiB(static_cast<int64_t>(bytes)).c_str(), bytes / s / 1e9, bytes / s / bw);
    };
    // a failed capture leaves the graph rows measuring stream launches: say so in the row
    const char* graph_launches = forward.decodeGraphsActive() ? "CUDA graph" : "CUDA graph (capture failed: stream)";
    row("queued (device time)", "stream", plain.queued_s, plain.mid);
    row("queued (device time)", graph_launches, graph.queued_s, graph.mid);
    row("per token, logits + routing to host", "stream", plain.synced_s, plain.mid_sync);
    row("per token, logits + routing to host", graph_launches, graph.synced_s, graph.mid_sync);
    if (steps >= 2) {
      row("generation, top-p 0.95 drawn on the host (logits to host)", "stream", plain.host_draw_s, plain.mid_draw);
      row("generation, top-p 0.95 drawn on the device (one id to host)", "stream", plain.device_draw_s,
          plain.mid_draw);
    }
    if (!forward.decodeGraphsActive()) std::printf("\n# decode graph capture failed: %s", forward.decodeGraphFailure().c_str());
    std::printf("\n# decode graph: %lld launches, %lld instantiations (the rest updated in place)\n",
                static_cast<long long>(forward.decodeGraphLaunches()),
                static_cast<long long>(forward.decodeGraphInstantiations()));
    std::printf("scratch %s, state %s; target ratio >= 0.60\n", formatGiB(forward.deviceBytes()).c_str(),
                formatGiB(state.bytes()).c_str());

    // Batched decode (CudaForward::decodeBatch, what the decode batcher runs for concurrent sessions):
    // B sequences, each on its own state, one step for all; each step reads its logits rows back.
    {
      constexpr int kMaxBatch = 16;
      CudaForward batch(model.value(), kMaxBatch, stream.get());
      std::printf("\n| batched decode | sequences | MoE | step ms | tokens/s | x one sequence |\n|---|---:|---|---:|---:|---:|\n");
      double one = 0;
      // 8: the last with one gather-GEMV MoE slice; 16 takes the grouped MoE, and then two GEMV slices
      for (auto [B, moe_gemv] : {std::pair{1, 8}, std::pair{4, 8}, std::pair{8, 8}, std::pair{16, 8}, std::pair{16, 32}}) {
        if (B > batch.maxBatch()) break;
        batch.setMoeGemvTokens(moe_gemv);
        std::vector<std::unique_ptr<DeviceState>> states;
        std::vector<DeviceBuffer<float>> rows;
        std::vector<CudaForward::BatchSequence> seqs;
        for (int b = 0; b < B; ++b) {
          states.push_back(std::make_unique<DeviceState>(cfg, warm + steps + 1));
          rows.emplace_back(static_cast<size_t>(cfg.vocab_size));
        }
        for (int b = 0; b < B; ++b) seqs.push_back({states[b].get(), 0, rows[b].get(), ForwardRouting{}});
        std::vector<int32_t> ids(static_cast<size_t>(B));
        const auto stepAll = [&](int64_t pos) {
          for (int b = 0; b < B; ++b) {
            seqs[b].p0 = pos;
            ids[b] = tokenAt(pos + 97 * b);
          }
          batch.decodeBatch(seqs, ids);
        };
        int64_t pos = 0;
        for (int i = 0; i < warm; ++i, ++pos) stepAll(pos);
        const auto b0 = std::chrono::steady_clock::now();
        for (int i = 0; i < steps; ++i, ++pos) stepAll(pos);
        const double step_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count() / steps;
        const double rate = B / step_s;
        if (B == 1) one = rate;
        std::printf("| batched decode | %d | %s | %.3f | %.1f | %.2f |\n", B,
                    B <= 8 ? "gather-GEMV" : moe_gemv >= B ? "gather-GEMV, slices of 8" : "grouped GEMMs", step_s * 1e3,
                    rate, one > 0 ? rate / one : 0.0);
      }
    }

    // A long prompt as a session prefills it: chunk by chunk, each reading its last logits row to the
    // host; the CUDA default chunk (kCudaPrefillChunk) and the CPU's 512, and the softmax prefill in both
    // forms (read from the environment on every call).
    if (a.prompt > 0) {
      const int64_t T = a.prompt;
      DeviceState prompt_state(cfg, T);
      std::vector<int32_t> ids(static_cast<size_t>(T));
      for (int64_t p = 0; p < T; ++p) ids[static_cast<size_t>(p)] = tokenAt(p);
      const char* previous = std::getenv("FOLIO_SOFTMAX_PREFILL");
      const std::string restore = previous ? previous : "";
      std::printf("\n| prefill | chunk | softmax layers | lightning products | prompt tokens | seconds | tokens/s | "
                  "model TFLOP/s |\n");
      std::printf("|---|---:|---|---|---:|---:|---:|---:|\n");
      struct Config {
        int64_t chunk;
        const char* form;        // FOLIO_SOFTMAX_PREFILL
        const char* what;
        const char* lightning;   // FOLIO_LIGHTNING_PRECISION
      };
      for (const Config& c : {Config{kCpuPrefillChunk, "auto", "bf16 tensor cores", "tf32"},
                              Config{kCudaPrefillChunk, "scalar", "fp32 scalar", "tf32"},
                              Config{kCudaPrefillChunk, "auto", "bf16 tensor cores", "tf32"},
                              Config{kCudaPrefillChunk, "auto", "bf16 tensor cores", "bf16"}}) {
        setenv("FOLIO_SOFTMAX_PREFILL", c.form, 1);
        setenv("FOLIO_LIGHTNING_PRECISION", c.lightning, 1);
        const int64_t chunk = std::min(c.chunk, T);
        CudaForward prefill(model.value(), chunk, stream.get());
        const auto seconds = [&] {
          prompt_state.clear(stream.get());
          aggregate.reset(cfg.num_layers, cfg.num_experts);
          const auto p0 = std::chrono::steady_clock::now();
          for (int64_t t0 = 0; t0 < T; t0 += chunk) {
            const auto n = static_cast<size_t>(std::min(chunk, T - t0));
            prefill.run(prompt_state, t0, std::span(ids.data() + t0, n), /*decode=*/false, nullptr, logits.data(),
                        ForwardRouting{nullptr, &aggregate, 1.0});
          }
          return std::chrono::duration<double>(std::chrono::steady_clock::now() - p0).count();
        };
        seconds();  // warm-up: cuBLAS heuristics and kernel loading
        const double sec = seconds();
        std::printf("| whole prompt | %lld | %s | %s | %lld | %.2f | %.0f | %.1f |\n", static_cast<long long>(chunk),
                    c.what, c.lightning, static_cast<long long>(T), sec, double(T) / sec,
                    prefillFlops(cfg, double(T)) / sec / 1e12);
      }
      if (previous) setenv("FOLIO_SOFTMAX_PREFILL", restore.c_str(), 1);
      else unsetenv("FOLIO_SOFTMAX_PREFILL");
      unsetenv("FOLIO_LIGHTNING_PRECISION");
    }
  } catch (const std::exception& e) {
    std::printf("bench_gpu_model: %s\n", e.what());
    return 1;
  }
  return 0;
}
