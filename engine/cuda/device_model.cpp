#include "engine/cuda/device_model.h"

#include <cmath>
#include <cstdio>
#include <functional>

#include "engine/cuda/random_weights.h"
#include "kernels/cpu/dtype.h"

namespace folio::engine::cuda {

using kernels::DType;
using LayerSource = std::function<const LayerWeights&(int)>;

std::string formatGiB(int64_t bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return b;
}

// A model's weights on the host; matrices without data are generated on the device.
struct HostModel {
  LayerSource layer;
  WeightMatrix embed, lm_head;
  std::vector<float> final_norm;
};

// Lays the weights out in one arena. Run twice over the same model: first without an arena to count
// the bytes, then with it to copy (or, for matrices without host data, generate) every weight.
class DeviceModelBuilder {
 public:
  DeviceModelBuilder(std::byte* arena, uint64_t seed) : base_(arena), seed_(seed) {}
  size_t used() const { return offset_; }

  // Counts, checks the free memory, allocates and fills; `what` names the weights in the refusal.
  static Result<std::shared_ptr<const DeviceModel>> build(const ModelConfig& config, const HostModel& host,
                                                          uint64_t seed, int device, const char* what);

  void place(DeviceModel& m, const ModelConfig& c, const LayerSource& layer, const WeightMatrix& embed,
             const WeightMatrix& lm_head, const std::vector<float>& final_norm) {
    m.embed_ = matrix(embed);
    // a tied head shares the embedding's device copy
    // (a rank's vocabulary part of a tied head starts at the same address but has fewer rows)
    const bool tied = lm_head.data != nullptr && lm_head.data == embed.data && lm_head.rows == embed.rows &&
                      lm_head.dtype == embed.dtype;
    m.lm_head_ = tied ? m.embed_ : matrix(lm_head);
    m.final_norm_ = floats(final_norm);
    m.layers_.assign(static_cast<size_t>(c.num_layers), DeviceLayer{});
    for (int l = 0; l < c.num_layers; ++l) {
      const LayerWeights& lw = layer(l);
      DeviceLayer& d = m.layers_[static_cast<size_t>(l)];
      d.type = lw.type;
      d.alpha_attn = static_cast<float>(lw.alpha_attn);
      d.beta_attn = static_cast<float>(lw.beta_attn);
      d.input_norm = floats(lw.input_norm);
      d.post_norm = floats(lw.post_norm);
      if (lw.type == AttnType::Lightning) {
        d.qkv = matrix(lw.qkv);
        d.output_gate = matrix(lw.output_gate);
        d.out_proj = matrix(lw.out_proj);
        d.lightning_norm = floats(lw.lightning_norm);
        d.decay = doubles(lw.decay);
      } else {
        d.q_proj = matrix(lw.q_proj);
        d.k_proj = matrix(lw.k_proj);
        d.v_proj = matrix(lw.v_proj);
        d.o_proj = matrix(lw.o_proj);
      }
      d.router = matrix(lw.router);
      for (const ExpertWeights& ew : lw.experts) {
        d.w1.push_back(matrix(ew.w1));
        d.w3.push_back(matrix(ew.w3));
        d.w2.push_back(matrix(ew.w2));
      }
      d.w1s = matrices(d.w1);
      d.w3s = matrices(d.w3);
      d.w2s = matrices(d.w2);
      d.has_shared = lw.has_shared;
      if (lw.has_shared) {
        d.shared_gate = matrix(lw.shared_gate);
        d.shared_up = matrix(lw.shared_up);
        d.shared_down = matrix(lw.shared_down);
        d.coefficient = matrix(lw.coefficient);
      }
    }
  }

 private:
  void* take(size_t bytes) {
    const size_t at = (offset_ + 255) / 256 * 256;  // 256-byte aligned, as cudaMalloc's
    offset_ = at + bytes;
    return base_ ? base_ + at : nullptr;
  }

  template <class T>
  T* copy(const T* src, size_t n) {
    T* dst = static_cast<T*>(take(n * sizeof(T)));
    if (dst && n > 0) FOLIO_CUDA_CHECK(cudaMemcpy(dst, src, n * sizeof(T), cudaMemcpyHostToDevice));
    return dst;
  }
  const float* floats(const std::vector<float>& v) { return copy(v.data(), v.size()); }
  const double* doubles(const std::vector<double>& v) { return copy(v.data(), v.size()); }
  const DeviceMatrix* matrices(const std::vector<DeviceMatrix>& v) { return copy(v.data(), v.size()); }

