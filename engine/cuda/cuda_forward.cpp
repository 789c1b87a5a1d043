#include "engine/cuda/cuda_forward.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "engine/common/check.h"

namespace folio::engine::cuda {

namespace kc = kernels::cuda;

namespace {
size_t sz(int64_t n) { return static_cast<size_t>(n); }
constexpr int64_t kLogitElems = int64_t{1} << 24;  // lm_head output rows per pass: R·V ≤ 16M floats
}  // namespace

CudaForward::CudaForward(std::shared_ptr<const DeviceModel> model, int64_t max_tokens, cudaStream_t stream,
                         const TensorParallelRank* tp)
    : model_(std::move(model)), cfg_(model_->config()), stream_(stream), max_tokens_(max_tokens) {
  if (tp) {
    FOLIO_CHECK(tp->comm != nullptr && tp->model_heads >= cfg_.num_heads);
    FOLIO_CHECK(tp->layout.heads.size() == cfg_.num_heads && tp->layout.vocab.size() == model_->lmHead().rows &&
                tp->layout.vocab.size() == model_->embedding().rows);
    tp_ = std::make_unique<const TensorParallelRank>(*tp);
  }
  const int64_t T = max_tokens, C = cfg_.hidden_size, HD = int64_t{cfg_.num_heads} * cfg_.head_dim,
                KVD = int64_t{cfg_.num_kv_heads} * cfg_.head_dim, E = cfg_.num_experts, K = cfg_.top_k,
                I = cfg_.intermediate_size, SI = cfg_.shared_intermediate_size, V = cfg_.vocab_size,
                L = cfg_.num_layers;
  FOLIO_CHECK(T >= 1);
  logit_rows_ = std::clamp<int64_t>(kLogitElems / V, 1, T);
  // int8 experts (--experts-int8) multiply a prefill chunk's rows through a bf16 copy of one matrix
  int64_t i8_elems = 0;
  for (int l = 0; l < L; ++l)
    for (const auto* list : {&model_->layer(l).w1, &model_->layer(l).w3, &model_->layer(l).w2})
      for (const DeviceMatrix& w : *list)
        if (w.dtype == kernels::DType::I8) i8_elems = std::max(i8_elems, w.rows * w.cols);
  gemm_ = std::make_unique<kc::GemmContext>(stream_, T * std::max({C, HD, I, SI}),
                                            T > kc::kI8GemvMaxTokens ? i8_elems : 0);
  seqs_.reserve(sz(T));
  ids_host_ = PinnedBuffer<int32_t>(sz(T));
  ids_ = DeviceBuffer<int32_t>(sz(T));
  for (auto* b : {&x_, &xn_, &attn_, &moe_}) *b = DeviceBuffer<float>(sz(T * C));
  qkv_ = DeviceBuffer<float>(sz(T * std::max(3 * HD, HD + 2 * KVD)));
  gate_ = DeviceBuffer<float>(sz(T * HD));
  heads_ = DeviceBuffer<float>(sz(T * HD));
  attn_scratch_ = DeviceBuffer<std::byte>(sz(kc::attentionDecodeScratchBytes(cfg_.num_heads, cfg_.head_dim)));
  router_ = DeviceBuffer<float>(sz(T * E));
  experts_ = DeviceBuffer<int>(sz(T * K));
  weights_ = DeviceBuffer<float>(sz(T * K));
  kept_ = DeviceBuffer<int>(sz(T));
  counts_ = DeviceBuffer<int>(sz(E));
  offsets_ = DeviceBuffer<int>(sz(E + 1));
  perm_token_ = DeviceBuffer<int>(sz(T * K));
  perm_weight_ = DeviceBuffer<float>(sz(T * K));
  perm_scratch_ = DeviceBuffer<std::byte>(sz(kc::moePermuteScratchBytes(T, static_cast<int>(K), static_cast<int>(E))));
  xperm_ = DeviceBuffer<float>(sz(T * K * C));
  act_ = DeviceBuffer<float>(sz(T * std::max(K * I, SI)));
  up_ = DeviceBuffer<float>(sz(T * std::max(K * I, SI)));
  y_ = DeviceBuffer<float>(sz(T * K * C));
  coef_ = DeviceBuffer<float>(sz(T));
  final_ = DeviceBuffer<float>(sz(logit_rows_ * C));
  logits_ = DeviceBuffer<float>(sz(logit_rows_ * V));
  if (tp_) {
    const int64_t N = tp_->comm->size(), stride = tp_->layout.vocab_stride;
    norm_ss_ = DeviceBuffer<float>(sz(T));
    rank_logits_ = DeviceBuffer<float>(sz(logit_rows_ * stride));
    gathered_ = DeviceBuffer<float>(sz(N * logit_rows_ * stride));
  }
  offsets_host_ = PinnedBuffer<int>(sz(E + 1));
  experts_host_ = PinnedBuffer<int>(sz(L * T * K));
  weights_host_ = PinnedBuffer<float>(sz(L * T * K));
  kept_host_ = PinnedBuffer<int>(sz(L * T));
  choices_.resize(sz(K));
}

int64_t CudaForward::deviceBytes() const {
  size_t b = gemm_->workspaceElems() * sizeof(uint16_t) + ids_.bytes() + perm_scratch_.bytes() +
             attn_scratch_.bytes();
  for (const auto* f : {&x_, &xn_, &attn_, &moe_, &qkv_, &gate_, &heads_, &router_, &weights_, &perm_weight_, &xperm_,
                        &act_, &up_, &y_, &coef_, &final_, &logits_, &norm_ss_, &rank_logits_, &gathered_}) {
    b += f->bytes();
  }
  for (const auto* i : {&experts_, &kept_, &counts_, &offsets_, &perm_token_}) b += i->bytes();
  return static_cast<int64_t>(b);
}

void CudaForward::run(DeviceState& state, int64_t p0, std::span<const int32_t> ids, bool decode, bool every_row,
                      float* all_logits, float* last_logits, const ForwardRouting& routing) {
  const int64_t T = static_cast<int64_t>(ids.size()), V = cfg_.vocab_size;
  FOLIO_CHECK(T >= 1 && T <= max_tokens_ && p0 + T <= state.capacity());
  FOLIO_CHECK(!decode || T == 1);
  FOLIO_CHECK(every_row || all_logits == nullptr);
  tau_ = routing.expert_threshold;
  std::copy(ids.begin(), ids.end(), ids_host_.get());
  FOLIO_CUDA_CHECK(cudaMemcpyAsync(ids_.get(), ids_host_.get(), sz(T) * 4, cudaMemcpyHostToDevice, stream_));
  const bool record = routing.sink != nullptr || routing.aggregate != nullptr;
  if (decode) {
    // one row of logits; the copy stays outside the graph (the caller's memory may be pageable)
    enqueueDecodeStep(state, p0, record);
    float* out = all_logits ? all_logits : last_logits;
    if (out) FOLIO_CUDA_CHECK(cudaMemcpyAsync(out, logits_.get(), sz(V) * 4, cudaMemcpyDeviceToHost, stream_));
    FOLIO_CUDA_CHECK(cudaStreamSynchronize(stream_));
    if (all_logits && last_logits) std::memcpy(last_logits, all_logits, sz(V) * sizeof(float));
  } else {
    forward(state, p0, T, /*decode=*/false, record);
    readLogits(T, every_row, all_logits, last_logits);
  }
  if (record) reportRouting(0, T, p0, routing);
}

void CudaForward::decodeBatch(std::span<const BatchSequence> seqs, std::span<const int32_t> ids) {
  const int64_t B = static_cast<int64_t>(ids.size()), V = cfg_.vocab_size;
  FOLIO_CHECK(!tp_ && B >= 1 && B <= maxBatch() && seqs.size() == ids.size());
  tau_ = seqs.front().routing.expert_threshold;
  bool record = false;
  seqs_.clear();
  for (int64_t b = 0; b < B; ++b) {
    const BatchSequence& seq = seqs[sz(b)];
    FOLIO_CHECK(seq.state && seq.logits && seq.p0 + 1 <= seq.state->capacity());
    FOLIO_CHECK(seq.routing.expert_threshold == tau_);  // routeTopK takes one τ per call
    record = record || seq.routing.sink != nullptr || seq.routing.aggregate != nullptr;
    seqs_.push_back(SequenceRows{seq.state, b, 1, seq.p0});
  }
  std::copy(ids.begin(), ids.end(), ids_host_.get());
  FOLIO_CUDA_CHECK(cudaMemcpyAsync(ids_.get(), ids_host_.get(), sz(B) * 4, cudaMemcpyHostToDevice, stream_));
  forwardRows(B, /*decode=*/true, record);
  enqueueLmHead(0, B);
  for (int64_t b = 0; b < B; ++b) {
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(seqs[sz(b)].logits, logits_.get() + b * V, sz(V) * 4, cudaMemcpyDeviceToDevice,
                                     stream_));
  }
  FOLIO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  if (record) {
    for (int64_t b = 0; b < B; ++b) reportRouting(b, 1, seqs[sz(b)].p0, seqs[sz(b)].routing);
  }
}

