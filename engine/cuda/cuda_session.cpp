#include "engine/cuda/cuda_session.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>

#include "engine/common/file_io.h"
#include "engine/cuda/cuda_batch_runner.h"
#include "engine/cuda/cuda_forward.h"
#include "engine/cuda/device_state.h"
#include "engine/cuda/nccl_groups.h"
#include "engine/generation/sampler.h"
#include "engine/model/decode_batcher.h"
#include "engine/model/model.h"
#include "engine/model/session_backends.h"
#include "engine/model/snapshot.h"
#include "engine/model/thread_pool.h"
#include "engine/parallel/cuda/host_staged_comm.h"
#include "engine/parallel/in_process_comm.h"
#include "engine/parallel/rank_state.h"

namespace folio::engine {
namespace {

using cuda::DeviceGuard;

Error internal(const std::string& what, const std::exception& e) {
  return Error{ErrorKind::Internal, what + ": " + e.what()};
}

// One device's share of a session: the whole model, or one tensor-parallel rank's part. Members are
// destroyed bottom-up: the forward (which uses the stream and the comm) first.
struct CudaRank {
  int device = 0;
  std::optional<RankLayout> layout;  // set for a tensor-parallel rank
  Comm* comm = nullptr;              // tensor parallel: the shared NCCL group's (its stream is the rank's) or own_comm
  std::unique_ptr<Comm> own_comm;    // HostStaged collectives
  std::unique_ptr<cuda::CudaStream> own_stream;  // the rank's stream unless the NCCL comm's
  cudaStream_t stream = nullptr;
  std::unique_ptr<cuda::DeviceState> state;
  std::unique_ptr<cuda::CudaForward> forward;
  int64_t chunk = 0;  // the largest prefill chunk `forward` takes
};

// The prefill chunk every rank takes (all ranks run the same chunks).
int64_t smallestChunk(const std::vector<CudaRank>& ranks) {
  int64_t chunk = ranks.front().chunk;
  for (const CudaRank& r : ranks) chunk = std::min(chunk, r.chunk);
  return chunk;
}

class CudaSession final : public Session {
 public:
  CudaSession(std::shared_ptr<const Model> model, const SessionOptions& options,
              std::shared_ptr<cuda::NcclGroup> nccl, std::unique_ptr<InProcessGroup> host_group,
              std::vector<CudaRank> ranks)
      : model_(std::move(model)),
        options_(options),
        chunk_(0),
        nccl_(std::move(nccl)),
        host_group_(std::move(host_group)),
        ranks_(std::move(ranks)),
        rank_threads_(ranks_.size() > 1 ? std::make_unique<ThreadPool>(static_cast<int>(ranks_.size())) : nullptr) {
    chunk_ = smallestChunk(ranks_);
    aggregate_.reset(model_->config().num_layers, model_->config().num_experts);
    tokens_.reserve(static_cast<size_t>(options.context_capacity));
    setExpertThreshold(options.expert_threshold);
    DeviceGuard guard(ranks_.front().device);  // rank 0 holds the whole logits row after a step
    sample_scratch_ = cuda::DeviceBuffer<std::byte>(kernels::cuda::sampleRowScratchBytes(model_->config().vocab_size));
    sampled_ = cuda::DeviceBuffer<int32_t>(1);
    sampled_host_ = cuda::PinnedBuffer<int32_t>(1);
  }

  ~CudaSession() override {
    if (batcher_) batcher_->leave(&batch_seq_);
    // the ranks' device memory is freed on its own device
    {
      DeviceGuard guard(ranks_.front().device);
      sample_scratch_ = {};
      sampled_ = {};
      batch_logits_ = {};
    }
    for (auto it = ranks_.rbegin(); it != ranks_.rend(); ++it) {
      DeviceGuard guard(it->device);
      it->forward.reset();
      it->state.reset();
      it->own_comm.reset();
      it->own_stream.reset();
    }
  }

  Backend backend() const override { return Backend::Cuda; }

