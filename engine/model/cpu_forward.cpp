#include "engine/model/cpu_forward.h"

#include <algorithm>
#include <cstring>

#include "engine/common/check.h"
#include "kernels/cpu/elementwise.h"
#include "kernels/cpu/lightning.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/softmax_attention.h"
#include "kernels/cpu/ref_matmul.h"

namespace folio::engine {

namespace ref = kernels::ref;
namespace kern = kernels;

namespace {
size_t sz(int64_t n) { return static_cast<size_t>(n); }
}  // namespace

CpuForward::CpuForward(const Model& model, int64_t max_tokens, int64_t capacity, ThreadPool& pool)
    : CpuForward(model.config(), max_tokens, capacity, pool) {
  for (int l = 0; l < cfg_.num_layers; ++l) layers_.push_back(&model.layer(l));
  embedding_ = &model.embedding();
  lm_head_ = &model.lmHead();
  final_norm_ = &model.finalNorm();
}

CpuForward::CpuForward(const RankWeights& rank, Comm& comm, int64_t max_tokens, int64_t capacity, ThreadPool& pool)
    : CpuForward(rank.config(), max_tokens, capacity, pool) {
  FOLIO_CHECK(comm.size() == rank.shard().size && comm.rank() == rank.shard().rank);
  for (int l = 0; l < cfg_.num_layers; ++l) layers_.push_back(&rank.layer(l));
  embedding_ = &rank.embedding();
  lm_head_ = &rank.lmHead();
  final_norm_ = &rank.finalNorm();
  comm_ = &comm;
  rank_ = &rank;
  norm_ss_.resize(sz(max_tokens));
  // one row of logits, so decode allocates nothing; prefill with every row's logits grows them
  rank_logits_.resize(sz(rank.layout().vocab_stride));
  gathered_.resize(sz(int64_t{comm.size()} * rank.layout().vocab_stride));
}

CpuForward::CpuForward(const ModelConfig& config, int64_t max_tokens, int64_t capacity, ThreadPool& pool)
    : cfg_(config), pool_(pool), max_tokens_(max_tokens), capacity_(capacity) {
  const int64_t T = max_tokens, C = cfg_.hidden_size, HD = int64_t{cfg_.num_heads} * cfg_.head_dim,
                KVD = int64_t{cfg_.num_kv_heads} * cfg_.head_dim, E = cfg_.num_experts, K = cfg_.top_k,
                I = std::max(cfg_.intermediate_size, cfg_.shared_intermediate_size);
  const bool any_lightning = cfg_.numLayersOf(AttnType::Lightning) > 0;
  const bool any_softmax = cfg_.numLayersOf(AttnType::Softmax) > 0;
  for (auto* b : {&x_, &xn_, &attn_, &moe_, &final_}) b->resize(sz(T * C));
  seqs_.reserve(sz(T));
  row_seq_.resize(sz(T));
  seq_items_.reserve(sz(T + 1));
  const int64_t TK = T * std::max<int64_t>(1, K);  // rows gathered for the experts
  xg_.resize(sz(TK * C));
  y_.resize(sz(TK * C));
  slots_.reserve(sz(E));
  plan_.reserve(sz(std::max<int64_t>(E, 4)));  // so decode allocates nothing
  heads_.resize(sz(T * HD));
  if (any_lightning) {
    qkv_.resize(sz(T * 3 * HD));
    gate_.resize(sz(T * HD));
    lscratch_.resize(sz(int64_t{pool.size()} * kern::lightningPrefillScratch(cfg_.head_dim)));
  }
  if (any_softmax) {
    q_.resize(sz(T * HD));
    k_.resize(sz(T * KVD));
    v_.resize(sz(T * KVD));
    attn_scratch_ = kern::softmaxAttentionScratch(capacity, cfg_.head_dim);
    scores_.resize(sz(int64_t{pool.size()} * attn_scratch_));
  }
  router_.resize(sz(T * E));
  probs_.resize(sz(E));
  chosen_.resize(sz(T * K));
  chosen_w_.resize(sz(T * K));
  kept_.resize(sz(T));
  choices_.resize(sz(K));
  rows_.resize(sz(TK));
  row_w_.resize(sz(TK));
  up_.resize(sz(TK * I));
  act_.resize(sz(TK * I));
  coef_.resize(sz(T));
}

void CpuForward::checkCollective(const Status& s) {
  // the ranks run the same calls in the same order; a failing in-process collective means they did not
  FOLIO_CHECK_MSG(s.ok(), s.ok() ? nullptr : s.error().message.c_str());
}

void CpuForward::allReduce(float* data, int64_t n) {
  if (comm_) checkCollective(comm_->allReduceSum(data, n));
}

void CpuForward::ChunkPlan::reserve(size_t parts) {
  first_.reserve(parts + 1);
  chunk_.reserve(parts);
  rows_.reserve(parts);
}

void CpuForward::ChunkPlan::clear() {
  first_.resize(1);
  chunk_.clear();
  rows_.clear();
}

void CpuForward::ChunkPlan::add(int64_t rows, int64_t row_work, int threads) {
  // at least ~64k multiply-adds per chunk (the claim costs less than 1 % of it), at most ~16 chunks per
  // thread, and whole 4-row blocks of the matmul kernel
  const int64_t by_work = (int64_t{1} << 16) / std::max<int64_t>(1, row_work);
  const int64_t by_count = rows / (16 * int64_t{threads});
  const int64_t chunk = (std::max<int64_t>({4, by_work, by_count}) + 3) / 4 * 4;
  chunk_.push_back(chunk);
  rows_.push_back(rows);
  first_.push_back(first_.back() + (rows + chunk - 1) / chunk);
}

size_t CpuForward::ChunkPlan::locate(int64_t c, int64_t* r0, int64_t* r1) const {
  size_t part = 0;
  while (c >= first_[part + 1]) ++part;
  *r0 = (c - first_[part]) * chunk_[part];
  *r1 = std::min(rows_[part], *r0 + chunk_[part]);
  return part;
}

void CpuForward::matmul(const float* x, int64_t T, const WeightMatrix& w, float* y) {
  const Product p{x, T, &w, y};
  matmuls(std::span<const Product>(&p, 1));
}

void CpuForward::matmuls(std::span<const Product> products) {
  plan_.clear();
  for (const Product& p : products) plan_.add(p.w->rows, p.T * p.w->cols, pool_.size());
  pool_.parallelChunks(plan_.chunks(), 1, [&](int64_t b, int64_t e, int) {
    for (int64_t c = b; c < e; ++c) {
      int64_t r0, r1;
      const Product& p = products[plan_.locate(c, &r0, &r1)];
      kern::matmulRows(p.x, p.T, *p.w, p.y, r0, r1);
    }
  });
}

void CpuForward::setSingleSequence(SessionState* state, int64_t T, int64_t p0, const ForwardRouting* routing) {
  seqs_.clear();
  seqs_.push_back(SequenceRows{state, 0, T, p0, routing});
  std::fill_n(row_seq_.begin(), T, 0);
}

void CpuForward::run(SessionState& state, std::span<const int32_t> ids, bool decode, float* all_logits,
                     const ForwardRouting& routing) {
  const int64_t T = static_cast<int64_t>(ids.size()), C = cfg_.hidden_size, V = cfg_.vocab_size;
  const int64_t p0 = state.position;
  FOLIO_CHECK(T >= 1 && T <= max_tokens_ && p0 + T <= capacity_);
  FOLIO_CHECK(!decode || T == 1);
  setSingleSequence(&state, T, p0, &routing);

  for (int64_t t = 0; t < T; ++t) ref::weightRowToF32(*embedding_, ids[sz(t)], x_.data() + t * C);
  layers(T, decode);

  // final norm and the fp32 lm_head: every row when asked for, else only the last
  const int64_t first = all_logits ? 0 : T - 1;
  const int64_t rows = T - first;
  kern::rmsNorm(x_.data() + first * C, rows, C, final_norm_->data(), static_cast<float>(cfg_.rms_norm_eps),
               final_.data());
  state.last_logits.resize(sz(V));
  if (comm_) {
    shardedLmHead(rows, comm_->rank() == 0 ? all_logits : nullptr, state.last_logits.data());
  } else if (all_logits) {
    matmul(final_.data(), rows, *lm_head_, all_logits);
    std::memcpy(state.last_logits.data(), all_logits + (T - 1) * V, sz(V) * sizeof(float));
  } else {
    matmul(final_.data(), 1, *lm_head_, state.last_logits.data());
  }
  state.tokens.insert(state.tokens.end(), ids.begin(), ids.end());
  state.position = p0 + T;
}

void CpuForward::reserveDecodeBatch(int64_t B) {
  B = std::min(B, max_tokens_);
  const int64_t n = B * cfg_.vocab_size;
  if (static_cast<int64_t>(batch_logits_.size()) < n) batch_logits_.resize(sz(n));
  if (comm_) {  // shardedLmHead's slices of B rows
    const int64_t padded = B * rank_->layout().vocab_stride;
    if (static_cast<int64_t>(rank_logits_.size()) < padded) rank_logits_.resize(sz(padded));
    if (static_cast<int64_t>(gathered_.size()) < comm_->size() * padded) gathered_.resize(sz(comm_->size() * padded));
  }
}

void CpuForward::decodeBatch(std::span<SessionState* const> states, std::span<const int32_t> ids,
                             std::span<const ForwardRouting> routing) {
  const int64_t B = static_cast<int64_t>(ids.size()), C = cfg_.hidden_size, V = cfg_.vocab_size;
  FOLIO_CHECK(B >= 1 && B <= max_tokens_);
  FOLIO_CHECK(states.size() == ids.size() && routing.size() == ids.size());
  const int64_t KVD = int64_t{cfg_.num_kv_heads} * cfg_.head_dim;
  seqs_.clear();
  for (int64_t b = 0; b < B; ++b) {
    SessionState& st = *states[sz(b)];
    FOLIO_CHECK(st.position + 1 <= capacity_ && st.layers.size() == layers_.size());
    for (const LayerState& ls : st.layers) {
      FOLIO_CHECK(ls.type != AttnType::Softmax || static_cast<int64_t>(ls.k_cache.size()) >= (st.position + 1) * KVD);
    }
    seqs_.push_back(SequenceRows{&st, b, 1, st.position, &routing[sz(b)]});
    row_seq_[sz(b)] = static_cast<int32_t>(b);
  }

  for (int64_t b = 0; b < B; ++b) ref::weightRowToF32(*embedding_, ids[sz(b)], x_.data() + b * C);
  layers(B, /*decode=*/true);

  kern::rmsNorm(x_.data(), B, C, final_norm_->data(), static_cast<float>(cfg_.rms_norm_eps), final_.data());
  reserveDecodeBatch(B);
  if (comm_) {
    // every rank gathers all B rows (the last row also lands in the last sequence's logits, which the
    // copy below writes again)
    SessionState& last = *states[sz(B - 1)];
    last.last_logits.resize(sz(V));
    shardedLmHead(B, batch_logits_.data(), last.last_logits.data());
  } else {
    matmul(final_.data(), B, *lm_head_, batch_logits_.data());  // each lm_head row read once for all B
  }
  for (int64_t b = 0; b < B; ++b) {
    SessionState& st = *states[sz(b)];
    st.last_logits.resize(sz(V));  // reserved by the session: no allocation after the first token
    std::memcpy(st.last_logits.data(), batch_logits_.data() + b * V, sz(V) * sizeof(float));
    st.tokens.push_back(ids[sz(b)]);
    st.position += 1;
  }
}

void CpuForward::layers(int64_t T, bool decode) {
  const int64_t C = cfg_.hidden_size;
  for (int l = 0; l < cfg_.num_layers; ++l) {
    const LayerWeights& lw = *layers_[sz(l)];
    kern::rmsNorm(x_.data(), T, C, lw.input_norm.data(), static_cast<float>(cfg_.rms_norm_eps), xn_.data());
    if (lw.type == AttnType::Lightning) {
      lightningAttention(lw, l, T, decode);
    } else {
      softmaxAttention(lw, l, T);
    }
    // h = α·(postnorm ? xn : x) + β·attn, kept in x_
    const float a = static_cast<float>(lw.alpha_attn), b = static_cast<float>(lw.beta_attn);
    const float* res = cfg_.postnorm ? xn_.data() : x_.data();
    for (int64_t i = 0; i < T * C; ++i) x_[sz(i)] = a * res[i] + b * attn_[sz(i)];
    kern::rmsNorm(x_.data(), T, C, lw.post_norm.data(), static_cast<float>(cfg_.rms_norm_eps), xn_.data());
    moe(lw, l, T);
    // y = α_mlp·(postnorm ? hn : h) + β_mlp·moe
    const float am = static_cast<float>(cfg_.alpha_mlp), bm = static_cast<float>(cfg_.beta_mlp);
    const float* res2 = cfg_.postnorm ? xn_.data() : x_.data();
    for (int64_t i = 0; i < T * C; ++i) x_[sz(i)] = am * res2[i] + bm * moe_[sz(i)];
  }
}

void CpuForward::shardedLmHead(int64_t rows, float* out, float* last) {
  const int64_t V = cfg_.vocab_size, N = comm_->size();
  const int64_t padded = rows * rank_->layout().vocab_stride;  // the same on every rank
  // grows only when all rows are asked for (prefill); decode stays at one row
  if (static_cast<int64_t>(rank_logits_.size()) < padded) rank_logits_.resize(sz(padded));
  if (static_cast<int64_t>(gathered_.size()) < N * padded) gathered_.resize(sz(N * padded));
  matmul(final_.data(), rows, *lm_head_, rank_logits_.data());  // [rows, Vr], Vr ≤ ceil(V / N)
  const Status s = comm_->allGather(rank_logits_.data(), padded, gathered_.data());
  checkCollective(s);
  for (int r = 0; r < N; ++r) {
    const IndexRange vr = splitRange(V, static_cast<int>(N), r);
    const float* src = gathered_.data() + r * padded;  // rank r's [rows, vr.size()]
    for (int64_t t = 0; t < rows; ++t) {
      const float* row = src + t * vr.size();
      if (out) std::copy_n(row, vr.size(), out + t * V + vr.begin);
      if (t == rows - 1) std::copy_n(row, vr.size(), last + vr.begin);
    }
  }
}

}  // namespace folio::engine