void CudaForward::readLogits(int64_t T, bool every_row, float* all_logits, float* last_logits) {
  const int64_t V = cfg_.vocab_size;
  // final norm and the lm_head: every row when asked for, in passes of R rows, else only the last
  // (a tensor-parallel rank other than 0 runs the same passes for their collectives and keeps nothing)
  if (every_row) {
    for (int64_t first = 0; first < T; first += logit_rows_) {
      const int64_t rows = std::min(logit_rows_, T - first);
      enqueueLmHead(first, rows);
      if (all_logits) {
        FOLIO_CUDA_CHECK(cudaMemcpyAsync(all_logits + first * V, logits_.get(), sz(rows * V) * 4,
                                         cudaMemcpyDeviceToHost, stream_));
      }
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(stream_));
    }
    if (all_logits && last_logits) std::memcpy(last_logits, all_logits + (T - 1) * V, sz(V) * sizeof(float));
  } else {
    enqueueLmHead(T - 1, 1);
    if (last_logits) {
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(last_logits, logits_.get(), sz(V) * 4, cudaMemcpyDeviceToHost, stream_));
    }
    FOLIO_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
}

void CudaForward::allReduce(float* data, int64_t n) {
  if (!tp_) return;
  const Status s = tp_->comm->allReduceSum(data, n);
  if (!s.ok()) throw std::runtime_error("tensor-parallel all-reduce: " + s.error().message);
}

