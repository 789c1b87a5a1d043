#include "engine/cuda/cuda_session.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "engine/common/file_io.h"
#include "engine/cuda/cuda_forward.h"
#include "engine/cuda/device_state.h"
#include "engine/model/model.h"
#include "engine/model/session_backends.h"
#include "engine/model/snapshot.h"

namespace folio::engine {
namespace {

using cuda::DeviceGuard;

class CudaSession final : public Session {
 public:
  CudaSession(std::shared_ptr<const Model> model, std::shared_ptr<const cuda::DeviceModel> weights,
              const SessionOptions& options)
      : model_(std::move(model)),
        options_(options),
        device_(weights->device()),
        chunk_(std::clamp<int64_t>(options.prefill_chunk, 1, options.context_capacity)),
        state_(model_->config(), options.context_capacity, cuda::kvCacheDtypeFor(*weights)),
        forward_(std::move(weights), chunk_, stream_.get()) {
    aggregate_.reset(model_->config().num_layers, model_->config().num_experts);
    tokens_.reserve(static_cast<size_t>(options.context_capacity));
    setExpertThreshold(options.expert_threshold);
  }

  Backend backend() const override { return Backend::Cuda; }

  Status prefill(std::span<const int32_t> ids, std::vector<float>* all_logits,
                 const std::atomic<bool>* cancel) override {
    FOLIO_TRY(checkIds(ids));
    const int64_t V = model_->config().vocab_size;
    const int64_t T = static_cast<int64_t>(ids.size());
    if (all_logits) all_logits->assign(static_cast<size_t>(T * V), 0.0f);
    DeviceGuard guard(device_);
    for (int64_t t0 = 0; t0 < T; t0 += chunk_) {
      if (cancel && cancel->load(std::memory_order_relaxed)) {
        return cancelled("prefill cancelled after " + std::to_string(t0) + " of " + std::to_string(T) + " tokens");
      }
      const int64_t n = std::min(chunk_, T - t0);
      FOLIO_TRY(step(ids.subspan(static_cast<size_t>(t0), static_cast<size_t>(n)), /*decode=*/false,
                     all_logits ? all_logits->data() + t0 * V : nullptr));
    }
    return {};
  }

  Status decode(int32_t id) override {
    const int32_t ids[1] = {id};
    FOLIO_TRY(checkIds(ids));
    DeviceGuard guard(device_);
    return step(ids, /*decode=*/true, nullptr);
  }

  std::span<const float> lastLogits() const override { return last_logits_; }
  int64_t position() const override { return static_cast<int64_t>(tokens_.size()); }
  const std::vector<int32_t>& tokens() const override { return tokens_; }

  void setRoutingSink(RoutingSink* sink) override { sink_ = sink; }
  const RoutingAggregate& routingAggregate() const override { return aggregate_; }
  void setExpertThreshold(double tau) override {
    tau_ = clampExpertThreshold(tau);
  }

  Status saveState(const std::filesystem::path& path) const override {
    SessionState host;
    try {
      DeviceGuard guard(device_);
      host.allocate(model_->config(), position());  // KV rows up to the position are all a snapshot holds
      host.position = position();
      host.tokens = tokens_;
      host.last_logits = last_logits_;
      state_.download(host, stream_.get());
    } catch (const std::exception& e) {
      return Error{ErrorKind::Internal, path.string() + ": reading the CUDA session state failed: " + e.what()};
    }
    return writeFileAtomic(path, encodeSnapshot(host, *model_));
  }

  Status loadState(const std::filesystem::path& path) override {
    auto host = readSnapshotFile(path, *model_, options_.context_capacity);
    if (!host.ok()) return host.error();
    try {
      DeviceGuard guard(device_);
      state_.upload(host.value(), stream_.get());
    } catch (const std::exception& e) {
      return Error{ErrorKind::Internal, path.string() + ": writing the CUDA session state failed: " + e.what()};
    }
    tokens_ = std::move(host.value().tokens);
    last_logits_ = std::move(host.value().last_logits);
    return {};
  }

 private:
  // One chunk through the device; a CUDA failure (lost device, out of memory) becomes an Internal error.
  Status step(std::span<const int32_t> ids, bool decode, float* all_logits) {
    last_logits_.resize(static_cast<size_t>(model_->config().vocab_size));
    try {
      forward_.run(state_, position(), ids, decode, all_logits, last_logits_.data(),
                   ForwardRouting{sink_, &aggregate_, tau_});
    } catch (const std::exception& e) {
      return Error{ErrorKind::Internal, std::string("CUDA forward pass failed: ") + e.what()};
    }
    tokens_.insert(tokens_.end(), ids.begin(), ids.end());
    return {};
  }

  Status checkIds(std::span<const int32_t> ids) const {
    return checkNewIds(ids, model_->config().vocab_size, position(), options_.context_capacity);
  }

  std::shared_ptr<const Model> model_;
  SessionOptions options_;
  int device_;
  int64_t chunk_;      // tokens per prefill chunk (at most the capacity)
  cuda::CudaStream stream_;
  cuda::DeviceState state_;
  cuda::CudaForward forward_;
  std::vector<int32_t> tokens_;     // [position]
  std::vector<float> last_logits_;  // [V] (empty at position 0)
  RoutingAggregate aggregate_;
  RoutingSink* sink_ = nullptr;
  double tau_ = 1.0;
};

}  // namespace

Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model,
                                                   std::shared_ptr<const cuda::DeviceModel> weights,
                                                   const SessionOptions& options) {
  if (!model || !weights) return badInput("CUDA session: no model");
  try {
    DeviceGuard guard(weights->device());  // the session's buffers and stream live on the weights' device
    return std::unique_ptr<Session>(new CudaSession(std::move(model), std::move(weights), options));
  } catch (const std::exception& e) {
    return Error{ErrorKind::Internal, std::string("CUDA session: ") + e.what()};
  }
}

Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model, const SessionOptions& options) {
  if (!model) return badInput("CUDA session: no model");
  const int device = options.devices.empty() ? 0 : options.devices.front();
  const Model& host = *model;
  auto weights = model->deviceWeights().getOrMake<cuda::DeviceModel>(
      device, [&host, device]() -> Result<std::shared_ptr<const cuda::DeviceModel>> {
        try {
          auto uploaded = cuda::DeviceModel::upload(host, device);
          if (!uploaded.ok()) return uploaded.error().context("CUDA backend");
          return uploaded;
        } catch (const std::exception& e) {
          return Error{ErrorKind::Internal, std::string("CUDA backend: uploading the weights failed: ") + e.what()};
        }
      });
  if (!weights.ok()) return weights.error();
  return createCudaSession(std::move(model), std::move(weights.value()), options);
}

}  // namespace folio::engine
