#include "engine/model/cpu_batch_runner.h"

namespace folio::engine {

CpuBatchRunner::CpuBatchRunner(const DecodeBatcher::Options& options) {
  const auto n = static_cast<size_t>(options.max_batch);
  states_.reserve(n);
  splits_.reserve(n);
  ids_.reserve(n);
  routing_.reserve(n);
}

CpuBatchRunner::CpuBatchRunner(const Model& model, const DecodeBatcher::Options& options, int64_t capacity)
    : CpuBatchRunner(options) {
  pool_.emplace(options.threads);
  forward_.emplace(model, options.max_batch, capacity, *pool_);
  forward_->reserveDecodeBatch(options.max_batch);
}

Result<std::unique_ptr<BatchDecodeRunner>> CpuBatchRunner::createSplit(const Model& model, int ranks,
                                                                       const DecodeBatcher::Options& options,
                                                                       int64_t capacity) {
  auto split = TensorParallelForward::create(model, ranks, options.max_batch, capacity, options.threads);
  if (!split.ok()) return split.error();
  std::unique_ptr<CpuBatchRunner> runner(new CpuBatchRunner(options));
  runner->split_ = std::move(split.value());
  return std::unique_ptr<BatchDecodeRunner>(std::move(runner));
}

void CpuBatchRunner::run(std::span<DecodeSlot* const> slots) {
  states_.clear();
  splits_.clear();
  ids_.clear();
  routing_.clear();
  for (DecodeSlot* slot : slots) {
    const auto* seq = static_cast<const CpuBatchSequence*>(slot->sequence);
    states_.push_back(seq->state);
    splits_.push_back(seq->split);
    ids_.push_back(slot->id);
    routing_.push_back(seq->routing);
  }
  if (split_) {
    split_->decodeBatch(states_, splits_, ids_, routing_);
  } else {
    forward_->decodeBatch(states_, ids_, routing_);
  }
  for (DecodeSlot* slot : slots) slot->result = {};
}

}  // namespace folio::engine
