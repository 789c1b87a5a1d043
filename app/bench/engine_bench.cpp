// The CPU engine benchmark behind `folio bench` (issue 4): prints tables B0–B8 and, with baselines,
// Folio ÷ PyTorch.
// B0 machine limits · B1 lightning prefill · B2 lightning decode step · B3 one MoE layer ·
// B4 whole-model decode vs the bandwidth bound · B5 whole-model prefill · B6 resident memory ·
// B7 a long prompt · B8 batched decode of several sessions (batch_decode_bench.cpp).
// --model: a checkpoint such as tools/reference/make_checkpoint.py writes (B3–B8 need it).
// Dimension letters: T tokens, H heads, D head dim, C hidden, E experts, I expert hidden.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bench/engine_bench.h"
#include "app/bench/batch_decode_bench.h"
#include "app/bench/machine_limits.h"
#include "engine/model/cpu_forward.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/model/thread_pool.h"
#include "kernels/cpu/lightning.h"

namespace folio::bench {

using namespace folio::engine;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

long vmRssKiB() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::vector<float> randomVector(size_t n, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// B1: lightning prefill of T tokens for H heads (chunks of up to 4096 tokens through one buffer,
// state carried, as the engine's chunked prefill does). Returns seconds.
double lightningPrefill(ThreadPool& pool, int64_t T, int64_t H, int64_t D, double* flops) {
  const int64_t chunk = std::min<int64_t>(T, 4096), ld = 3 * H * D;
  const std::vector<float> qkv = randomVector(static_cast<size_t>(chunk * ld), 1, 0.0f, 0.1f);
  std::vector<float> out(static_cast<size_t>(chunk * H * D)), state(static_cast<size_t>(H * D * D), 0.0f);
  std::vector<int32_t> pending(static_cast<size_t>(H), 0);
  const size_t sc = static_cast<size_t>(kernels::lightningPrefillScratch(D));
  std::vector<float> scratch(sc * static_cast<size_t>(pool.size()));
  const double t0 = now();
  for (int64_t done = 0; done < T; done += chunk) {
    const int64_t n = std::min(chunk, T - done);
    pool.parallelFor(H, 1, [&](int64_t h0, int64_t h1, int w) {
      for (int64_t h = h0; h < h1; ++h) {
        const float* q = qkv.data() + h * 3 * D;
        kernels::lightningPrefillHead(q, q + D, q + 2 * D, ld, n, D, 0.01 * double(h + 1), state.data() + h * D * D,
                                      &pending[static_cast<size_t>(h)], out.data() + h * D, H * D,
                                      scratch.data() + sc * static_cast<size_t>(w));
      }
    });
  }
  const double dt = now() - t0;
  // flops of the blocked algorithm per block of m: Q·S and the state update 2·m·D² each, Q·Kᵀ and P·V 2·m²·D each
  const double B = static_cast<double>(kernels::avx2::kLightningBlock), dd = static_cast<double>(D);
  *flops = static_cast<double>(T) * static_cast<double>(H) * (4.0 * dd * dd + 4.0 * B * dd);
  return dt;
}

// Active weight bytes one decode token reads: every non-expert matrix, top_k experts per layer, the
// embedding row, the lm_head; plus the lightning states (read + write) and the KV rows attended.
double activeBytesPerToken(const Model& m, int64_t position) {
  const ModelConfig& c = m.config();
  auto bytes = [](const WeightMatrix& w) {
    return static_cast<double>(w.rows * w.cols) * static_cast<double>(kernels::dtypeSize(w.dtype));
  };
  double b = bytes(m.lmHead()) + static_cast<double>(c.hidden_size) * kernels::dtypeSize(m.embedding().dtype);
  for (int l = 0; l < c.num_layers; ++l) {
    const LayerWeights& lw = m.layer(l);
    b += bytes(lw.router);
    for (const WeightMatrix* w : {&lw.qkv, &lw.output_gate, &lw.out_proj, &lw.q_proj, &lw.k_proj, &lw.v_proj, &lw.o_proj})
      if (w->data) b += bytes(*w);
    const ExpertWeights& e = lw.experts[0];
    b += static_cast<double>(c.top_k) * (bytes(e.w1) + bytes(e.w3) + bytes(e.w2));
    if (lw.type == AttnType::Lightning) {
      b += 2.0 * 4.0 * static_cast<double>(c.num_heads) * c.head_dim * c.head_dim;
    } else {
      b += 2.0 * 4.0 * static_cast<double>(position) * c.num_kv_heads * c.head_dim;
    }
  }
  return b;
}

double weightFileBytes(const std::string& dir) {
  double total = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".safetensors") total += static_cast<double>(e.file_size());
  }
  return total;
}

