#include "engine/cuda/device_state.h"

#include "kernels/cpu/dtype.h"

namespace folio::engine::cuda {

DeviceState::DeviceState(const ModelConfig& c, int64_t capacity) : config_(c), capacity_(capacity) {
  const size_t H = static_cast<size_t>(c.num_heads), D = static_cast<size_t>(c.head_dim),
               KV = static_cast<size_t>(c.num_kv_heads), P = static_cast<size_t>(capacity);
  layers_.resize(static_cast<size_t>(c.num_layers));
  for (size_t l = 0; l < layers_.size(); ++l) {
    DeviceLayerState& s = layers_[l];
    s.type = c.layer_types[l];
    if (s.type == AttnType::Lightning) {
      s.lightning = DeviceBuffer<float>(H * D * D);
      s.pending = DeviceBuffer<int32_t>(H);
    } else {
      s.k_cache = DeviceBuffer<uint16_t>(P * KV * D);
      s.v_cache = DeviceBuffer<uint16_t>(P * KV * D);
    }
  }
  clear(nullptr);
  FOLIO_CUDA_CHECK(cudaDeviceSynchronize());
}

int64_t DeviceState::bytes() const {
  size_t b = 0;
  for (const DeviceLayerState& s : layers_) b += s.lightning.bytes() + s.pending.bytes() + s.k_cache.bytes() + s.v_cache.bytes();
  return static_cast<int64_t>(b);
}

void DeviceState::clear(cudaStream_t s) {
  // the KV rows need no clearing: attention only reads rows below the position
  for (DeviceLayerState& l : layers_) {
    if (l.lightning.size()) FOLIO_CUDA_CHECK(cudaMemsetAsync(l.lightning.get(), 0, l.lightning.bytes(), s));
    if (l.pending.size()) FOLIO_CUDA_CHECK(cudaMemsetAsync(l.pending.get(), 0, l.pending.bytes(), s));
  }
}

void DeviceState::download(SessionState& host, cudaStream_t s) const {
  const size_t rows = static_cast<size_t>(host.position) * static_cast<size_t>(config_.num_kv_heads) *
                      static_cast<size_t>(config_.head_dim);
  std::vector<uint16_t> bf16(rows);
  for (size_t l = 0; l < layers_.size(); ++l) {
    const DeviceLayerState& d = layers_[l];
    LayerState& h = host.layers[l];
    if (d.type == AttnType::Lightning) {
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(h.lightning.data(), d.lightning.get(), d.lightning.bytes(), cudaMemcpyDeviceToHost, s));
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(h.pending.data(), d.pending.get(), d.pending.bytes(), cudaMemcpyDeviceToHost, s));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
      continue;
    }
    for (auto [src, dst] : {std::pair{d.k_cache.get(), &h.k_cache}, std::pair{d.v_cache.get(), &h.v_cache}}) {
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(bf16.data(), src, rows * 2, cudaMemcpyDeviceToHost, s));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
      for (size_t i = 0; i < rows; ++i) (*dst)[i] = kernels::bf16ToF32(bf16[i]);
    }
  }
}

void DeviceState::upload(const SessionState& host, cudaStream_t s) {
  const size_t rows = static_cast<size_t>(host.position) * static_cast<size_t>(config_.num_kv_heads) *
                      static_cast<size_t>(config_.head_dim);
  std::vector<uint16_t> bf16(rows);
  for (size_t l = 0; l < layers_.size(); ++l) {
    DeviceLayerState& d = layers_[l];
    const LayerState& h = host.layers[l];
    if (d.type == AttnType::Lightning) {
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(d.lightning.get(), h.lightning.data(), d.lightning.bytes(), cudaMemcpyHostToDevice, s));
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(d.pending.get(), h.pending.data(), d.pending.bytes(), cudaMemcpyHostToDevice, s));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
      continue;
    }
    for (auto [dst, src] : {std::pair{d.k_cache.get(), &h.k_cache}, std::pair{d.v_cache.get(), &h.v_cache}}) {
      for (size_t i = 0; i < rows; ++i) bf16[i] = kernels::f32ToBf16((*src)[i]);
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(dst, bf16.data(), rows * 2, cudaMemcpyHostToDevice, s));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
    }
  }
}

}  // namespace folio::engine::cuda