  Status prefill(std::span<const int32_t> ids, std::vector<float>* all_logits,
                 const std::atomic<bool>* cancel) override {
    FOLIO_TRY(checkIds(ids));
    const int64_t V = model_->config().vocab_size;
    const int64_t T = static_cast<int64_t>(ids.size());
    if (all_logits) all_logits->assign(static_cast<size_t>(T * V), 0.0f);
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
    if (batcher_) return batchedDecode(id);
    return step(ids, /*decode=*/true, nullptr);
  }

  // Joins options.decode_batcher when this session can: the whole model on one device, within the
  // batcher's capacity. The runner is built by the first CUDA session of the batcher's device.
  Status joinBatcher() {
    const auto& batcher = options_.decode_batcher;
    if (!batcher || ranks_.size() != 1 || ranks_.front().layout || options_.context_capacity > batcher->maxCapacity()) {
      return {};
    }
    CudaRank& rank = ranks_.front();
    auto joined = batcher->join("cuda:" + std::to_string(rank.device), [&] {
      return cuda::CudaBatchRunner::create(rank.forward->model(), batcher->maxBatch());
    });
    if (!joined.ok()) return joined.error();
    if (!joined.value()) return {};
    try {
      DeviceGuard guard(rank.device);
      batch_logits_ = cuda::DeviceBuffer<float>(static_cast<size_t>(model_->config().vocab_size));
    } catch (const std::exception& e) {
      return internal("CUDA session: the batched decode's logits row", e);
    }
    batcher_ = batcher;
    return {};
  }

  std::span<const float> lastLogits() const override {
    if (logits_on_device_) readLogits();
    return last_logits_;
  }

  Result<int32_t> sampleNext(Sampler& sampler) override {
    // after a decode step the row is still on the device: draw there and read back one id (prefill
    // and restored snapshots leave it on the host, where the default draws)
    if (!logits_on_device_) return Session::sampleNext(sampler);
    const SamplingParams& p = sampler.params();
    const int64_t V = model_->config().vocab_size;
    try {
      CudaRank& rank = ranks_.front();
      DeviceGuard guard(rank.device);
      const float* logits = deviceLogits();  // [V]: the decoded token's
      if (p.greedy()) {
        kernels::cuda::argmaxRows(logits, 1, V, sampled_.get(), rank.stream);
      } else {
        kernels::cuda::sampleRow(logits, V, kernels::cuda::DeviceSampling{p.temperature, p.top_k, p.top_p},
                                 sampler.nextUniform(), sample_scratch_.get(), sampled_.get(), rank.stream);
      }
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(sampled_host_.get(), sampled_.get(), sizeof(int32_t), cudaMemcpyDeviceToHost,
                                       rank.stream));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(rank.stream));
    } catch (const std::exception& e) {
      return internal("CUDA sampling failed", e);
    }
    return sampled_host_[0];
  }
  int64_t position() const override { return static_cast<int64_t>(tokens_.size()); }
  const std::vector<int32_t>& tokens() const override { return tokens_; }

  void setRoutingSink(RoutingSink* sink) override { sink_ = sink; }
  const RoutingAggregate& routingAggregate() const override { return aggregate_; }
  void setExpertThreshold(double tau) override {
    tau_ = clampExpertThreshold(tau);
  }

  Status saveState(const std::filesystem::path& path) const override {
    const ModelConfig& c = model_->config();
    SessionState host;
    try {
      if (logits_on_device_) readLogits();
      host.allocate(c, position());  // KV rows up to the position are all a snapshot holds
      host.position = position();
      host.tokens = tokens_;
      host.last_logits = last_logits_;
      for (const CudaRank& rank : ranks_) {
        DeviceGuard guard(rank.device);
        if (!rank.layout) {
          rank.state->download(host, rank.stream);
          continue;
        }
        SessionState part;
        part.allocate(rank.forward->config(), position());
        part.position = position();
        rank.state->download(part, rank.stream);
        gatherRankState(part, *rank.layout, c, host);
      }
    } catch (const std::exception& e) {
      return Error{ErrorKind::Internal, path.string() + ": reading the CUDA session state failed: " + e.what()};
    }
    return writeFileAtomic(path, encodeSnapshot(host, *model_));
  }