  // F16 becomes BF16; a matrix without host data (random models) is generated on the device.
  DeviceMatrix matrix(const WeightMatrix& w) {
    const DType dtype = w.dtype == DType::F16 ? DType::BF16 : w.dtype;
    const size_t n = static_cast<size_t>(w.rows) * static_cast<size_t>(w.cols);
    DeviceMatrix d{dtype, take(n * kernels::dtypeSize(dtype)), w.rows, w.cols, nullptr};
    if (dtype == DType::I8) d.row_scales = copy(w.row_scales, static_cast<size_t>(w.rows));
    if (!base_) return d;
    void* dst = const_cast<void*>(d.data);
    if (w.data == nullptr) {
      const float scale = 1.0f / std::sqrt(static_cast<float>(w.cols));
      const uint64_t seed = seed_ + 0x100000001B3ull * ++generated_;
      if (dtype == DType::BF16) {
        fillUniformBf16(static_cast<uint16_t*>(dst), static_cast<int64_t>(n), scale, seed, nullptr);
      } else {
        FOLIO_CHECK(dtype == DType::F32);
        fillUniformF32(static_cast<float*>(dst), static_cast<int64_t>(n), scale, seed, nullptr);
      }
    } else if (w.dtype == DType::F16) {
      // row by row through a small host buffer, so a large matrix needs no full-size copy
      const size_t cols = static_cast<size_t>(w.cols);
      staging_.resize(cols);
      const uint16_t* src = static_cast<const uint16_t*>(w.data);
      for (int64_t r = 0; r < w.rows; ++r) {
        for (size_t k = 0; k < cols; ++k) {
          staging_[k] = kernels::f32ToBf16(kernels::f16ToF32(src[static_cast<size_t>(r) * cols + k]));
        }
        FOLIO_CUDA_CHECK(cudaMemcpy(static_cast<uint16_t*>(dst) + static_cast<size_t>(r) * cols, staging_.data(),
                                    cols * 2, cudaMemcpyHostToDevice));
      }
    } else {
      FOLIO_CUDA_CHECK(cudaMemcpy(dst, w.data, n * kernels::dtypeSize(dtype), cudaMemcpyHostToDevice));
    }
    return d;
  }

