// Comm over device pointers for ranks that cannot use NCCL, e.g. several ranks on one GPU (NCCL refuses
// a device twice in a group): each collective copies this rank's device buffer to pinned host memory,
// meets the other ranks in a host Comm (InProcessComm: ranks are threads of this process), and copies
// the result back. Synchronous and slow (two PCIe copies per collective); it exists so the CUDA
// backend's tensor-parallel path can be checked on a machine with one GPU against the same code that
// runs over NCCL. Built only with CUDA (FOLIO_HAVE_CUDA).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "engine/parallel/comm.h"

namespace folio::engine {

class HostStagedComm final : public Comm {
 public:
  // host: this rank's comm of the host group (not owned); stream: the rank's stream, on `device`, that
  // the device buffers are written on (collectives are ordered after the work queued on it).
  HostStagedComm(Comm& host, int device, cudaStream_t stream) : host_(host), device_(device), stream_(stream) {}
  ~HostStagedComm() override;
  HostStagedComm(const HostStagedComm&) = delete;
  HostStagedComm& operator=(const HostStagedComm&) = delete;

  int rank() const override { return host_.rank(); }
  int size() const override { return host_.size(); }

  Status allReduceSum(float* data, int64_t n) override;                  // data: device pointer
  Status allGather(const float* send, int64_t n, float* recv) override;  // device pointers
  Status barrier() override;
  void abort() override { host_.abort(); }

 private:
  // Pinned host room for n floats (grows; kept between calls, so a steady decode allocates nothing).
  Status reserve(int64_t n);
  Status copy(void* dst, const void* src, int64_t n, cudaMemcpyKind kind, const char* what);

  Comm& host_;
  int device_;
  cudaStream_t stream_;
  float* staging_ = nullptr;  // pinned [capacity_]
  int64_t capacity_ = 0;
};

}  // namespace folio::engine
