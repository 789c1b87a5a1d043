// Comm over NCCL: one rank per GPU. Buffers are device pointers of this rank's device; collectives are
// enqueued on the rank's stream (stream()) and are complete for any work queued after them on it;
// barrier() also waits for the stream. Built only with CUDA (FOLIO_HAVE_CUDA).
#pragma once

#include <cuda_runtime.h>
#include <nccl.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/parallel/comm.h"

namespace folio::engine {

class NcclComm final : public Comm {
 public:
  // A new id for a group; every rank of the group must be created with the same one.
  static Result<ncclUniqueId> newGroupId();
  // Rank `rank` of `size` on CUDA device `device`, joining the group `id` (ncclCommInitRank). All ranks of
  // the group must call this at the same time (from their own threads or processes).
  static Result<std::unique_ptr<NcclComm>> create(const ncclUniqueId& id, int rank, int size, int device);
  // Every rank of a group inside this process, rank i on devices[i] (ncclCommInitAll). Collectives on
  // them must then be called from one thread per rank.
  static Result<std::vector<std::unique_ptr<NcclComm>>> createLocalGroup(const std::vector<int>& devices);

  ~NcclComm() override;
  NcclComm(const NcclComm&) = delete;
  NcclComm& operator=(const NcclComm&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int device() const { return device_; }
  cudaStream_t stream() const { return stream_; }

  Status allReduceSum(float* data, int64_t n) override;                      // data: device pointer
  Status allGather(const float* send, int64_t n, float* recv) override;      // device pointers
  Status barrier() override;
  // ncclCommAbort: the rank's device work is stopped and every later call fails (the destructor then
  // frees what is left without ncclCommDestroy).
  void abort() override;

 private:
  NcclComm(ncclComm_t comm, int rank, int size, int device, cudaStream_t stream, float* token)
      : comm_(comm), rank_(rank), size_(size), device_(device), stream_(stream), token_(token) {}
  // Builds the comm object around an initialised NCCL communicator (its stream and barrier token).
  static Result<std::unique_ptr<NcclComm>> wrap(ncclComm_t comm, int rank, int size, int device);
  Error failure(const char* what, ncclResult_t r) const;
  Error abortedError(const char* what) const;

  ncclComm_t comm_;
  int rank_, size_, device_;
  cudaStream_t stream_;
  float* token_;  // [1] device float all-reduced by barrier()
  std::atomic<bool> aborted_{false};
  std::mutex abort_mu_;  // one ncclCommAbort, not racing the destructor's ncclCommDestroy
};

}  // namespace folio::engine
