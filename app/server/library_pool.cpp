#include "app/server/library_pool.h"

namespace folio::app::server {

namespace {
constexpr size_t kMaxIdle = 8;
}

LibraryPool::Lease::~Lease() {
  if (!lib_ || !pool_) return;
  std::lock_guard<std::mutex> lock(pool_->mutex_);
  if (pool_->idle_.size() < kMaxIdle) pool_->idle_.push_back(std::move(lib_));
}

Result<LibraryPool::Lease> LibraryPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto lib = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(lib));
    }
  }
  ingest::DatabaseOptions options;
  options.create = false;
  options.cache_kib = 8192;
  auto lib = ingest::Library::open(path_, options);
  if (!lib) return lib.error();
  return Lease(this, std::make_unique<ingest::Library>(std::move(*lib)));
}

}  // namespace folio::app::server