void CudaForward::lightningNorm(const DeviceLayer& lw, int64_t T) {
  const int64_t HD = int64_t{cfg_.num_heads} * cfg_.head_dim;
  const auto eps = static_cast<float>(cfg_.lightning_norm_eps);
  if (!tp_) {
    kc::rmsNorm(heads_.get(), T, HD, lw.lightning_norm, eps, heads_.get(), stream_);
    return;
  }
  // the mean of squares runs over every rank's heads: sum this rank's part, add the ranks' sums
  kc::rowSumSquares(heads_.get(), T, HD, norm_ss_.get(), stream_);
  allReduce(norm_ss_.get(), T);
  kc::rmsNormWithSumSquares(heads_.get(), T, HD, norm_ss_.get(), tp_->model_heads * cfg_.head_dim,
                            lw.lightning_norm, eps, heads_.get(), stream_);
}

void CudaForward::shardedLmHead(int64_t rows) {
  const int64_t V = cfg_.vocab_size, N = tp_->comm->size(), stride = tp_->layout.vocab_stride;
  const int64_t padded = rows * stride;  // the same count on every rank
  kc::matmul(*gemm_, final_.get(), rows, model_->lmHead(), rank_logits_.get());  // [rows, Vr], Vr ≤ stride
  const Status s = tp_->comm->allGather(rank_logits_.get(), padded, gathered_.get());
  if (!s.ok()) throw std::runtime_error("tensor-parallel lm_head all-gather: " + s.error().message);
  for (int r = 0; r < N; ++r) {
    const IndexRange vr = splitRange(V, static_cast<int>(N), r);
    // rank r's [rows, Vr] block into columns vr of logits_ [rows, V]
    FOLIO_CUDA_CHECK(cudaMemcpy2DAsync(logits_.get() + vr.begin, sz(V) * 4, gathered_.get() + r * padded,
                                       sz(vr.size()) * 4, sz(vr.size()) * 4, sz(rows), cudaMemcpyDeviceToDevice,
                                       stream_));
  }
}

