#include "engine/parallel/cuda/host_staged_comm.h"

#include <string>

namespace folio::engine {

HostStagedComm::~HostStagedComm() {
  if (staging_) cudaFreeHost(staging_);
}

Status HostStagedComm::reserve(int64_t n) {
  if (n <= capacity_) return {};
  if (staging_) cudaFreeHost(staging_);
  staging_ = nullptr;
  capacity_ = 0;
  if (const cudaError_t e = cudaMallocHost(&staging_, static_cast<size_t>(n) * sizeof(float)); e != cudaSuccess) {
    staging_ = nullptr;
    return Error{ErrorKind::Internal, "host-staged collective: pinned buffer of " + std::to_string(n) +
                                          " floats: " + cudaGetErrorString(e)};
  }
  capacity_ = n;
  return {};
}

Status HostStagedComm::copy(void* dst, const void* src, int64_t n, cudaMemcpyKind kind, const char* what) {
  cudaError_t e = cudaSetDevice(device_);
  if (e == cudaSuccess) e = cudaMemcpyAsync(dst, src, static_cast<size_t>(n) * sizeof(float), kind, stream_);
  if (e == cudaSuccess) e = cudaStreamSynchronize(stream_);
  if (e != cudaSuccess) {
    return Error{ErrorKind::Internal, std::string("host-staged ") + what + " on rank " + std::to_string(rank()) +
                                          " (CUDA device " + std::to_string(device_) + "): " + cudaGetErrorString(e)};
  }
  return {};
}

Status HostStagedComm::allReduceSum(float* data, int64_t n) {
  if (n < 0) return badInput("host-staged allReduceSum: negative count " + std::to_string(n));
  FOLIO_TRY(reserve(n));
  FOLIO_TRY(copy(staging_, data, n, cudaMemcpyDeviceToHost, "allReduceSum"));
  FOLIO_TRY(host_.allReduceSum(staging_, n));
  return copy(data, staging_, n, cudaMemcpyHostToDevice, "allReduceSum");
}

Status HostStagedComm::allGather(const float* send, int64_t n, float* recv) {
  if (n < 0) return badInput("host-staged allGather: negative count " + std::to_string(n));
  const int64_t all = n * size();
  FOLIO_TRY(reserve(n + all));  // [n] this rank's part, then [size · n] the gathered parts
  FOLIO_TRY(copy(staging_, send, n, cudaMemcpyDeviceToHost, "allGather"));
  FOLIO_TRY(host_.allGather(staging_, n, staging_ + n));
  return copy(recv, staging_ + n, all, cudaMemcpyHostToDevice, "allGather");
}

Status HostStagedComm::barrier() {
  if (const cudaError_t e = cudaStreamSynchronize(stream_); e != cudaSuccess) {
    return Error{ErrorKind::Internal, std::string("host-staged barrier: ") + cudaGetErrorString(e)};
  }
  return host_.barrier();
}

}  // namespace folio::engine
