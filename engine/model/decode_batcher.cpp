#include "engine/model/decode_batcher.h"

#include <algorithm>

#include "engine/common/check.h"

namespace folio::engine {

namespace {
using Clock = std::chrono::steady_clock;

// The default capacity: the model's context length, capped so the attention scratch of the reference
// kernels (one float per position per worker) stays at 4 MB per worker.
constexpr int64_t kDefaultCapacityCap = int64_t{1} << 20;
constexpr int64_t kCapacityWithoutConfig = 65536;
}  // namespace

Result<std::shared_ptr<DecodeBatcher>> DecodeBatcher::create(std::shared_ptr<const Model> model,
                                                             const Options& options) {
  if (!model) return badInput("decode batcher: no model");
  if (options.threads < 0) return badInput("decode batcher: threads must be >= 0 (0: all cores)");
  if (options.max_batch < 1 || options.max_batch > 256) {
    return badInput("decode batcher: max_batch must be in [1, 256] (got " + std::to_string(options.max_batch) + ")");
  }
  if (options.max_capacity < 0) return badInput("decode batcher: max_capacity must be >= 0 (0: the model's)");
  if (options.min_gather.count() < 0 || options.max_gather < options.min_gather) {
    return badInput("decode batcher: the gather window needs 0 <= min_gather <= max_gather");
  }
  int64_t capacity = options.max_capacity;
  if (capacity == 0) {
    const int64_t model_limit = model->config().max_position_embeddings;
    capacity = model_limit > 0 ? std::min(model_limit, kDefaultCapacityCap) : kCapacityWithoutConfig;
  }
  return std::shared_ptr<DecodeBatcher>(new DecodeBatcher(std::move(model), options, capacity));
}

DecodeBatcher::DecodeBatcher(std::shared_ptr<const Model> model, const Options& options, int64_t capacity)
    : model_(std::move(model)), options_(options), capacity_(capacity) {
  const auto n = static_cast<size_t>(options.max_batch);
  waiting_.reserve(std::max<size_t>(n, 64));
  previous_.reserve(n);
  step_.reserve(n);
  step_slots_.reserve(n);
}

Result<bool> DecodeBatcher::join(const std::string& backend,
                                 const std::function<Result<std::unique_ptr<BatchDecodeRunner>>()>& make) {
  std::lock_guard<std::mutex> lk(mu_);
  if (runner_) return backend == backend_;
  auto runner = make();
  if (!runner.ok()) return runner.error().context("decode batcher");
  runner_ = std::move(runner.value());
  backend_ = backend;
  return true;
}

DecodeBatcher::Stats DecodeBatcher::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  Stats s = stats_;
  s.waiting = static_cast<int>(waiting_.size());
  return s;
}

Clock::time_point DecodeBatcher::deadlineLocked() const {
  const auto quarter = std::chrono::duration_cast<std::chrono::microseconds>(last_step_ / 4);
  const auto window = std::clamp(quarter, options_.min_gather, options_.max_gather);
  return gather_start_ + window;
}

bool DecodeBatcher::readyLocked(Clock::time_point now) const {
  if (waiting_.empty()) return false;
  if (static_cast<int64_t>(waiting_.size()) >= options_.max_batch) return true;
  // every sequence of the previous step is back (a new sequence alone is ready at once)
  const bool all_back = std::all_of(previous_.begin(), previous_.end(), [&](const void* s) {
    return std::any_of(waiting_.begin(), waiting_.end(), [&](const Request* r) { return r->slot->sequence == s; });
  });
  return all_back || now >= deadlineLocked();
}

Status DecodeBatcher::decode(DecodeSlot& slot) {
  Request request{&slot};
  std::unique_lock<std::mutex> lk(mu_);
  FOLIO_CHECK(runner_ != nullptr);  // sessions decode here only after join() said yes
  if (waiting_.empty()) gather_start_ = Clock::now();
  waiting_.push_back(&request);
  cv_.notify_all();  // a waiter may now have the whole set
  while (!request.done) {
    if (!running_ && readyLocked(Clock::now())) {
      runStepLocked(lk);
    } else if (running_) {
      cv_.wait(lk);
    } else {
      cv_.wait_until(lk, deadlineLocked());
    }
  }
  return slot.result;
}

void DecodeBatcher::leave(const void* sequence) {
  std::lock_guard<std::mutex> lk(mu_);
  previous_.erase(std::remove(previous_.begin(), previous_.end(), sequence), previous_.end());
  cv_.notify_all();
}

void DecodeBatcher::runStepLocked(std::unique_lock<std::mutex>& lk) {
  running_ = true;
  const size_t n = std::min(waiting_.size(), static_cast<size_t>(options_.max_batch));
  step_.assign(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(n));
  waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(n));
  lk.unlock();

  step_slots_.clear();
  for (const Request* r : step_) step_slots_.push_back(r->slot);
  const auto t0 = Clock::now();
  runner_->run(step_slots_);
  const auto t1 = Clock::now();

  lk.lock();
  last_step_ = t1 - t0;
  previous_.clear();
  for (Request* r : step_) {
    previous_.push_back(r->slot->sequence);
    r->done = true;
  }
  ++stats_.steps;
  stats_.tokens += static_cast<int64_t>(n);
  stats_.largest_step = std::max(stats_.largest_step, static_cast<int>(n));
  // tokens that arrived during the step could not run before now: their gather window starts here
  gather_start_ = t1;
  running_ = false;
  cv_.notify_all();
}

}  // namespace folio::engine
