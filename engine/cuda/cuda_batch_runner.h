// The decode batcher's runner for CUDA sessions on one device (engine/model/decode_batcher.h): a
// CudaForward of its own, on its own stream, runs each step with CudaForward::decodeBatch; sequences
// with different τ run as separate steps (the device router takes one τ per call).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "engine/cuda/cuda_forward.h"
#include "engine/cuda/device_buffer.h"
#include "engine/model/decode_batcher.h"

namespace folio::engine::cuda {

// What a CUDA session hands in (DecodeSlot::sequence).
using CudaBatchSequence = CudaForward::BatchSequence;

class CudaBatchRunner final : public BatchDecodeRunner {
 public:
  // Steps of up to max_batch sequences on the device that holds `model`; errors say why the runner's
  // buffers could not be allocated.
  static Result<std::unique_ptr<BatchDecodeRunner>> create(std::shared_ptr<const DeviceModel> model, int max_batch);
  ~CudaBatchRunner() override;
  // A CUDA failure becomes each affected slot's Internal error (their sessions are then unusable).
  void run(std::span<DecodeSlot* const> slots) override;

 private:
  explicit CudaBatchRunner(int device) : device_(device) {}
  int device_;
  std::unique_ptr<CudaStream> stream_;
  std::unique_ptr<CudaForward> forward_;
  std::vector<CudaBatchSequence> group_;  // the slots of one τ
  std::vector<int32_t> ids_;
  std::vector<size_t> members_;  // indexes of group_'s slots
  std::vector<char> ran_;        // per slot of the step
};

}  // namespace folio::engine::cuda
