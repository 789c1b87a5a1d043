// The two attention kinds of the CPU forward pass (see cpu_forward.h for the dimension letters).
#include <algorithm>
#include <cstring>

#include "engine/model/cpu_forward.h"
#include "engine/parallel/sharded_rms_norm.h"
#include "kernels/cpu/elementwise.h"
#include "kernels/cpu/lightning.h"
#include "kernels/cpu/softmax_attention.h"

namespace folio::engine {

namespace kern = kernels;

void CpuForward::lightningAttention(const LayerWeights& lw, int layer, int64_t T, bool decode) {
  const int64_t H = cfg_.num_heads, D = cfg_.head_dim, HD = H * D;
  // q, k, v [T, H, 3, D] and the output gate [T, H·D] both from xn_, in one job
  const Product products[] = {{xn_.data(), T, &lw.qkv, qkv_.data()}, {xn_.data(), T, &lw.output_gate, gate_.data()}};
  matmuls(products);
  kern::silu(qkv_.data(), T * 3 * HD);          // silu on q, k and v; no 1/√D scale
  const size_t scratch = static_cast<size_t>(kern::lightningPrefillScratch(D));
  // items: (sequence, head), each on its own state
  const int64_t items = static_cast<int64_t>(seqs_.size()) * H;
  pool_.parallelChunks(items, 1, [&](int64_t i0, int64_t i1, int worker) {
    for (int64_t i = i0; i < i1; ++i) {
      const SequenceRows& seq = seqs_[static_cast<size_t>(i / H)];
      const int64_t h = i % H;
      LayerState& ls = seq.state->layers[static_cast<size_t>(layer)];
      const float* q = qkv_.data() + seq.row0 * 3 * HD + h * 3 * D;  // row t at q + t·3HD
      float* state = ls.lightning.data() + h * D * D;  // [D, D]
      int32_t* pending = ls.pending.data() + h;
      float* out = heads_.data() + seq.row0 * HD + h * D;  // [T, H, D] row t at out + t·HD
      if (decode) {
        kern::lightningDecodeHead(q, q + D, q + 2 * D, D, lw.decay[static_cast<size_t>(h)], state, pending, out);
      } else {
        kern::lightningPrefillHead(q, q + D, q + 2 * D, 3 * HD, seq.rows, D, lw.decay[static_cast<size_t>(h)], state,
                                   pending, out, HD, lscratch_.data() + static_cast<size_t>(worker) * scratch);
      }
    }
  });
  // one RMSNorm over all H·D columns (eps lightning_norm_eps), times σ(xn·W_gateᵀ), then out_proj
  lightningNorm(lw, T);
  kern::sigmoid(gate_.data(), T * HD);
  for (int64_t i = 0; i < T * HD; ++i) heads_[static_cast<size_t>(i)] *= gate_[static_cast<size_t>(i)];
  matmul(heads_.data(), T, lw.out_proj, attn_.data());  // [T, C] (this rank's heads' part)
  allReduce(attn_.data(), T * cfg_.hidden_size);
}

void CpuForward::lightningNorm(const LayerWeights& lw, int64_t T) {
  const int64_t HD = int64_t{cfg_.num_heads} * cfg_.head_dim;
  const auto eps = static_cast<float>(cfg_.lightning_norm_eps);
  if (!comm_) {
    kern::rmsNorm(heads_.data(), T, HD, lw.lightning_norm.data(), eps, heads_.data());
    return;
  }
  const int64_t all_HD = int64_t{rank_->modelConfig().num_heads} * cfg_.head_dim;
  const Status s = shardedRmsNorm(heads_.data(), T, HD, all_HD, lw.lightning_norm.data(), eps, heads_.data(),
                                  norm_ss_.data(), *comm_);
  checkCollective(s);
}

void CpuForward::softmaxAttention(const LayerWeights& lw, int layer, int64_t T) {
  const int64_t H = cfg_.num_heads, KV = cfg_.num_kv_heads, D = cfg_.head_dim;
  const Product products[] = {{xn_.data(), T, &lw.q_proj, q_.data()},   // [T, H, D]
                              {xn_.data(), T, &lw.k_proj, k_.data()},   // [T, KV, D]
                              {xn_.data(), T, &lw.v_proj, v_.data()}};  // [T, KV, D]
  matmuls(products);
  // each sequence's rows: rotated at its positions and appended to its cache [P, KV, D]
  const size_t row = static_cast<size_t>(KV * D);
  const int64_t G = H / KV, block_tokens = std::max<int64_t>(8, 64 / G);
  seq_items_.clear();
  seq_items_.push_back(0);
  for (const SequenceRows& seq : seqs_) {
    float* q = q_.data() + seq.row0 * H * D;
    float* k = k_.data() + seq.row0 * KV * D;
    kern::ropeNeox(q, seq.rows, H, D, cfg_.rotary_dim, cfg_.rope_theta, seq.p0);
    kern::ropeNeox(k, seq.rows, KV, D, cfg_.rotary_dim, cfg_.rope_theta, seq.p0);
    LayerState& ls = seq.state->layers[static_cast<size_t>(layer)];
    const size_t bytes = static_cast<size_t>(seq.rows) * row * sizeof(float);
    std::memcpy(ls.k_cache.data() + static_cast<size_t>(seq.p0) * row, k, bytes);
    std::memcpy(ls.v_cache.data() + static_cast<size_t>(seq.p0) * row, v_.data() + seq.row0 * KV * D, bytes);
    const int64_t tokens = seq.rows == 1 ? 1 : block_tokens;
    seq_items_.push_back(seq_items_.back() + KV * ((seq.rows + tokens - 1) / tokens));
  }
  // items: (sequence, kv-head group, block of its tokens); the kernel is causal by absolute position, so
  // a block of tokens is the same call with its own start
  pool_.parallelChunks(seq_items_.back(), 1, [&](int64_t i0, int64_t i1, int worker) {
    size_t s = 0;
    for (int64_t i = i0; i < i1; ++i) {
      while (i >= seq_items_[s + 1]) ++s;
      const SequenceRows& seq = seqs_[s];
      const LayerState& ls = seq.state->layers[static_cast<size_t>(layer)];
      const int64_t tokens = seq.rows == 1 ? 1 : block_tokens, blocks = (seq.rows + tokens - 1) / tokens;
      const int64_t j = i - seq_items_[s], g = j / blocks, t0 = (j % blocks) * tokens;
      const int64_t nt = std::min(tokens, seq.rows - t0), row0 = seq.row0 + t0;
      kern::softmaxAttention(q_.data() + row0 * H * D, ls.k_cache.data(), ls.v_cache.data(), seq.p0 + t0, nt, H, KV,
                             D, heads_.data() + row0 * H * D, g * G, (g + 1) * G,
                             scores_.data() + static_cast<size_t>(worker) * static_cast<size_t>(attn_scratch_));
    }
  });
  matmul(heads_.data(), T, lw.o_proj, attn_.data());  // [T, C] (this rank's heads' part)
  allReduce(attn_.data(), T * cfg_.hidden_size);
}

}  // namespace folio::engine
