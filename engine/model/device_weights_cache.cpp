#include "engine/model/device_weights_cache.h"

namespace folio::engine {

Result<std::shared_ptr<const void>> DeviceWeightsCache::getOrMakeErased(
    const Key& key, const std::function<Result<std::shared_ptr<const void>>()>& make) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mutex_);
    auto& entry = slots_[key];
    if (!entry) entry = std::make_shared<Slot>();
    if (entry->value) return entry->value;
    slot = entry;
  }
  std::lock_guard making(slot->making);
  {
    std::lock_guard lock(mutex_);
    if (slot->value) return slot->value;  // made by the caller this one waited for
  }
  auto made = make();
  if (!made.ok()) return made.error();
  FOLIO_CHECK_MSG(made.value() != nullptr, "DeviceWeightsCache: a make returned no entry");
  std::lock_guard lock(mutex_);
  slot->value = std::move(made.value());
  makes_.fetch_add(1);
  return slot->value;
}

std::shared_ptr<const void> DeviceWeightsCache::findErased(const Key& key) const {
  std::lock_guard lock(mutex_);
  const auto it = slots_.find(key);
  return it == slots_.end() ? nullptr : it->second->value;
}

size_t DeviceWeightsCache::size() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& [key, slot] : slots_) n += slot->value ? 1 : 0;
  return n;
}

}  // namespace folio::engine
