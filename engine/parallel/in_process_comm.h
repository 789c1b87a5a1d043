// Comm for ranks that are threads of one process (the CPU backend's tensor parallelism, and the tests
// of the sharding logic). One InProcessGroup is created for N ranks; each rank's thread uses its own
// group.comm(r). Sums are taken in rank order element by element, so results do not depend on thread
// timing and every rank receives the same bits. Blocking (mutex + condition variable), no spinning:
// the ranks may share fewer cores than there are ranks.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/parallel/comm.h"

namespace folio::engine {

class InProcessGroup;

class InProcessComm final : public Comm {
 public:
  int rank() const override { return rank_; }
  int size() const override;
  Status allReduceSum(float* data, int64_t n) override;
  Status allGather(const float* send, int64_t n, float* recv) override;
  Status barrier() override;
  void abort() override;

 private:
  friend class InProcessGroup;
  InProcessComm(InProcessGroup& group, int rank) : group_(group), rank_(rank) {}
  InProcessGroup& group_;
  int rank_;
};

class InProcessGroup {
 public:
  explicit InProcessGroup(int size);  // size ≥ 1
  InProcessGroup(const InProcessGroup&) = delete;
  InProcessGroup& operator=(const InProcessGroup&) = delete;

  int size() const { return size_; }
  Comm& comm(int rank);  // rank ∈ [0, size)
  // Every waiting and later collective of the group fails (Comm::abort); thread-safe.
  void abort();

 private:
  friend class InProcessComm;
  enum class Op { AllReduceSum, AllGather, Barrier };
  struct Post {
    Op op = Op::Barrier;
    const float* send = nullptr;
    int64_t n = 0;
  };

  // Blocks until all size() ranks have arrived; reusable. The error once the group is aborted.
  Status arriveAndWait();
  // Posts this rank's call and waits for the others; the error (the same on every rank) when the ranks
  // disagree on the operation or the count.
  Status rendezvous(int rank, Op op, const float* send, int64_t n);

  const int size_;
  std::vector<std::unique_ptr<InProcessComm>> comms_;  // [size]
  std::vector<Post> posts_;                            // [size] the current collective's calls
  std::vector<float> sum_;                             // [n] all-reduce result, written slice by slice
  std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0;          // guarded by mu_
  uint64_t generation_ = 0;  // guarded by mu_; bumped when the last rank arrives
  bool aborted_ = false;     // guarded by mu_
};

}  // namespace folio::engine