void CudaForward::enqueueDecode(DeviceState& state, int64_t p0, int32_t id) {
  FOLIO_CHECK(p0 + 1 <= state.capacity());
  ids_host_[0] = id;
  FOLIO_CUDA_CHECK(cudaMemcpyAsync(ids_.get(), ids_host_.get(), 4, cudaMemcpyHostToDevice, stream_));
  enqueueDecodeStep(state, p0, /*record_routing=*/false);
}

void CudaForward::enqueueDecodeStep(DeviceState& state, int64_t p0, bool record_routing) {
  const auto enqueue = [&] {
    forward(state, p0, 1, /*decode=*/true, record_routing);
    enqueueLmHead(0, 1);
  };
  if (decode_graphs_ && !tp_ && graph_.launch(stream_, enqueue)) return;
  enqueue();  // graphs off, or the capture failed (the graph is then off for good)
}

void CudaForward::forward(DeviceState& state, int64_t p0, int64_t T, bool decode, bool record_routing) {
  seqs_.clear();
  seqs_.push_back(SequenceRows{&state, 0, T, p0});
  forwardRows(T, decode, record_routing);
}

void CudaForward::forwardRows(int64_t T, bool decode, bool record_routing) {
  const int64_t C = cfg_.hidden_size;
  const float eps = static_cast<float>(cfg_.rms_norm_eps);
  if (tp_) {
    // each rank holds its vocabulary rows of the embedding: the ranks' lookups add up to the whole one
    kc::embeddingGatherPart(model_->embedding(), tp_->layout.vocab.begin, ids_.get(), T, x_.get(), stream_);
    allReduce(x_.get(), T * C);
  } else {
    kc::embeddingGather(model_->embedding(), ids_.get(), T, x_.get(), stream_);
  }
  for (int l = 0; l < cfg_.num_layers; ++l) {
    const DeviceLayer& lw = model_->layer(l);
    kc::rmsNorm(x_.get(), T, C, lw.input_norm, eps, xn_.get(), stream_);
    if (lw.type == AttnType::Lightning) {
      lightningAttention(lw, l, T, decode);
    } else {
      softmaxAttention(lw, l, T);
    }
    // h = α·(postnorm ? xn : x) + β·attn, kept in x_
    kc::residualMix(x_.get(), cfg_.postnorm ? xn_.get() : x_.get(), lw.alpha_attn, attn_.get(), lw.beta_attn, T * C,
                    stream_);
    kc::rmsNorm(x_.get(), T, C, lw.post_norm, eps, xn_.get(), stream_);
    moe(lw, l, T, record_routing);
    // y = α_mlp·(postnorm ? hn : h) + β_mlp·moe
    kc::residualMix(x_.get(), cfg_.postnorm ? xn_.get() : x_.get(), static_cast<float>(cfg_.alpha_mlp), moe_.get(),
                    static_cast<float>(cfg_.beta_mlp), T * C, stream_);
  }
}

void CudaForward::enqueueLmHead(int64_t first, int64_t rows) {
  const int64_t C = cfg_.hidden_size;
  FOLIO_CHECK(rows >= 1 && rows <= logit_rows_);
  kc::rmsNorm(x_.get() + first * C, rows, C, model_->finalNorm(), static_cast<float>(cfg_.rms_norm_eps), final_.get(),
              stream_);
  if (tp_) {
    shardedLmHead(rows);
  } else {
    kc::matmul(*gemm_, final_.get(), rows, model_->lmHead(), logits_.get());
  }
}

void CudaForward::reportRouting(int64_t row0, int64_t rows, int64_t p0, const ForwardRouting& routing) {
  const int64_t K = cfg_.top_k;
  for (int l = 0; l < cfg_.num_layers; ++l) {
    for (int64_t t = row0; t < row0 + rows; ++t) {
      const int kept = kept_host_[sz(l * max_tokens_ + t)];
      const size_t at = sz((l * max_tokens_ + t) * K);
      for (int j = 0; j < kept; ++j) {
        choices_[sz(j)] = {static_cast<int16_t>(experts_host_[at + sz(j)]), weights_host_[at + sz(j)]};
      }
      if (routing.sink) routing.sink->onRouting(p0 + t - row0, l, choices_.data(), kept);
      if (routing.aggregate) routing.aggregate->add(l, choices_.data(), kept, static_cast<int>(K));
    }
  }
}

}  // namespace folio::engine::cuda