  std::byte* base_;
  uint64_t seed_;
  uint64_t generated_ = 0;
  size_t offset_ = 0;
  std::vector<uint16_t> staging_;
};

Result<std::shared_ptr<const DeviceModel>> DeviceModelBuilder::build(const ModelConfig& config,
                                                                     const HostModel& host, uint64_t seed,
                                                                     int device, const char* what) {
  DeviceModel sizing;
  DeviceModelBuilder count(nullptr, seed);
  count.place(sizing, config, host.layer, host.embed, host.lm_head, host.final_norm);
  const int64_t needed = static_cast<int64_t>(count.used());

  DeviceGuard guard(device);
  size_t free_bytes = 0, total_bytes = 0;
  FOLIO_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  if (needed > static_cast<int64_t>(free_bytes)) {
    return Error{ErrorKind::Unsupported, std::string(what) + " needs " + formatGiB(needed) + " on CUDA device " +
                                             std::to_string(device) + " but only " +
                                             formatGiB(static_cast<int64_t>(free_bytes)) + " of " +
                                             formatGiB(static_cast<int64_t>(total_bytes)) + " are free"};
  }
  auto m = std::shared_ptr<DeviceModel>(new DeviceModel());
  m->config_ = config;
  m->device_ = device;
  m->arena_ = DeviceBuffer<std::byte>(static_cast<size_t>(needed));
  DeviceModelBuilder fill(m->arena_.get(), seed);
  fill.place(*m, config, host.layer, host.embed, host.lm_head, host.final_norm);
  FOLIO_CHECK(fill.used() == static_cast<size_t>(needed));
  FOLIO_CUDA_CHECK(cudaDeviceSynchronize());  // the random fills ran on the legacy stream
  return std::shared_ptr<const DeviceModel>(std::move(m));
}

namespace {

HostModel hostModelOf(const Model& model) {
  return HostModel{[&model](int l) -> const LayerWeights& { return model.layer(l); }, model.embedding(),
                   model.lmHead(), model.finalNorm()};
}

}  // namespace

int64_t DeviceModel::uploadBytes(const Model& model) {
  DeviceModel sizing;
  DeviceModelBuilder count(nullptr, 0);
  const HostModel host = hostModelOf(model);
  count.place(sizing, model.config(), host.layer, host.embed, host.lm_head, host.final_norm);
  return static_cast<int64_t>(count.used());
}

Result<std::shared_ptr<const DeviceModel>> DeviceModel::upload(const Model& model, int device) {
  return DeviceModelBuilder::build(model.config(), hostModelOf(model), 0, device, "the model's weights");
}

Result<std::shared_ptr<const DeviceModel>> DeviceModel::upload(const RankWeights& rank, int device) {
  const HostModel host{[&rank](int l) -> const LayerWeights& { return rank.layer(l); }, rank.embeddingRows(),
                       rank.lmHead(), rank.finalNorm()};
  const std::string what = "tensor-parallel rank " + std::to_string(rank.shard().rank) + " of " +
                           std::to_string(rank.shard().size) + "'s part of the model's weights";
  return DeviceModelBuilder::build(rank.config(), host, 0, device, what.c_str());
}

Result<std::shared_ptr<const DeviceModel>> DeviceModel::random(const ModelConfig& c, DType dtype, uint64_t seed,
                                                               int device) {
  if (dtype != DType::BF16 && dtype != DType::F32) return badInput("random device model: dtype must be bf16 or f32");
  const int64_t C = c.hidden_size, H = c.num_heads, KV = c.num_kv_heads, D = c.head_dim, E = c.num_experts,
                I = c.intermediate_size, SI = c.shared_intermediate_size, V = c.vocab_size;
  const auto shape = [dtype](int64_t rows, int64_t cols, DType t = DType::BF16) {
    return WeightMatrix{t == DType::F32 ? DType::F32 : dtype, nullptr, rows, cols, nullptr};
  };
  const std::vector<double> slopes = c.alibiSlopes();
  std::vector<LayerWeights> layers(static_cast<size_t>(c.num_layers));
  for (int l = 0; l < c.num_layers; ++l) {
    LayerWeights& lw = layers[static_cast<size_t>(l)];
    lw.type = c.layer_types[static_cast<size_t>(l)];
    lw.input_norm.assign(static_cast<size_t>(C), 1.0f);
    lw.post_norm.assign(static_cast<size_t>(C), 1.0f);
    if (lw.type == AttnType::Lightning) {
      lw.alpha_attn = c.alpha_lightning;
      lw.beta_attn = c.beta_lightning;
      lw.qkv = shape(3 * H * D, C);
      lw.output_gate = shape(H * D, C);
      lw.out_proj = shape(C, H * D);
      lw.lightning_norm.assign(static_cast<size_t>(H * D), 1.0f);
      for (int64_t h = 0; h < H; ++h) lw.decay.push_back(slopes[static_cast<size_t>(h)] * c.lightningLayerFactor(l));
    } else {
      lw.alpha_attn = c.alpha_softmax;
      lw.beta_attn = c.beta_softmax;
      lw.q_proj = shape(H * D, C);
      lw.k_proj = shape(KV * D, C);
      lw.v_proj = shape(KV * D, C);
      lw.o_proj = shape(C, H * D);
    }
    lw.router = shape(E, C, DType::F32);
    lw.experts.assign(static_cast<size_t>(E), ExpertWeights{shape(I, C), shape(I, C), shape(C, I)});
    if (SI > 0) {
      lw.has_shared = true;
      lw.shared_gate = shape(SI, C);
      lw.shared_up = shape(SI, C);
      lw.shared_down = shape(C, SI);
      lw.coefficient = shape(1, C);
    }
  }
  const HostModel host{[&layers](int l) -> const LayerWeights& { return layers[static_cast<size_t>(l)]; },
                       shape(V, C), shape(V, C, DType::F32), std::vector<float>(static_cast<size_t>(C), 1.0f)};
  return DeviceModelBuilder::build(c, host, seed, device, "the random model");
}

}  // namespace folio::engine::cuda
