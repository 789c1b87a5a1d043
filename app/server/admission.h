// Admission to the engine: at most `max_concurrent` generations run at once; up to `max_queue` more
// wait in arrival order; beyond that a request is refused at once (HTTP 429 with Retry-After). A
// waiting request whose cancel flag is raised (its client went away, the server is stopping) leaves
// the queue.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

namespace folio::app::server {

class Admission {
 public:
  Admission(int max_concurrent, int max_queue);
  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;

  enum class Outcome { Admitted, QueueFull, Cancelled };

  // A held engine slot; releasing it (destruction) records how long it was held and admits the next.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& o) noexcept : owner_(o.owner_), since_(o.since_) { o.owner_ = nullptr; }
    Slot& operator=(Slot&& o) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }
    bool held() const { return owner_ != nullptr; }
    void release();

   private:
    friend class Admission;
    Admission* owner_ = nullptr;
    std::chrono::steady_clock::time_point since_{};
  };

  // Waits for a slot (checking `cancel` every few milliseconds). On Admitted, `slot` holds it.
  Outcome acquire(const std::atomic<bool>& cancel, Slot& slot);

  // Seconds a refused client should wait: the average slot time × (queue length + 1) / slots, ≥ 1.
  int retryAfterSeconds() const;

  int running() const;
  int waiting() const;
  int maxConcurrent() const { return max_concurrent_; }
  int maxQueue() const { return max_queue_; }
  int64_t refused() const;

 private:
  void releaseSlot(std::chrono::steady_clock::time_point since);

  const int max_concurrent_, max_queue_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  int running_ = 0;
  std::deque<uint64_t> queue_;  // tickets of waiting requests, in arrival order
  uint64_t next_ticket_ = 0;
  int64_t refused_ = 0;
  double mean_slot_seconds_ = 1.0;  // exponential moving average
};

}  // namespace folio::app::server
