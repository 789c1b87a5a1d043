#include "engine/parallel/shard.h"

#include <string>

namespace folio::engine {

IndexRange splitRange(int64_t n, int parts, int part) {
  FOLIO_CHECK(parts >= 1 && part >= 0 && part < parts && n >= 0);
  return {n * part / parts, n * (part + 1) / parts};
}

Status checkTensorParallel(const ModelConfig& c, int ranks) {
  const std::string n = std::to_string(ranks);
  if (ranks < 1) return badInput("tensor parallel: the number of ranks must be at least 1 (got " + n + ")");
  if (c.num_heads % ranks != 0) {
    return badInput("tensor parallel: " + std::to_string(c.num_heads) + " attention heads do not split over " + n +
                    " ranks (heads % ranks must be 0)");
  }
  const bool has_softmax = c.numLayersOf(AttnType::Softmax) > 0;
  if (has_softmax && c.num_kv_heads % ranks != 0 && ranks % c.num_kv_heads != 0) {
    return badInput("tensor parallel: " + std::to_string(c.num_kv_heads) + " KV heads neither split over " + n +
                    " ranks nor replicate evenly across them (KV % ranks or ranks % KV must be 0)");
  }
  if (c.intermediate_size < ranks) {
    return badInput("tensor parallel: expert intermediate size " + std::to_string(c.intermediate_size) +
                    " is smaller than " + n + " ranks");
  }
  if (c.shared_intermediate_size > 0 && c.shared_intermediate_size < ranks) {
    return badInput("tensor parallel: shared expert intermediate size " + std::to_string(c.shared_intermediate_size) +
                    " is smaller than " + n + " ranks");
  }
  if (c.vocab_size < ranks) {
    return badInput("tensor parallel: vocabulary of " + std::to_string(c.vocab_size) + " is smaller than " + n +
                    " ranks");
  }
  return {};
}

RankLayout rankLayout(const ModelConfig& c, const Shard& s) {
  RankLayout l;
  l.heads = splitRange(c.num_heads, s.size, s.rank);
  if (c.num_kv_heads % s.size == 0) {
    l.kv_heads = splitRange(c.num_kv_heads, s.size, s.rank);
  } else if (s.size % c.num_kv_heads != 0) {
    l.kv_heads = {0, 0};  // no softmax layer (checkTensorParallel refuses this split otherwise)
  } else {
    // ranks % KV == 0: ranks/KV consecutive ranks share KV head rank / (ranks / KV)
    const int64_t kv = s.rank / (s.size / c.num_kv_heads);
    l.kv_heads = {kv, kv + 1};
  }
  l.intermediate = splitRange(c.intermediate_size, s.size, s.rank);
  l.shared_intermediate = splitRange(c.shared_intermediate_size, s.size, s.rank);
  l.vocab = splitRange(c.vocab_size, s.size, s.rank);
  l.vocab_stride = (c.vocab_size + s.size - 1) / s.size;
  return l;
}

ModelConfig rankConfig(const ModelConfig& c, const RankLayout& l) {
  ModelConfig r = c;
  r.num_heads = static_cast<int>(l.heads.size());
  r.num_kv_heads = static_cast<int>(l.kv_heads.size());
  r.intermediate_size = static_cast<int>(l.intermediate.size());
  r.shared_intermediate_size = static_cast<int>(l.shared_intermediate.size());
  return r;
}

}  // namespace folio::engine