std::vector<int32_t> promptIds(int64_t n, int32_t V) {
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) ids[static_cast<size_t>(i)] = static_cast<int32_t>((i * 7919 + 13) % V);
  return ids;
}

void printB1(ThreadPool& pool, const MachineLimits& lim, bool quick) {
  std::printf("\nB1 lightning prefill\n  %-10s %8s %12s %10s %12s\n", "H x D", "T", "tokens/s", "GFLOP/s", "% FMA peak");
  for (const auto& [H, D] : {std::pair<int64_t, int64_t>{16, 64}, {8, 128}}) {
    for (int64_t T : {1024, 4096, 16384, 65536}) {
      if (quick && T > 16384) continue;
      double flops = 0, best = 1e30;
      for (int rep = 0; rep < (T <= 4096 ? 3 : 1); ++rep) best = std::min(best, lightningPrefill(pool, T, H, D, &flops));
      std::printf("  %3lldx%-6lld %8lld %12.0f %10.1f %11.1f%%\n", (long long)H, (long long)D, (long long)T,
                  double(T) / best, flops / best / 1e9, 100.0 * flops / best / 1e9 / std::max(1e-9, lim.fma_peak_gflops));
    }
  }
}

void printB2(ThreadPool& pool) {
  std::printf("\nB2 lightning decode step (one layer, all heads)\n  %-10s %12s %12s\n", "H x D", "us/step", "state GB/s");
  for (const auto& shape : {std::pair<int64_t, int64_t>{16, 64}, {8, 128}, {64, 128}}) {
    const int64_t H = shape.first, D = shape.second;  // not a structured binding: clang 14's lambdas cannot capture one
    const std::vector<float> qkv = randomVector(static_cast<size_t>(3 * H * D), 2, 0.0f, 0.1f);
    std::vector<float> state(static_cast<size_t>(H * D * D), 0.0f), out(static_cast<size_t>(H * D));
    std::vector<int32_t> pending(static_cast<size_t>(H), 0);
    const int steps = 2000;
    const double t0 = now();
    for (int s = 0; s < steps; ++s) {
      pool.parallelFor(H, 1, [&](int64_t h0, int64_t h1, int) {
        for (int64_t h = h0; h < h1; ++h) {
          const float* q = qkv.data() + h * 3 * D;
          kernels::lightningDecodeHead(q, q + D, q + 2 * D, D, 1e-4, state.data() + h * D * D,
                                       &pending[static_cast<size_t>(h)], out.data() + h * D);
        }
      });
    }
    const double dt = (now() - t0) / steps;
    std::printf("  %3lldx%-6lld %12.2f %12.1f\n", (long long)H, (long long)D, dt * 1e6,
                2.0 * 4.0 * double(H * D * D) / dt / 1e9);
  }
}

