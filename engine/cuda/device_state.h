// What a CUDA session carries between tokens, in device memory: per lightning layer the fp32 state
// and its pending decode steps, per softmax layer the KV cache (bf16, or fp32 for a model whose
// attention weights are F32, so an fp32 model matches the CPU to fp32 rounding). Converts to and from the CPU's
// SessionState so the snapshot format (engine/model/snapshot.h) is shared by both backends.
// Dimension letters: P context capacity, H heads, KV kv-heads, D head dim.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/cuda/device_buffer.h"
#include "engine/model/session_state.h"
#include "kernels/cpu/dtype.h"

namespace folio::engine::cuda {

struct DeviceLayerState {
  AttnType type = AttnType::Lightning;
  DeviceBuffer<float> lightning;   // [H, D, D]
  DeviceBuffer<int32_t> pending;   // [H]
  DeviceBuffer<uint16_t> k_cache;  // [P, KV, D] bf16 (empty with an fp32 cache)
  DeviceBuffer<uint16_t> v_cache;  // [P, KV, D] bf16
  DeviceBuffer<float> k_cache32;   // [P, KV, D] fp32 (empty with a bf16 cache)
  DeviceBuffer<float> v_cache32;   // [P, KV, D] fp32
};

class DeviceModel;
// The KV cache dtype a session of `model` keeps: F32 when its softmax layers' K and V projections are
// F32, BF16 otherwise.
kernels::DType kvCacheDtypeFor(const DeviceModel& model);

class DeviceState {
 public:
  // Zeroed state for `config` with room for `capacity` tokens (allocated once, on the current device);
  // kv_dtype: BF16 or F32 (anything else is refused).
  DeviceState(const ModelConfig& config, int64_t capacity, kernels::DType kv_dtype = kernels::DType::BF16);

  DeviceLayerState& layer(int l) { return layers_[static_cast<size_t>(l)]; }
  int64_t capacity() const { return capacity_; }
  kernels::DType kvDtype() const { return kv_dtype_; }
  int64_t bytes() const;

  void clear(cudaStream_t s);  // lightning states and pending steps to zero
  // Copies the device layers into `host` (lightning states exactly; KV rows < host.position as fp32,
  // exact from an fp32 cache). host.layers must be allocated for the same config.
  void download(SessionState& host, cudaStream_t s) const;
  // The reverse: KV rows < host.position, rounded to bf16 for a bf16 cache (what kvAppend stores).
  void upload(const SessionState& host, cudaStream_t s);

 private:
  ModelConfig config_;
  int64_t capacity_;
  kernels::DType kv_dtype_;
  std::vector<DeviceLayerState> layers_;  // [L]
};

}  // namespace folio::engine::cuda
