// A loaded model's weights as a backend prepared them for one device (the CUDA backend's upload of
// every matrix; for kHost, the column shards the CPU tensor-parallel ranks copy), kept for as long as the
// Model lives, so each (model, device) pays the upload or copy once however many sessions run on it. Entries are immutable once made: sessions share them and keep all
// their mutable state (caches, scratch, streams) to themselves. The one exception is the CUDA backend's
// NCCL groups (engine/cuda/nccl_groups.h), which sessions share on purpose, behind their own mutexes.
// Type-erased so engine/model does not see CUDA types: an entry is keyed by its C++ type, the device
// ordinal and the part of the model it holds (0: all of it; the CUDA backend's tensor-parallel ranks
// keep one part per shard, see partOfShard). Thread-safe: concurrent callers for one key wait for a single make; other keys go on.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <typeindex>
#include <utility>

#include "engine/common/result.h"

namespace folio::engine {

class DeviceWeightsCache {
 public:
  template <class T>
  using Maker = std::function<Result<std::shared_ptr<const T>>()>;

  DeviceWeightsCache() = default;
  DeviceWeightsCache(const DeviceWeightsCache&) = delete;
  DeviceWeightsCache& operator=(const DeviceWeightsCache&) = delete;

  // The "device" of entries in host memory (engine/parallel/rank_weights.h: a CPU rank's weights).
  static constexpr int kHost = -1;

  // The part key of tensor-parallel rank `rank` of `size` (size > 1; never 0, the whole model).
  static int partOfShard(int rank, int size) { return size * 4096 + rank; }

  // The T made for (`device`, `part`), calling `make` only when there is none yet. A failed make is not
  // kept (the next call tries again). `make` must not ask this cache for the same key (it would wait on
  // itself).
  template <class T>
  Result<std::shared_ptr<const T>> getOrMake(int device, const Maker<T>& make) {
    return getOrMake<T>(device, 0, make);
  }
  template <class T>
  Result<std::shared_ptr<const T>> getOrMake(int device, int part, const Maker<T>& make) {
    auto erased = getOrMakeErased(Key{std::type_index(typeid(T)), device, part}, [&make]() -> Result<std::shared_ptr<const void>> {
      auto made = make();
      if (!made.ok()) return made.error();
      return std::shared_ptr<const void>(std::move(made.value()));
    });
    if (!erased.ok()) return erased.error();
    return std::static_pointer_cast<const T>(std::move(erased.value()));
  }

  // The T already made for (`device`, `part`), or null; never makes one.
  template <class T>
  std::shared_ptr<const T> find(int device, int part = 0) const {
    return std::static_pointer_cast<const T>(findErased(Key{std::type_index(typeid(T)), device, part}));
  }

  int64_t makes() const { return makes_.load(); }  // successful makes so far (uploads, for the CUDA backend)
  size_t size() const;                              // entries held

 private:
  struct Key {
    std::type_index type;
    int device;
    int part;
    bool operator<(const Key& o) const { return std::tie(type, device, part) < std::tie(o.type, o.device, o.part); }
  };
  struct Slot {
    std::mutex making;                  // held while this key's entry is made: concurrent callers wait for one
    std::shared_ptr<const void> value;  // guarded by mutex_
  };

  Result<std::shared_ptr<const void>> getOrMakeErased(const Key& key,
                                                      const std::function<Result<std::shared_ptr<const void>>()>& make);
  std::shared_ptr<const void> findErased(const Key& key) const;

  mutable std::mutex mutex_;  // guards slots_ and their values, never held during a make (it can take minutes)
  std::map<Key, std::shared_ptr<Slot>> slots_;
  std::atomic<int64_t> makes_{0};
};

}  // namespace folio::engine
