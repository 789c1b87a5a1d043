#include "engine/model/cpu_batch_runner.h"

namespace folio::engine {

CpuBatchRunner::CpuBatchRunner(const Model& model, const DecodeBatcher::Options& options, int64_t capacity)
    : pool_(options.threads), forward_(model, options.max_batch, capacity, pool_) {
  forward_.reserveDecodeBatch(options.max_batch);
  const auto n = static_cast<size_t>(options.max_batch);
  states_.reserve(n);
  ids_.reserve(n);
  routing_.reserve(n);
}

void CpuBatchRunner::run(std::span<DecodeSlot* const> slots) {
  states_.clear();
  ids_.clear();
  routing_.clear();
  for (DecodeSlot* slot : slots) {
    const auto* seq = static_cast<const CpuBatchSequence*>(slot->sequence);
    states_.push_back(seq->state);
    ids_.push_back(slot->id);
    routing_.push_back(seq->routing);
  }
  forward_.decodeBatch(states_, ids_, routing_);
  for (DecodeSlot* slot : slots) slot->result = {};
}

}  // namespace folio::engine
