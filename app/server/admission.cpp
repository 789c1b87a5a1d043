#include "app/server/admission.h"

#include <algorithm>
#include <cmath>

#include "engine/common/check.h"

namespace folio::app::server {

Admission::Admission(int max_concurrent, int max_queue) : max_concurrent_(max_concurrent), max_queue_(max_queue) {
  FOLIO_CHECK(max_concurrent >= 1 && max_queue >= 0);
}

Admission::Slot& Admission::Slot::operator=(Slot&& o) noexcept {
  if (this != &o) {
    release();
    owner_ = o.owner_;
    since_ = o.since_;
    o.owner_ = nullptr;
  }
  return *this;
}

void Admission::Slot::release() {
  if (owner_) owner_->releaseSlot(since_);
  owner_ = nullptr;
}

Admission::Outcome Admission::acquire(const std::atomic<bool>& cancel, Slot& slot) {
  FOLIO_CHECK(!slot.held());
  std::unique_lock<std::mutex> lock(mutex_);
  if (queue_.empty() && running_ < max_concurrent_) {
    ++running_;
  } else {
    if (static_cast<int>(queue_.size()) >= max_queue_) {
      ++refused_;
      return Outcome::QueueFull;
    }
    const uint64_t ticket = next_ticket_++;
    queue_.push_back(ticket);
    for (;;) {
      if (cancel.load()) {
        queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
        cv_.notify_all();
        return Outcome::Cancelled;
      }
      if (queue_.front() == ticket && running_ < max_concurrent_) break;
      cv_.wait_for(lock, std::chrono::milliseconds(20));
    }
    queue_.pop_front();
    ++running_;
    cv_.notify_all();  // the next in line may also fit when several slots are free
  }
  slot.owner_ = this;
  slot.since_ = std::chrono::steady_clock::now();
  return Outcome::Admitted;
}

void Admission::releaseSlot(std::chrono::steady_clock::time_point since) {
  const double held = std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    FOLIO_CHECK(running_ > 0);
    --running_;
    mean_slot_seconds_ = 0.8 * mean_slot_seconds_ + 0.2 * held;
  }
  cv_.notify_all();
}

int Admission::retryAfterSeconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const double wait = mean_slot_seconds_ * static_cast<double>(queue_.size() + 1) / max_concurrent_;
  return static_cast<int>(std::clamp(std::ceil(wait), 1.0, 3600.0));
}

int Admission::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

int Admission::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(queue_.size());
}

int64_t Admission::refused() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return refused_;
}

}  // namespace folio::app::server
