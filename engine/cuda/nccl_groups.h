// The NCCL communicators of the CUDA backend's split sessions, one group per loaded model and device
// list, shared by every session split over those devices (serve, the GUI and the ask/summarize stages
// open a session per request or stage): a group is set up once (ncclCommInitAll takes a while and
// keeps buffers on every GPU), and the sessions take turns through `steps`, since collectives of
// several communicators interleaved on the same GPUs may wait on each other for good. Kept in the
// model's DeviceWeightsCache under the first listed device; a group aborted after a failure is
// replaced for the sessions opened after it.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/common/result.h"
#include "engine/parallel/cuda/nccl_comm.h"

namespace folio::engine::cuda {

struct NcclGroup {
  std::vector<std::unique_ptr<NcclComm>> comms;  // rank i on devices[i], each with its stream
  std::mutex steps;                              // held for a whole step of one session's ranks
  std::atomic<bool> aborted{false};              // a rank failed and the comms were aborted

  // Aborts every rank's communicator (a failed rank then releases the others); the group is not used again.
  void abort();
};

class NcclGroups {
 public:
  // The group over `devices` (distinct, existing), set up on first use and again after an abort.
  Result<std::shared_ptr<NcclGroup>> get(const std::vector<int>& devices) const;

 private:
  mutable std::mutex mu_;  // held while a group is set up: concurrent sessions wait for one
  mutable std::map<std::vector<int>, std::shared_ptr<NcclGroup>> groups_;
};

}  // namespace folio::engine::cuda
