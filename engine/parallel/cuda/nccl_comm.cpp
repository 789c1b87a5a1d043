#include "engine/parallel/cuda/nccl_comm.h"

#include <string>

namespace folio::engine {

namespace {

Error cudaFailure(const std::string& what, cudaError_t e) {
  return Error{ErrorKind::Internal, what + ": " + cudaGetErrorString(e)};
}

Error ncclFailure(const std::string& what, ncclResult_t r) {
  return Error{ErrorKind::Internal, what + ": " + ncclGetErrorString(r)};
}

std::string onDevice(int rank, int size, int device) {
  return "rank " + std::to_string(rank) + " of " + std::to_string(size) + " on CUDA device " + std::to_string(device);
}

}  // namespace

Result<ncclUniqueId> NcclComm::newGroupId() {
  ncclUniqueId id;
  if (const ncclResult_t r = ncclGetUniqueId(&id); r != ncclSuccess) return ncclFailure("ncclGetUniqueId", r);
  return id;
}

Result<std::unique_ptr<NcclComm>> NcclComm::wrap(ncclComm_t comm, int rank, int size, int device) {
  const std::string where = onDevice(rank, size, device);
  cudaStream_t stream = nullptr;
  float* token = nullptr;
  cudaError_t e = cudaSetDevice(device);
  if (e == cudaSuccess) e = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  if (e == cudaSuccess) e = cudaMalloc(&token, sizeof(float));
  if (e == cudaSuccess) e = cudaMemset(token, 0, sizeof(float));
  if (e != cudaSuccess) {
    if (token) cudaFree(token);
    if (stream) cudaStreamDestroy(stream);
    ncclCommDestroy(comm);
    return cudaFailure("NCCL communicator " + where + ": stream and barrier buffer", e);
  }
  return std::unique_ptr<NcclComm>(new NcclComm(comm, rank, size, device, stream, token));
}

Result<std::unique_ptr<NcclComm>> NcclComm::create(const ncclUniqueId& id, int rank, int size, int device) {
  if (size < 1 || rank < 0 || rank >= size) {
    return badInput("NCCL communicator: rank " + std::to_string(rank) + " is outside a group of " +
                    std::to_string(size));
  }
  const std::string where = onDevice(rank, size, device);
  if (const cudaError_t e = cudaSetDevice(device); e != cudaSuccess) return cudaFailure("NCCL " + where, e);
  ncclComm_t comm = nullptr;
  if (const ncclResult_t r = ncclCommInitRank(&comm, size, id, rank); r != ncclSuccess) {
    return ncclFailure("ncclCommInitRank for " + where, r);
  }
  return wrap(comm, rank, size, device);
}

Result<std::vector<std::unique_ptr<NcclComm>>> NcclComm::createLocalGroup(const std::vector<int>& devices) {
  if (devices.empty()) return badInput("NCCL group: no devices listed");
  const int n = static_cast<int>(devices.size());
  int count = 0;
  if (const cudaError_t e = cudaGetDeviceCount(&count); e != cudaSuccess) return cudaFailure("NCCL group", e);
  for (int d : devices) {
    if (d < 0 || d >= count) {
      return badInput("NCCL group: CUDA device " + std::to_string(d) + " does not exist (" + std::to_string(count) +
                      " found)");
    }
  }
  std::vector<ncclComm_t> comms(devices.size(), nullptr);
  if (const ncclResult_t r = ncclCommInitAll(comms.data(), n, devices.data()); r != ncclSuccess) {
    return ncclFailure("ncclCommInitAll over " + std::to_string(n) + " devices", r);
  }
  std::vector<std::unique_ptr<NcclComm>> out;
  for (int i = 0; i < n; ++i) {
    auto c = wrap(comms[static_cast<size_t>(i)], i, n, devices[static_cast<size_t>(i)]);
    if (!c.ok()) {
      for (int j = i + 1; j < n; ++j) ncclCommDestroy(comms[static_cast<size_t>(j)]);
      return c.error();
    }
    out.push_back(std::move(c.value()));
  }
  return out;
}

NcclComm::~NcclComm() {
  cudaSetDevice(device_);
  {
    std::lock_guard<std::mutex> lock(abort_mu_);
    if (!aborted_.load()) {
      cudaStreamSynchronize(stream_);
      ncclCommDestroy(comm_);
    }
  }
  cudaFree(token_);
  cudaStreamDestroy(stream_);
}

Error NcclComm::failure(const char* what, ncclResult_t r) const {
  std::string detail = ncclGetErrorString(r);
  if (const char* last = ncclGetLastError(comm_); last && *last) detail += " (" + std::string(last) + ")";
  return Error{ErrorKind::Internal,
               std::string("NCCL ") + what + " on " + onDevice(rank_, size_, device_) + " failed: " + detail};
}

Error NcclComm::abortedError(const char* what) const {
  return Error{ErrorKind::Internal, std::string("NCCL ") + what + " on " + onDevice(rank_, size_, device_) +
                                        ": the group was aborted after a rank failed"};
}

void NcclComm::abort() {
  std::lock_guard<std::mutex> lock(abort_mu_);
  if (aborted_.exchange(true)) return;
  ncclCommAbort(comm_);
}

Status NcclComm::allReduceSum(float* data, int64_t n) {
  if (aborted_.load()) return abortedError("allReduceSum");
  if (n < 0) return badInput("NCCL allReduceSum: negative count " + std::to_string(n));
  if (const cudaError_t e = cudaSetDevice(device_); e != cudaSuccess) return cudaFailure("NCCL allReduceSum", e);
  const ncclResult_t r =
      ncclAllReduce(data, data, static_cast<size_t>(n), ncclFloat32, ncclSum, comm_, stream_);
  if (r != ncclSuccess) return failure("allReduceSum", r);
  return {};
}

Status NcclComm::allGather(const float* send, int64_t n, float* recv) {
  if (aborted_.load()) return abortedError("allGather");
  if (n < 0) return badInput("NCCL allGather: negative count " + std::to_string(n));
  if (const cudaError_t e = cudaSetDevice(device_); e != cudaSuccess) return cudaFailure("NCCL allGather", e);
  const ncclResult_t r = ncclAllGather(send, recv, static_cast<size_t>(n), ncclFloat32, comm_, stream_);
  if (r != ncclSuccess) return failure("allGather", r);
  return {};
}

Status NcclComm::barrier() {
  // NCCL has no barrier: a one-element all-reduce completes only when every rank has issued it.
  FOLIO_TRY(allReduceSum(token_, 1));
  if (const cudaError_t e = cudaStreamSynchronize(stream_); e != cudaSuccess) {
    return cudaFailure("NCCL barrier on " + onDevice(rank_, size_, device_), e);
  }
  ncclResult_t async = ncclSuccess;
  if (ncclCommGetAsyncError(comm_, &async) == ncclSuccess && async != ncclSuccess) return failure("barrier", async);
  return {};
}

}  // namespace folio::engine