void printB3(const Model& model, ThreadPool& pool) {
  const ModelConfig& c = model.config();
  std::printf("\nB3 one MoE layer (layer 0)\n  %6s %12s %12s\n", "M", "ms", "tokens/s");
  const int64_t Mmax = 256;
  CpuForward fwd(model, Mmax, 1, pool);
  const std::vector<float> x = randomVector(static_cast<size_t>(Mmax * c.hidden_size), 3, -1.5f, 1.5f);
  std::vector<float> y(x.size());
  ForwardRouting routing;
  for (int64_t M : {1, 16, 256}) {
    double best = 1e30;
    for (int rep = 0; rep < (M == 256 ? 3 : 10); ++rep) {
      const double t0 = now();
      fwd.moeLayer(0, x.data(), M, y.data(), routing);
      best = std::min(best, now() - t0);
    }
    std::printf("  %6lld %12.3f %12.0f\n", (long long)M, best * 1e3, double(M) / best);
  }
}

// Returns decode tokens/s (0 when the session cannot be created).
double printB4(const std::shared_ptr<const Model>& model, const EngineBenchOptions& a, const MachineLimits& lim) {
  SessionOptions o;
  o.context_capacity = 1024;
  o.threads = a.threads;
  auto s = Session::create(model, o);
  if (!s.ok()) {
    std::fprintf(stderr, "folio bench: %s\n", s.error().message.c_str());
    return 0;
  }
  const std::vector<int32_t> ids = promptIds(64, model->config().vocab_size);
  (void)s.value()->prefill(ids);
  const int steps = a.quick ? 16 : 48;
  double best = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const double t0 = now();
    for (int i = 0; i < steps / 3; ++i) (void)s.value()->decode(ids[static_cast<size_t>(i)]);
    best = std::min(best, (now() - t0) / (steps / 3));
  }
  const double bytes = activeBytesPerToken(*model, s.value()->position());
  const double bound = lim.triad_gbs * 1e9 / bytes;
  std::printf("\nB4 whole-model decode (position ~%lld)\n  tokens/s %.2f   active bytes/token %.1f MB   bandwidth bound %.2f tokens/s   -> %.1f%% of the bound\n",
              (long long)s.value()->position(), 1.0 / best, bytes / 1e6, bound, 100.0 / best / bound);
  return 1.0 / best;
}

// KV cache bytes of `tokens` positions (fp32 K and V rows of every softmax layer).
double kvBytes(const ModelConfig& c, int64_t tokens) {
  return 2.0 * 4.0 * double(tokens) * c.num_kv_heads * c.head_dim * c.numLayersOf(AttnType::Softmax);
}

double lightningStateBytes(const ModelConfig& c) {
  return 4.0 * double(c.num_heads) * c.head_dim * c.head_dim * c.numLayersOf(AttnType::Lightning);
}

// B5 prefill at each length, then B6: the resident memory with the last session alive, as the growth
// over the process before the model was loaded, against weights + KV + state.
void printB5B6(const std::shared_ptr<const Model>& model, const EngineBenchOptions& a, long rss_before_load,
               nlohmann::json& mine) {
  const ModelConfig& c = model->config();
  std::printf("\nB5 whole-model prefill\n  %8s %12s %10s\n", "T", "tokens/s", "s");
  std::vector<int64_t> lens = {512, 4096};
  if (a.long_prompts) lens.push_back(32768);
  if (a.quick) lens = {512};
  long rss_after = 0;
  int64_t last_cap = 0;
  {
    // untimed: the first pass over the mapped weights pays their page faults
    SessionOptions o;
    o.context_capacity = 512;
    o.threads = a.threads;
    if (auto s = Session::create(model, o); s.ok()) (void)s.value()->prefill(promptIds(512, c.vocab_size));
  }
  for (int64_t T : lens) {
    SessionOptions o;
    o.context_capacity = T;
    o.threads = a.threads;
    auto s = Session::create(model, o);
    if (!s.ok()) {
      std::fprintf(stderr, "folio bench: %s\n", s.error().message.c_str());
      return;
    }
    const std::vector<int32_t> ids = promptIds(T, c.vocab_size);
    const double t0 = now();
    (void)s.value()->prefill(ids);
    const double dt = now() - t0;
    std::printf("  %8lld %12.1f %10.2f\n", (long long)T, double(T) / dt, dt);
    mine["prefill_tok_s_" + std::to_string(T)] = double(T) / dt;
    rss_after = vmRssKiB();
    last_cap = T;
  }
  if (!a.want("B6")) return;
  const double weights = weightFileBytes(a.model);  // with --experts-int8 the mapped bf16 pages stay resident too
  const double kv = kvBytes(c, last_cap), st = lightningStateBytes(c);
  const double formula = weights + kv + st;
  const double grown = double(rss_after - rss_before_load) * 1024.0;
  std::printf("\nB6 resident memory after the %lld-token prefill (session alive)\n"
              "  VmRSS %.1f MB, of which %.1f MB since before the model was loaded\n"
              "  formula weights %.1f MB + KV %.1f MB + state %.1f MB = %.1f MB   growth / formula %.3f\n",
              (long long)last_cap, rss_after * 1.024e-3, grown / 1e6, weights / 1e6, kv / 1e6, st / 1e6,
              formula / 1e6, grown / formula);
}

