#include "engine/parallel/gpu_placement.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/parallel/shard.h"

namespace folio::engine {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr uint64_t kBf16 = 2, kF32 = 4;
constexpr int kMostGpus = 64;

uint64_t u(int64_t v) { return static_cast<uint64_t>(v); }

std::string gib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / kGiB);
  return buf;
}

// Bytes of an [out, in] matrix with `out` output channels: bf16, or int8 plus one f32 scale per channel.
uint64_t matrixBytes(uint64_t out, uint64_t in, bool int8) { return int8 ? out * in + kF32 * out : kBf16 * out * in; }

GpuShareBytes shareOf(const ModelConfig& c, const PlacementOptions& o, const Shard& shard) {
  const RankLayout l = rankLayout(c, shard);
  const uint64_t C = u(c.hidden_size), D = u(c.head_dim), E = u(c.num_experts), V = u(c.vocab_size),
                 Hr = u(l.heads.size()), KVr = u(l.kv_heads.size()), Ir = u(l.intermediate.size()),
                 SIr = u(l.shared_intermediate.size()), Vr = u(l.vocab.size()), T = u(o.prefill_chunk),
                 S = u(o.sequences), k = u(c.top_k);
  const uint64_t lightning = u(c.numLayersOf(AttnType::Lightning)), softmax = u(c.numLayersOf(AttnType::Softmax)),
                 layers = u(c.num_layers);
  GpuShareBytes b;
  // qkv [3·Hr·D, C], output_gate [Hr·D, C], out_proj [C, Hr·D], norm [Hr·D]
  b.attention = lightning * kBf16 * (5 * Hr * D * C + Hr * D);
  // q_proj [Hr·D, C], k_proj and v_proj [KVr·D, C], o_proj [C, Hr·D]
  b.attention += softmax * kBf16 * (2 * Hr * D * C + 2 * KVr * D * C);
  // w1, w3 [Ir, C] and w2 [C, Ir]; w2's per-row int8 scales cover all C rows on every rank
  b.experts = layers * E * (2 * matrixBytes(Ir, C, o.int8_experts) + matrixBytes(C, Ir, o.int8_experts));
  if (c.shared_intermediate_size > 0) b.shared_expert = layers * kBf16 * (3 * SIr * C + C);
  b.replicated = kBf16 * (2 * layers * C + C) + layers * kF32 * E * C;  // input/post/final norms; f32 routers
  b.embedding = kBf16 * Vr * C;
  b.lm_head = kBf16 * Vr * C;
  b.kv_cache = softmax * KVr * D * 2 * kBf16 * u(o.context_tokens) * S;
  b.lightning_state = lightning * Hr * D * D * kF32 * S;
  // The buffers engine/cuda/cuda_forward.cpp allocates for a chunk of T tokens (fp32 unless noted):
  //   residual, normed input, attention and MoE sums (all-reduced in place)        4·T·C
  //   lightning q, k, v, output gate and head outputs                              5·T·Hr·D
  //   router logits, the chosen experts and weights, how many were kept            T·(E + 2k + 1)
  //   tokens permuted by expert, their expert outputs                              2·T·k·C
  //   gate/up hidden units                                                         2·T·k·max(Ir, SIr)
  //   shared-expert coefficient                                                    T
  //   bf16 copy of a matrix product's input                                        2 bytes · T·max(C, Hr·D, Ir, SIr)
  //   int8 experts: the bf16 copy of one expert matrix cuBLAS multiplies           2 bytes · Ir·C
  //   the lm_head's R = min(T, 2^24 / V) rows: normed input and logits             R·(C + V)
  //   with several ranks, this rank's vocabulary part and every rank's part        R·(Vr + N·Vr)
  const uint64_t R = std::clamp<uint64_t>((uint64_t{1} << 24) / std::max<uint64_t>(V, 1), 1, T);
  const uint64_t N = u(shard.size), hidden = std::max(Ir, SIr), widest = std::max({C, Hr * D, Ir, SIr});
  b.activations = kF32 * (4 * T * C + 5 * T * Hr * D + T * (E + 2 * k + 1) + 2 * T * k * C + 2 * T * k * hidden + T +
                          R * (C + V) + (N > 1 ? R * (Vr + N * Vr) : 0)) +
                  kBf16 * T * widest + (o.int8_experts ? kBf16 * Ir * C : 0);
  b.reserve = static_cast<uint64_t>(std::llround(o.reserve_gib * kGiB));
  return b;
}

// The fullest rank's share (ranks differ only where a split is uneven).
GpuShareBytes fullestShare(const ModelConfig& c, const PlacementOptions& o, int gpus) {
  GpuShareBytes most;
  for (int r = 0; r < gpus; ++r) {
    const GpuShareBytes b = shareOf(c, o, Shard{r, gpus});
    if (b.total() > most.total()) most = b;
  }
  return most;
}

}  // namespace

GpuPlacement planGpuPlacement(const ModelConfig& config, const PlacementOptions& options) {
  GpuPlacement p;
  p.options = options;
  p.gpu_memory = static_cast<uint64_t>(std::llround(options.gpu_memory_gib * kGiB));
  const Status split = checkTensorParallel(config, options.gpus);
  if (!split.ok()) {
    p.not_possible = split.error().message;
    p.refusal = "cannot place the model on " + std::to_string(options.gpus) + " GPUs: " + p.not_possible;
    return p;
  }
  p.per_gpu = fullestShare(config, options, options.gpus);
  p.fits = p.per_gpu.total() <= p.gpu_memory;
  if (p.fits) return p;
  const uint64_t need = p.per_gpu.total();
  p.refusal = "does not fit: " + std::to_string(options.gpus) + " × " + gib(p.gpu_memory) + " needs " + gib(need) +
              " per GPU (weights " + gib(p.per_gpu.weights()) + ", KV cache " + gib(p.per_gpu.kv_cache) +
              ", lightning state " + gib(p.per_gpu.lightning_state) + ", activations and reserve " +
              gib(p.per_gpu.activations + p.per_gpu.reserve) + "), " + gib(need - p.gpu_memory) + " more than each GPU has";
  if (p.per_gpu.weights() > p.gpu_memory) p.refusal += "; the weights alone exceed it";
  for (int n = options.gpus + 1; n <= kMostGpus; ++n) {
    if (!checkTensorParallel(config, n).ok()) continue;
    if (fullestShare(config, options, n).total() <= p.gpu_memory) {
      p.gpus_that_fit = n;
      p.refusal += "; " + std::to_string(n) + " such GPUs would fit";
      break;
    }
  }
  return p;
}

}  // namespace folio::engine
