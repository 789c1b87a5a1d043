#include "engine/cuda/device_state.h"

#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/cuda/device_model.h"

namespace folio::engine::cuda {

namespace {

// Copies `rows` cache elements device -> host as fp32 (bf16 widened exactly).
template <typename CacheT>
void downloadRows(const CacheT* src, size_t rows, std::vector<float>& dst, cudaStream_t s) {
  if constexpr (std::is_same_v<CacheT, float>) {
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(dst.data(), src, rows * sizeof(float), cudaMemcpyDeviceToHost, s));
    FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
  } else {
    std::vector<uint16_t> bf16(rows);
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(bf16.data(), src, rows * sizeof(uint16_t), cudaMemcpyDeviceToHost, s));
    FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
    for (size_t i = 0; i < rows; ++i) dst[i] = kernels::bf16ToF32(bf16[i]);
  }
}

// The reverse: host fp32 rows -> the device cache (rounded to bf16 for a bf16 cache).
template <typename CacheT>
void uploadRows(const std::vector<float>& src, size_t rows, CacheT* dst, cudaStream_t s) {
  if constexpr (std::is_same_v<CacheT, float>) {
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(dst, src.data(), rows * sizeof(float), cudaMemcpyHostToDevice, s));
    FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
  } else {
    std::vector<uint16_t> bf16(rows);
    for (size_t i = 0; i < rows; ++i) bf16[i] = kernels::f32ToBf16(src[i]);
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(dst, bf16.data(), rows * sizeof(uint16_t), cudaMemcpyHostToDevice, s));
    FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
  }
}

}  // namespace

kernels::DType kvCacheDtypeFor(const DeviceModel& model) {
  const ModelConfig& c = model.config();
  for (int l = 0; l < c.num_layers; ++l) {
    if (c.layer_types[static_cast<size_t>(l)] != AttnType::Softmax) continue;
    const DeviceLayer& layer = model.layer(l);
    if (layer.k_proj.dtype != kernels::DType::F32 || layer.v_proj.dtype != kernels::DType::F32)
      return kernels::DType::BF16;
  }
  return kernels::DType::F32;
}

DeviceState::DeviceState(const ModelConfig& c, int64_t capacity, kernels::DType kv_dtype)
    : config_(c), capacity_(capacity), kv_dtype_(kv_dtype) {
  if (kv_dtype != kernels::DType::BF16 && kv_dtype != kernels::DType::F32)
    throw std::invalid_argument("DeviceState: the KV cache dtype must be BF16 or F32, not " +
                                std::string(kernels::dtypeName(kv_dtype)));
  const size_t H = static_cast<size_t>(c.num_heads), D = static_cast<size_t>(c.head_dim),
               KV = static_cast<size_t>(c.num_kv_heads), P = static_cast<size_t>(capacity);
  layers_.resize(static_cast<size_t>(c.num_layers));
  for (size_t l = 0; l < layers_.size(); ++l) {
    DeviceLayerState& s = layers_[l];
    s.type = c.layer_types[l];
    if (s.type == AttnType::Lightning) {
      s.lightning = DeviceBuffer<float>(H * D * D);
      s.pending = DeviceBuffer<int32_t>(H);
    } else if (kv_dtype == kernels::DType::F32) {
      s.k_cache32 = DeviceBuffer<float>(P * KV * D);
      s.v_cache32 = DeviceBuffer<float>(P * KV * D);
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
  for (const DeviceLayerState& s : layers_) {
    b += s.lightning.bytes() + s.pending.bytes() + s.k_cache.bytes() + s.v_cache.bytes() + s.k_cache32.bytes() +
         s.v_cache32.bytes();
  }
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
  for (size_t l = 0; l < layers_.size(); ++l) {
    const DeviceLayerState& d = layers_[l];
    LayerState& h = host.layers[l];
    if (d.type == AttnType::Lightning) {
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(h.lightning.data(), d.lightning.get(), d.lightning.bytes(), cudaMemcpyDeviceToHost, s));
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(h.pending.data(), d.pending.get(), d.pending.bytes(), cudaMemcpyDeviceToHost, s));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
    } else if (kv_dtype_ == kernels::DType::F32) {
      downloadRows(d.k_cache32.get(), rows, h.k_cache, s);
      downloadRows(d.v_cache32.get(), rows, h.v_cache, s);
    } else {
      downloadRows(d.k_cache.get(), rows, h.k_cache, s);
      downloadRows(d.v_cache.get(), rows, h.v_cache, s);
    }
  }
}

void DeviceState::upload(const SessionState& host, cudaStream_t s) {
  const size_t rows = static_cast<size_t>(host.position) * static_cast<size_t>(config_.num_kv_heads) *
                      static_cast<size_t>(config_.head_dim);
  for (size_t l = 0; l < layers_.size(); ++l) {
    DeviceLayerState& d = layers_[l];
    const LayerState& h = host.layers[l];
    if (d.type == AttnType::Lightning) {
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(d.lightning.get(), h.lightning.data(), d.lightning.bytes(), cudaMemcpyHostToDevice, s));
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(d.pending.get(), h.pending.data(), d.pending.bytes(), cudaMemcpyHostToDevice, s));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(s));
    } else if (kv_dtype_ == kernels::DType::F32) {
      uploadRows(h.k_cache, rows, d.k_cache32.get(), s);
      uploadRows(h.v_cache, rows, d.v_cache32.get(), s);
    } else {
      uploadRows(h.k_cache, rows, d.k_cache.get(), s);
      uploadRows(h.v_cache, rows, d.v_cache.get(), s);
    }
  }
}

}  // namespace folio::engine::cuda