  Status loadState(const std::filesystem::path& path) override {
    auto host = readSnapshotFile(path, *model_, options_.context_capacity);
    if (!host.ok()) return host.error();
    try {
      for (CudaRank& rank : ranks_) {
        DeviceGuard guard(rank.device);
        if (!rank.layout) {
          rank.state->upload(host.value(), rank.stream);
          continue;
        }
        SessionState part;
        part.allocate(rank.forward->config(), host.value().position);
        scatterRankState(host.value(), *rank.layout, model_->config(), part);
        rank.state->upload(part, rank.stream);
      }
    } catch (const std::exception& e) {
      return Error{ErrorKind::Internal, path.string() + ": writing the CUDA session state failed: " + e.what()};
    }
    tokens_ = std::move(host.value().tokens);
    last_logits_ = std::move(host.value().last_logits);
    logits_on_device_ = false;
    return {};
  }

 private:
  // One chunk through the device(s); a CUDA failure (lost device, out of memory) becomes an Internal error.
  // A decode step leaves its logits on the device (sampleNext draws there; lastLogits reads them when
  // asked); a prefill chunk reads its last row to the host.
  Status step(std::span<const int32_t> ids, bool decode, float* all_logits) {
    last_logits_.resize(static_cast<size_t>(model_->config().vocab_size));
    const int64_t p0 = position();
    const bool keep_on_device = decode && all_logits == nullptr;
    logits_on_device_ = false;
    logits_in_batch_row_ = false;
    if (!broken_.ok()) return broken_;
    // sessions sharing the NCCL group step one at a time (a communicator takes one caller at a time)
    std::unique_lock<std::mutex> turn;
    if (nccl_) {
      turn = std::unique_lock<std::mutex>(nccl_->steps);
      if (nccl_->aborted.load()) {
        broken_ = Error{ErrorKind::Internal,
                        "this CUDA session's tensor-parallel group was stopped after a failure in another "
                        "session on the same devices; start a new session"};
        return broken_;
      }
    }
    if (ranks_.size() == 1) {
      FOLIO_TRY(runRank(ranks_.front(), 0, ids, decode, all_logits, keep_on_device, p0));
    } else {
      // every rank at once on its own thread: they meet in the collectives. A rank that fails aborts the
      // group, so the others return from their collectives with an error instead of waiting for it;
      // the session is then unusable (its ranks' states disagree) and says so from then on.
      std::vector<Status> results(ranks_.size());
      std::atomic<int> first_failed{-1};  // the rank whose failure aborted the group: the cause
      rank_threads_->parallelFor(static_cast<int64_t>(ranks_.size()), 1, [&](int64_t r0, int64_t r1, int) {
        for (int64_t r = r0; r < r1; ++r) {
          Status& result = results[static_cast<size_t>(r)];
          result = runRank(ranks_[static_cast<size_t>(r)], static_cast<int>(r), ids, decode, all_logits,
                           keep_on_device, p0);
          int none = -1;
          if (!result.ok() && first_failed.compare_exchange_strong(none, static_cast<int>(r))) {
            if (nccl_) {
              nccl_->abort();
            } else {
              for (CudaRank& rank : ranks_) rank.comm->abort();
            }
          }
        }
      });
      if (first_failed.load() >= 0) {
        const Status& cause = results[static_cast<size_t>(first_failed.load())];
        broken_ = Error{ErrorKind::Internal,
                        "this CUDA session's tensor-parallel group stopped after a failure; start a new session (" +
                            cause.error().message + ")"};
        return cause;
      }
    }
    tokens_.insert(tokens_.end(), ids.begin(), ids.end());
    logits_on_device_ = keep_on_device;
    return {};
  }