// B7: one long prompt fed in pieces. The session allocates the KV cache for its whole capacity and the
// lightning states up front, so the resident memory must stay flat however far the prompt goes.
void printB7(const std::shared_ptr<const Model>& model, const EngineBenchOptions& a) {
  const ModelConfig& c = model->config();
  const int64_t total = a.long_tokens, piece = std::min<int64_t>(total, 8192);
  SessionOptions o;
  constexpr int kDecodeSteps = 8;  // decoded after the prompt
  o.context_capacity = total + kDecodeSteps;
  o.threads = a.threads;
  const double before = double(vmRssKiB()) * 1024.0;
  auto s = Session::create(model, o);
  if (!s.ok()) {
    std::fprintf(stderr, "folio bench: %s\n", s.error().message.c_str());
    return;
  }
  const double created = double(vmRssKiB()) * 1024.0;
  std::printf("\nB7 a %lld-token prompt in pieces of %lld\n"
              "  session created: VmRSS +%.1f MB (KV cache for %lld positions %.1f MB + lightning state %.1f MB + scratch)\n"
              "  %10s %12s %18s %12s\n", (long long)total, (long long)piece, (created - before) / 1e6, (long long)(total + kDecodeSteps),
              kvBytes(c, total + kDecodeSteps) / 1e6, lightningStateBytes(c) / 1e6, "tokens", "VmRSS MB", "since created MB",
              "tokens/s");
  const std::vector<int32_t> ids = promptIds(piece, c.vocab_size);
  double first = -1, rss = created;
  const double t0 = now();
  for (int64_t done = 0; done < total;) {
    const int64_t n = std::min(piece, total - done);
    if (Status st = s.value()->prefill(std::span<const int32_t>(ids.data(), static_cast<size_t>(n))); !st.ok()) {
      std::fprintf(stderr, "folio bench: %s\n", st.error().message.c_str());
      return;
    }
    done += n;
    rss = double(vmRssKiB()) * 1024.0;
    if (first < 0) first = rss;
    if ((done & (done - 1)) == 0 || done == total || done % (piece * 8) == 0) {
      std::printf("  %10lld %12.1f %18.1f %12.1f\n", (long long)done, rss / 1e6, (rss - created) / 1e6,
                  double(done) / (now() - t0));
    }
  }
  std::printf("  VmRSS grew by %.1f MB from the first piece to the last\n", (rss - first) / 1e6);
  // decode at the end of the long prompt: every softmax layer reads the whole KV cache per token
  const double d0 = now();
  for (int i = 0; i < kDecodeSteps; ++i) (void)s.value()->decode(ids[static_cast<size_t>(i)]);
  std::printf("  decode after the prompt: %.2f tokens/s\n", kDecodeSteps / (now() - d0));
}

