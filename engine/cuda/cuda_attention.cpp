// The two attention kinds of the CUDA forward pass, mirroring engine/model/cpu_attention.cpp (see
// cuda_forward.h for the dimension letters).
#include "engine/cuda/cuda_forward.h"

#include "engine/common/check.h"

namespace folio::engine::cuda {

namespace kc = kernels::cuda;

void CudaForward::lightningAttention(const DeviceLayer& lw, int layer, int64_t T, bool decode) {
  const int64_t H = cfg_.num_heads, D = cfg_.head_dim, HD = H * D;
  kc::matmul(*gemm_, xn_.get(), T, lw.qkv, qkv_.get());  // [T, H, 3, D]
  kc::siluInPlace(qkv_.get(), T * 3 * HD, stream_);       // silu on q, k and v; no 1/√D scale
  if (decode) {
    // each sequence's token on its own state (a batched step has several)
    for (const SequenceRows& seq : seqs_) {
      DeviceLayerState& ls = seq.state->layer(layer);
      kc::lightningDecode(qkv_.get() + seq.row0 * 3 * HD, H, D, lw.decay, ls.lightning.get(), ls.pending.get(),
                          heads_.get() + seq.row0 * HD, stream_);
    }
  } else {
    FOLIO_CHECK(seqs_.size() == 1);  // a prefill chunk is one sequence's
    DeviceLayerState& ls = seqs_.front().state->layer(layer);
    // a bf16/i8 model reads every matmul input as bf16 (7-bit mantissa), so one TF32 product per tile
    // (10-bit) loses nothing it keeps; an fp32 checkpoint keeps the fp32-level 3xTF32 products
    const auto precision =
        lw.qkv.dtype == kernels::DType::F32 ? kc::LightningPrecision::Fp32 : kc::LightningPrecision::Tf32;
    kc::lightningPrefill(qkv_.get(), T, H, D, lw.decay, ls.lightning.get(), ls.pending.get(), heads_.get(), stream_,
                         precision);
  }
  // one RMSNorm over all H·D columns (eps lightning_norm_eps), times σ(xn·W_gateᵀ), then out_proj
  lightningNorm(lw, T);
  kc::matmul(*gemm_, xn_.get(), T, lw.output_gate, gate_.get());  // [T, H·D]
  kc::sigmoidInPlace(gate_.get(), T * HD, stream_);
  kc::mulInPlace(heads_.get(), gate_.get(), T * HD, stream_);
  kc::matmul(*gemm_, heads_.get(), T, lw.out_proj, attn_.get());  // [T, C] (a rank: its heads' part)
  allReduce(attn_.get(), T * cfg_.hidden_size);
}

void CudaForward::softmaxAttention(const DeviceLayer& lw, int layer, int64_t T) {
  const int64_t H = cfg_.num_heads, KV = cfg_.num_kv_heads, D = cfg_.head_dim, HD = H * D, KVD = KV * D;
  float* q = qkv_.get();     // [T, H, D]
  float* k = q + T * HD;     // [T, KV, D]
  float* v = k + T * KVD;    // [T, KV, D]
  kc::matmul(*gemm_, xn_.get(), T, lw.q_proj, q);
  kc::matmul(*gemm_, xn_.get(), T, lw.k_proj, k);
  kc::matmul(*gemm_, xn_.get(), T, lw.v_proj, v);
  void* scratch = attn_scratch_.get();
  const int64_t scratch_bytes = static_cast<int64_t>(attn_scratch_.bytes());
  // each sequence's rows: rotated at its positions, appended to its cache [P, KV, D] (bf16, or fp32 for
  // an fp32 model), then attending over its rows 0 … p0+t (in order on the stream: the scratch is shared)
  for (const SequenceRows& seq : seqs_) {
    DeviceLayerState& ls = seq.state->layer(layer);
    float* qs = q + seq.row0 * HD;
    float* ks = k + seq.row0 * KVD;
    float* vs = v + seq.row0 * KVD;
    float* out = heads_.get() + seq.row0 * HD;
    kc::ropeNeox(qs, seq.rows, H, D, HD, cfg_.rotary_dim, cfg_.rope_theta, seq.p0, stream_);
    kc::ropeNeox(ks, seq.rows, KV, D, KVD, cfg_.rotary_dim, cfg_.rope_theta, seq.p0, stream_);
    if (ls.k_cache32.size()) {
      kc::kvAppend(ks, KVD, vs, KVD, seq.rows, KV, D, ls.k_cache32.get(), ls.v_cache32.get(), seq.p0, stream_);
      kc::softmaxAttention(qs, HD, ls.k_cache32.get(), ls.v_cache32.get(), seq.p0, seq.rows, H, KV, D, out, scratch,
                           scratch_bytes, stream_);
    } else {
      kc::kvAppend(ks, KVD, vs, KVD, seq.rows, KV, D, ls.k_cache.get(), ls.v_cache.get(), seq.p0, stream_);
      kc::softmaxAttention(qs, HD, ls.k_cache.get(), ls.v_cache.get(), seq.p0, seq.rows, H, KV, D, out, scratch,
                           scratch_bytes, stream_);
    }
  }
  kc::matmul(*gemm_, heads_.get(), T, lw.o_proj, attn_.get());  // [T, C] (a rank: its heads' part)
  allReduce(attn_.get(), T * cfg_.hidden_size);
}

}  // namespace folio::engine::cuda