  // Rank `r`'s share of a step; rank 0 writes the logits (unless they stay on the device) and reports
  // the routing.
  Status runRank(CudaRank& rank, int r, std::span<const int32_t> ids, bool decode, float* all_logits,
                 bool keep_on_device, int64_t p0) {
    try {
      DeviceGuard guard(rank.device);
      const bool first = r == 0;
      rank.forward->run(*rank.state, p0, ids, decode, all_logits != nullptr, first ? all_logits : nullptr,
                        first && !keep_on_device ? last_logits_.data() : nullptr,
                        first ? ForwardRouting{sink_, &aggregate_, tau_} : ForwardRouting{nullptr, nullptr, tau_});
    } catch (const std::exception& e) {
      const std::string where = ranks_.size() > 1 || rank.layout
                                    ? " (rank " + std::to_string(r) + " on CUDA device " + std::to_string(rank.device) + ")"
                                    : std::string();
      return Error{ErrorKind::Internal, "CUDA forward pass failed" + where + ": " + e.what()};
    }
    return {};
  }

  // The decoded token's logits from rank 0's device into last_logits_. A failed read leaves NaN (the
  // device is then lost, and the next step reports it).
  void readLogits() const {
    logits_on_device_ = false;
    const CudaRank& rank = ranks_.front();
    try {
      DeviceGuard guard(rank.device);
      FOLIO_CUDA_CHECK(cudaMemcpyAsync(last_logits_.data(), deviceLogits(),
                                       last_logits_.size() * sizeof(float), cudaMemcpyDeviceToHost, rank.stream));
      FOLIO_CUDA_CHECK(cudaStreamSynchronize(rank.stream));
    } catch (const std::exception&) {
      std::fill(last_logits_.begin(), last_logits_.end(), std::numeric_limits<float>::quiet_NaN());
    }
  }

  Status checkIds(std::span<const int32_t> ids) const {
    return checkNewIds(ids, model_->config().vocab_size, position(), options_.context_capacity);
  }

  // The last decode step's logits row on rank 0's device: the forward's row 0, or this session's row of
  // a batched step.
  const float* deviceLogits() const {
    return logits_in_batch_row_ ? batch_logits_.get() : ranks_.front().forward->deviceLogits();
  }

  // A decode step through the batcher (one device, whole model; see joinBatcher).
  Status batchedDecode(int32_t id) {
    logits_on_device_ = false;
    logits_in_batch_row_ = false;
    if (!broken_.ok()) return broken_;
    last_logits_.resize(static_cast<size_t>(model_->config().vocab_size));
    CudaRank& rank = ranks_.front();
    batch_seq_ = cuda::CudaBatchSequence{rank.state.get(), position(), batch_logits_.get(),
                                         ForwardRouting{sink_, &aggregate_, tau_}};
    DecodeSlot slot{&batch_seq_, id, {}};
    const Status s = batcher_->decode(slot);
    if (!s.ok()) {
      broken_ = Error{ErrorKind::Internal, "this CUDA session stopped after a failed batched decode step; start a new "
                                           "session (" + s.error().message + ")"};
      return s;
    }
    tokens_.push_back(id);
    logits_on_device_ = true;
    logits_in_batch_row_ = true;
    return {};
  }

  std::shared_ptr<const Model> model_;
  SessionOptions options_;
  int64_t chunk_;  // tokens per prefill chunk (at most the capacity)
  std::shared_ptr<cuda::NcclGroup> nccl_;       // split over NCCL: the group shared with other sessions
  std::unique_ptr<InProcessGroup> host_group_;  // HostStaged collectives: the ranks' host group
  std::vector<CudaRank> ranks_;                 // [ranks]
  std::unique_ptr<ThreadPool> rank_threads_;    // one thread per rank when there are several
  std::vector<int32_t> tokens_;     // [position]
  mutable std::vector<float> last_logits_;  // [V] (empty at position 0); stale while logits_on_device_
  mutable bool logits_on_device_ = false;   // the last step was a decode whose row is only on rank 0's device
  cuda::DeviceBuffer<std::byte> sample_scratch_;  // sampleRowScratchBytes(V), on rank 0's device
  cuda::DeviceBuffer<int32_t> sampled_;           // [1] the drawn id
  cuda::PinnedBuffer<int32_t> sampled_host_;      // [1]
  RoutingAggregate aggregate_;
  RoutingSink* sink_ = nullptr;
  double tau_ = 1.0;
  Status broken_;  // the failure that stopped a split group or a batched step (ok while it runs)
  std::shared_ptr<DecodeBatcher> batcher_;  // decode steps go through it (set only when this session joined)
  cuda::CudaBatchSequence batch_seq_;       // what a batched step reads; its address names this sequence
  cuda::DeviceBuffer<float> batch_logits_;  // [V] this session's row of its last batched step
  mutable bool logits_in_batch_row_ = false;  // the last decode's logits are in batch_logits_
};

