// Session on the CPU: chunked prefill and decode through CpuForward (or, with tensor_parallel > 1, through
// a TensorParallelForward whose ranks are threads), the routing log, and state snapshots
// (engine/model/snapshot.h).
#include <algorithm>
#include <cmath>
#include <optional>

#include "engine/common/file_io.h"
#include "engine/model/cpu_forward.h"
#include "engine/model/cpu_batch_runner.h"
#include "engine/model/decode_batcher.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/model/session_backends.h"
#include "engine/model/snapshot.h"
#include "engine/parallel/tensor_parallel_forward.h"

namespace folio::engine {
namespace {

int64_t prefillChunk(const SessionOptions& o) { return prefillChunkFor(o, Backend::Cpu); }

class CpuSession final : public Session {
 public:
  // tp: null for the whole model on one thread pool, else the ranks that hold the layer states.
  CpuSession(std::shared_ptr<const Model> model, const SessionOptions& options,
             std::unique_ptr<TensorParallelForward> tp)
      : model_(std::move(model)), options_(options), chunk_(prefillChunk(options)), tp_(std::move(tp)) {
    if (!tp_) {
      pool_.emplace(options.threads);
      forward_.emplace(*model_, chunk_, options.context_capacity, *pool_);
      state_.allocate(model_->config(), options_.context_capacity);
    } else {
      split_ = tp_->allocateState();
      // no layers here (split_ holds them); room for the history and logits so decode does not allocate
      state_.tokens.reserve(static_cast<size_t>(options_.context_capacity));
      state_.last_logits.reserve(static_cast<size_t>(model_->config().vocab_size));
    }
    aggregate_.reset(model_->config().num_layers, model_->config().num_experts);
    setExpertThreshold(options.expert_threshold);
  }

  // Joins options.decode_batcher when this session can: within its capacity, and split the way the
  // batcher's first CPU session was (its runner's ranks run every member's parts).
  Status joinBatcher() {
    const auto& batcher = options_.decode_batcher;
    if (!batcher || options_.context_capacity > batcher->maxCapacity()) return {};
    const int ranks = tp_ ? tp_->ranks() : 1;
    const std::string backend = ranks == 1 ? "cpu" : "cpu, " + std::to_string(ranks) + " tensor-parallel ranks";
    auto joined = batcher->join(backend, [&]() -> Result<std::unique_ptr<BatchDecodeRunner>> {
      if (ranks > 1) return CpuBatchRunner::createSplit(*model_, ranks, batcher->options(), batcher->maxCapacity());
      return std::unique_ptr<BatchDecodeRunner>(new CpuBatchRunner(*model_, batcher->options(), batcher->maxCapacity()));
    });
    if (!joined.ok()) return joined.error();
    if (joined.value()) batcher_ = batcher;
    return {};
  }

  ~CpuSession() override {
    if (batcher_) batcher_->leave(&batch_seq_);
  }

  Status prefill(std::span<const int32_t> ids, std::vector<float>* all_logits,
                 const std::atomic<bool>* cancel) override {
    FOLIO_TRY(checkIds(ids));
    const int64_t V = model_->config().vocab_size;
    const int64_t T = static_cast<int64_t>(ids.size());
    if (all_logits) all_logits->assign(static_cast<size_t>(T * V), 0.0f);
    const int64_t chunk = chunk_;
    for (int64_t t0 = 0; t0 < T; t0 += chunk) {
      if (cancel && cancel->load(std::memory_order_relaxed)) {
        return cancelled("prefill cancelled after " + std::to_string(t0) + " of " + std::to_string(T) + " tokens");
      }
      const int64_t n = std::min(chunk, T - t0);
      run(ids.subspan(static_cast<size_t>(t0), static_cast<size_t>(n)), /*decode=*/false,
          all_logits ? all_logits->data() + t0 * V : nullptr);
    }
    return {};
  }

  Status decode(int32_t id) override {
    const int32_t ids[1] = {id};
    FOLIO_TRY(checkIds(ids));
    if (batcher_) {
      batch_seq_ = CpuBatchSequence{&state_, tp_ ? &split_ : nullptr, routing()};
      DecodeSlot slot{&batch_seq_, id, {}};
      return batcher_->decode(slot);
    } else {
      run(ids, /*decode=*/true, nullptr);
    }
    return {};
  }

  Backend backend() const override { return Backend::Cpu; }
  std::span<const float> lastLogits() const override { return state_.last_logits; }
  int64_t position() const override { return state_.position; }
  const std::vector<int32_t>& tokens() const override { return state_.tokens; }

  void setRoutingSink(RoutingSink* sink) override { sink_ = sink; }
  const RoutingAggregate& routingAggregate() const override { return aggregate_; }
  void setExpertThreshold(double tau) override {
    tau_ = clampExpertThreshold(tau);
  }

  Status saveState(const std::filesystem::path& path) const override {
    if (tp_) return writeFileAtomic(path, encodeSnapshot(tp_->gatherState(state_, split_), *model_));
    return writeFileAtomic(path, encodeSnapshot(state_, *model_));
  }

  Status loadState(const std::filesystem::path& path) override {
    auto state = readSnapshotFile(path, *model_, options_.context_capacity);
    if (!state.ok()) return state.error();
    if (tp_) {
      tp_->scatterState(state.value(), split_);
      state.value().layers.clear();  // split_ holds them
    }
    state_ = std::move(state.value());
    return {};
  }

 private:
  Status checkIds(std::span<const int32_t> ids) const {
    return checkNewIds(ids, model_->config().vocab_size, state_.position, options_.context_capacity);
  }

  ForwardRouting routing() { return ForwardRouting{sink_, &aggregate_, tau_}; }

  void run(std::span<const int32_t> ids, bool decode, float* all_logits) {
    if (tp_) {
      tp_->run(state_, split_, ids, decode, all_logits, routing());
    } else {
      forward_->run(state_, ids, decode, all_logits, routing());
    }
  }

  std::shared_ptr<const Model> model_;
  SessionOptions options_;
  int64_t chunk_;  // tokens per prefill chunk (at most the capacity)
  std::unique_ptr<TensorParallelForward> tp_;  // tensor_parallel > 1
  SplitState split_;                           // with tp_: the layer states, split as its ranks are
  std::optional<ThreadPool> pool_;             // otherwise: the whole model on one pool
  std::optional<CpuForward> forward_;
  SessionState state_;  // with tp_: position, tokens and logits only (split_ holds the layers)
  RoutingAggregate aggregate_;
  RoutingSink* sink_ = nullptr;
  double tau_ = 1.0;
  std::shared_ptr<DecodeBatcher> batcher_;  // decode steps go through it (set only when this session joined)
  CpuBatchSequence batch_seq_;              // what a step of the batcher reads; its address names this sequence
};

}  // namespace

Result<std::unique_ptr<Session>> createCpuSession(std::shared_ptr<const Model> model, const SessionOptions& options) {
  std::unique_ptr<TensorParallelForward> tp;
  if (options.tensor_parallel > 1) {
    auto group = TensorParallelForward::create(*model, options.tensor_parallel, prefillChunk(options),
                                               options.context_capacity, options.threads);
    if (!group.ok()) return group.error().context("session");
    tp = std::move(group.value());
  }
  auto session = std::make_unique<CpuSession>(std::move(model), options, std::move(tp));
  FOLIO_TRY(session->joinBatcher());
  return std::unique_ptr<Session>(std::move(session));
}

}  // namespace folio::engine