void printBaselines(const EngineBenchOptions& a, const nlohmann::json& mine) {
  for (const std::string& baseline : a.baselines) {
    std::ifstream f(baseline);
    const nlohmann::json base = nlohmann::json::parse(f, nullptr, false);
    if (base.is_discarded()) {
      std::fprintf(stderr, "folio bench: cannot parse the baseline %s\n", baseline.c_str());
      continue;
    }
    std::printf("\nFolio / PyTorch baseline (%s)\n  %-22s %12s %12s %8s\n", base.value("label", "?").c_str(), "metric",
                "folio", "pytorch", "ratio");
    for (const auto& [k, v] : mine.items()) {
      if (!base.contains(k)) continue;
      const double fb = base[k].get<double>();
      std::printf("  %-22s %12.2f %12.2f %7.2fx\n", k.c_str(), v.get<double>(), fb, v.get<double>() / fb);
    }
  }
}

}  // namespace

Status runEngineBench(const EngineBenchOptions& a) {
  // the model first, so a wrong directory fails before minutes of measuring
  std::shared_ptr<const Model> model;
  const long rss0 = vmRssKiB();
  if (!a.model.empty()) {
    ModelLoadOptions lo;
    lo.experts_int8 = a.experts_int8;
    auto loaded = Model::load(a.model, lo);
    if (!loaded.ok()) return loaded.error();
    model = loaded.value();
  }
  ThreadPool pool(a.threads);
  const int W = pool.size();
  std::printf("threads %d\n\n", W);
  const MachineLimits lim = measureLimits(W);
  std::printf("B0 machine limits (%d threads, %s kernels)\n  triad bandwidth      %8.1f GB/s\n  fp32 FMA peak (%s) %8.1f GFLOP/s%s\n",
              W, lim.level, lim.triad_gbs, lim.level, lim.fma_peak_gflops,
              lim.fma_peak_gflops > 0 ? "" : " (reference kernels: no SIMD peak)");
  std::fflush(stdout);
  if (a.want("B1")) printB1(pool, lim, a.quick);
  if (a.want("B2")) printB2(pool);
  std::fflush(stdout);
  if (!model) {
    if (a.want("B3") || a.want("B4") || a.want("B5") || a.want("B6") || a.want("B7") || a.want("B8"))
      std::printf("\n(B3–B8 need --model DIR)\n");
    return {};
  }
  const ModelConfig& c = model->config();
  int64_t params = 0;
  for (const std::string& name : model->weights().names()) {
    int64_t n = 1;
    for (int64_t d : model->weights().get(name).shape) n *= d;
    params += n;
  }
  std::printf("\nmodel %s: %.3f B parameters, C %d, %d layers (%d lightning, %d softmax), H %d x D %d, KV %d, E %d top-%d, I %d, V %d%s\n",
              a.model.c_str(), double(params) / 1e9, c.hidden_size, c.num_layers, c.numLayersOf(AttnType::Lightning),
              c.numLayersOf(AttnType::Softmax), c.num_heads, c.head_dim, c.num_kv_heads, c.num_experts, c.top_k,
              c.intermediate_size, c.vocab_size, a.experts_int8 ? ", experts int8" : "");
  nlohmann::json mine = nlohmann::json::object();
  if (a.want("B3")) printB3(*model, pool);
  std::fflush(stdout);
  if (a.want("B4")) mine["decode_tok_s"] = printB4(model, a, lim);
  std::fflush(stdout);
  if (a.want("B5") || a.want("B6")) printB5B6(model, a, rss0, mine);  // B6 measures after B5's prefills
  std::fflush(stdout);
  if (a.want("B7")) printB7(model, a);
  std::fflush(stdout);
  if (a.want("B8")) printBatchDecodeTable(model, a);
  printBaselines(a, mine);
  return {};
}

}  // namespace folio::bench