// The rank's stream, state and forward on its device (weights and, for a split, layout and comm set).
// The default chunk (options.prefill_chunk 0) is a speed choice: where the device has too little memory
// left for its buffers, the rank takes half as many tokens per chunk, down to the CPU's 512. An explicit
// chunk that does not fit fails.
Status buildRank(CudaRank& rank, std::shared_ptr<const cuda::DeviceModel> weights, const SessionOptions& options,
                 int64_t model_heads) {
  DeviceGuard guard(rank.device);  // the rank's buffers and stream live on its device
  if (!rank.stream) {
    rank.own_stream = std::make_unique<cuda::CudaStream>();
    rank.stream = rank.own_stream->get();
  }
  const int64_t chunk = prefillChunkFor(options, Backend::Cuda);
  rank.state = std::make_unique<cuda::DeviceState>(weights->config(), options.context_capacity,
                                                   cuda::kvCacheDtypeFor(*weights));
  std::optional<cuda::TensorParallelRank> tp;
  if (rank.layout) tp = cuda::TensorParallelRank{rank.comm, *rank.layout, model_heads};
  for (int64_t chunk_tokens = chunk;; chunk_tokens /= 2) {
    try {
      rank.forward = std::make_unique<cuda::CudaForward>(weights, chunk_tokens, rank.stream, tp ? &*tp : nullptr);
      rank.chunk = chunk_tokens;
      return {};
    } catch (const kernels::cuda::CudaOutOfMemory&) {
      cudaGetLastError();  // a failed cudaMalloc is also the thread's last error; later launch checks read it
      if (options.prefill_chunk != 0 || chunk_tokens / 2 < std::min<int64_t>(kCpuPrefillChunk, chunk)) throw;
    }
  }
}

// Rank `shard`'s part of the model on `device`, uploaded once per (model, device, shard).
Result<std::shared_ptr<const cuda::DeviceModel>> rankWeights(const Model& model, const Shard& shard, int device) {
  return model.deviceWeights().getOrMake<cuda::DeviceModel>(
      device, DeviceWeightsCache::partOfShard(shard.rank, shard.size),
      [&model, shard, device]() -> Result<std::shared_ptr<const cuda::DeviceModel>> {
        // the rank's column slices are copied on the host only while they are uploaded
        auto part = RankWeights::bind(model, shard);
        if (!part.ok()) return part.error().context("CUDA backend");
        try {
          auto uploaded = cuda::DeviceModel::upload(*part.value(), device);
          if (!uploaded.ok()) return uploaded.error().context("CUDA backend");
          return uploaded;
        } catch (const std::exception& e) {
          return internal("CUDA backend: uploading rank " + std::to_string(shard.rank) + "'s weights failed", e);
        }
      });
}

}  // namespace

Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model,
                                                   std::shared_ptr<const cuda::DeviceModel> weights,
                                                   const SessionOptions& options) {
  if (!model || !weights) return badInput("CUDA session: no model");
  try {
    std::vector<CudaRank> ranks(1);
    ranks[0].device = weights->device();
    FOLIO_TRY(buildRank(ranks[0], std::move(weights), options, model->config().num_heads));
    auto session = std::make_unique<CudaSession>(std::move(model), options, nullptr, nullptr, std::move(ranks));
    FOLIO_TRY(session->joinBatcher());
    return std::unique_ptr<Session>(std::move(session));
  } catch (const std::exception& e) {
    return internal("CUDA session", e);
  }
}

Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model, const SessionOptions& options) {
  if (!model) return badInput("CUDA session: no model");
  if (options.devices.size() > 1) return createCudaTensorParallelSession(std::move(model), options, CudaCollectives::Nccl);
  const int device = options.devices.empty() ? 0 : options.devices.front();
  const Model& host = *model;
  auto weights = model->deviceWeights().getOrMake<cuda::DeviceModel>(
      device, [&host, device]() -> Result<std::shared_ptr<const cuda::DeviceModel>> {
        try {
          auto uploaded = cuda::DeviceModel::upload(host, device);
          if (!uploaded.ok()) return uploaded.error().context("CUDA backend");
          return uploaded;
        } catch (const std::exception& e) {
          return internal("CUDA backend: uploading the weights failed", e);
        }
      });
  if (!weights.ok()) return weights.error();
  return createCudaSession(std::move(model), std::move(weights.value()), options);
}

