// What a CUDA session carries between tokens, in device memory: per lightning layer the fp32 state
// and its pending decode steps, per softmax layer the bf16 KV cache. Converts to and from the CPU's
// SessionState so the snapshot format (engine/model/snapshot.h) is shared by both backends.
// Dimension letters: P context capacity, H heads, KV kv-heads, D head dim.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/cuda/device_buffer.h"
#include "engine/model/session_state.h"

namespace folio::engine::cuda {

struct DeviceLayerState {
  AttnType type = AttnType::Lightning;
  DeviceBuffer<float> lightning;   // [H, D, D]
  DeviceBuffer<int32_t> pending;   // [H]
  DeviceBuffer<uint16_t> k_cache;  // [P, KV, D] bf16
  DeviceBuffer<uint16_t> v_cache;  // [P, KV, D] bf16
};

class DeviceState {
 public:
  // Zeroed state for `config` with room for `capacity` tokens (allocated once, on the current device).
  DeviceState(const ModelConfig& config, int64_t capacity);

  DeviceLayerState& layer(int l) { return layers_[static_cast<size_t>(l)]; }
  int64_t capacity() const { return capacity_; }
  int64_t bytes() const;

  void clear(cudaStream_t s);  // lightning states and pending steps to zero
  // Copies the device layers into `host` (lightning states exactly; KV rows < host.position converted
  // from bf16 to fp32). host.layers must be allocated for the same config.
  void download(SessionState& host, cudaStream_t s) const;
  // The reverse: KV rows < host.position rounded to bf16 (what kvAppend would have stored).
  void upload(const SessionState& host, cudaStream_t s);

 private:
  ModelConfig config_;
  int64_t capacity_;
  std::vector<DeviceLayerState> layers_;  // [L]
};

}  // namespace folio::engine::cuda
