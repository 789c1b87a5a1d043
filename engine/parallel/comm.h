// Collective communication between the ranks of one tensor-parallel group. A rank is one shard of the
// model (one GPU, or one CPU thread in tests and on the CPU backend); every rank calls the same
// collectives in the same order with the same counts. Implementations: InProcessComm (ranks are threads
// of one process, engine/parallel/in_process_comm.h) and NcclComm (ranks are GPUs, device pointers,
// engine/parallel/cuda/nccl_comm.h).
#pragma once

#include <cstdint>

#include "engine/common/result.h"

namespace folio::engine {

class Comm {
 public:
  virtual ~Comm() = default;

  virtual int rank() const = 0;  // 0 … size() − 1
  virtual int size() const = 0;  // ranks in the group

  // data [n] ← Σ over ranks of every rank's data [n], in place. Every rank receives the same bits.
  virtual Status allReduceSum(float* data, int64_t n) = 0;
  // recv [size() · n] ← the concatenation of every rank's send [n] in rank order; send and recv do not
  // overlap.
  virtual Status allGather(const float* send, int64_t n, float* recv) = 0;
  // Returns once every rank has entered it (and, on a device, its queued collectives have finished).
  virtual Status barrier() = 0;
  // After a rank has failed: every collective of the group that is waiting, or called later, on any rank
  // returns an error instead of waiting forever for the failed rank. The group cannot be used again.
  // Callable from any thread, more than once.
  virtual void abort() = 0;
};

}  // namespace folio::engine
