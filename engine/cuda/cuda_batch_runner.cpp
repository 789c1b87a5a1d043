#include "engine/cuda/cuda_batch_runner.h"

#include <exception>

namespace folio::engine::cuda {

Result<std::unique_ptr<BatchDecodeRunner>> CudaBatchRunner::create(std::shared_ptr<const DeviceModel> model,
                                                                   int max_batch) {
  if (!model || max_batch < 1) return badInput("CUDA batch runner: no model or no batch");
  std::unique_ptr<CudaBatchRunner> runner(new CudaBatchRunner(model->device()));
  try {
    DeviceGuard guard(runner->device_);
    runner->stream_ = std::make_unique<CudaStream>();
    runner->forward_ = std::make_unique<CudaForward>(std::move(model), max_batch, runner->stream_->get());
  } catch (const std::exception& e) {
    return Error{ErrorKind::Internal, std::string("CUDA batch runner on device ") + std::to_string(runner->device_) +
                                          ": " + e.what()};
  }
  const auto n = static_cast<size_t>(runner->forward_->maxBatch());
  runner->group_.reserve(n);
  runner->ids_.reserve(n);
  runner->members_.reserve(n);
  runner->ran_.reserve(256);  // DecodeBatcher's largest step
  return std::unique_ptr<BatchDecodeRunner>(std::move(runner));
}

CudaBatchRunner::~CudaBatchRunner() {
  DeviceGuard guard(device_);  // the buffers and the stream are freed on their device
  forward_.reset();
  stream_.reset();
}

void CudaBatchRunner::run(std::span<DecodeSlot* const> slots) {
  ran_.assign(slots.size(), 0);
  // one step per τ, each of at most the forward's batch, in the slots' order
  for (size_t done = 0; done < slots.size();) {
    group_.clear();
    ids_.clear();
    members_.clear();
    double tau = 0;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (ran_[i]) continue;
      const auto* seq = static_cast<const CudaBatchSequence*>(slots[i]->sequence);
      if (members_.empty()) tau = seq->routing.expert_threshold;
      if (seq->routing.expert_threshold != tau || static_cast<int64_t>(members_.size()) >= forward_->maxBatch()) continue;
      group_.push_back(*seq);
      ids_.push_back(slots[i]->id);
      members_.push_back(i);
    }
    Status result;
    try {
      DeviceGuard guard(device_);
      forward_->decodeBatch(group_, ids_);
    } catch (const std::exception& e) {
      result = Error{ErrorKind::Internal, std::string("CUDA batched decode failed: ") + e.what()};
    }
    for (size_t i : members_) {
      slots[i]->result = result;
      ran_[i] = 1;
    }
    done += members_.size();
    if (!result.ok()) {  // the device is in doubt: the rest do not run
      for (size_t i = 0; i < slots.size(); ++i) {
        if (!ran_[i]) slots[i]->result = result;
      }
      return;
    }
  }
}

}  // namespace folio::engine::cuda