Result<std::unique_ptr<Session>> createCudaTensorParallelSession(std::shared_ptr<const Model> model,
                                                                 const SessionOptions& options,
                                                                 CudaCollectives collectives) {
  if (!model) return badInput("CUDA session: no model");
  const std::vector<int> devices = options.devices.empty() ? std::vector<int>{0} : options.devices;
  const int n = static_cast<int>(devices.size());
  if (Status fits = checkTensorParallel(model->config(), n); !fits.ok()) {
    return fits.error().context("CUDA backend over " + std::to_string(n) + " devices");
  }
  try {
    std::vector<CudaRank> ranks(static_cast<size_t>(n));
    std::shared_ptr<cuda::NcclGroup> nccl;
    std::unique_ptr<InProcessGroup> host_group;
    if (collectives == CudaCollectives::Nccl) {
      auto groups = model->deviceWeights().getOrMake<cuda::NcclGroups>(
          devices.front(), []() -> Result<std::shared_ptr<const cuda::NcclGroups>> {
            return std::make_shared<const cuda::NcclGroups>();
          });
      if (!groups.ok()) return groups.error();
      auto group = groups.value()->get(devices);
      if (!group.ok()) return group.error().context("CUDA backend over " + std::to_string(n) + " devices");
      nccl = std::move(group.value());
      for (int r = 0; r < n; ++r) {
        CudaRank& rank = ranks[static_cast<size_t>(r)];
        NcclComm& comm = *nccl->comms[static_cast<size_t>(r)];
        rank.stream = comm.stream();  // collectives run on it: so does the rank
        rank.comm = &comm;
      }
    } else {
      host_group = std::make_unique<InProcessGroup>(n);
    }
    for (int r = 0; r < n; ++r) {
      CudaRank& rank = ranks[static_cast<size_t>(r)];
      rank.device = devices[static_cast<size_t>(r)];
      const Shard shard{r, n};
      rank.layout = rankLayout(model->config(), shard);
      auto weights = rankWeights(*model, shard, rank.device);
      if (!weights.ok()) return weights.error();
      if (collectives == CudaCollectives::HostStaged) {
        DeviceGuard guard(rank.device);
        rank.own_stream = std::make_unique<cuda::CudaStream>();
        rank.stream = rank.own_stream->get();
        rank.own_comm = std::make_unique<HostStagedComm>(host_group->comm(r), rank.device, rank.stream);
        rank.comm = rank.own_comm.get();
      }
      FOLIO_TRY(buildRank(rank, std::move(weights.value()), options, model->config().num_heads));
    }
    return std::unique_ptr<Session>(
        new CudaSession(std::move(model), options, std::move(nccl), std::move(host_group), std::move(ranks)));
  } catch (const std::exception& e) {
    return internal("CUDA session over " + std::to_string(n) + " devices", e);
  }
}

}  // namespace folio::engine
