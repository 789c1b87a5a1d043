// The CUDA implementation of engine::Session (engine/model/session.h) on one device, or split over
// several by tensor parallelism (engine/parallel/: heads, expert hidden units and vocabulary rows in
// one part per device; one host thread per device drives its rank, and the ranks meet over NCCL, in
// one group per model and device list that the sessions on those devices share and take turns on,
// engine/cuda/nccl_groups.h).
// The weights are uploaded once per model, device and part (DeviceModel, kept in Model::deviceWeights()
// and shared by every session there), the state of each session in its own device memory
// (DeviceState, one per rank), the forward pass in CudaForward. Snapshots use the CPU's format for the
// whole model whatever the split, so a state saved here restores on the CPU backend, on another number
// of devices, and the other way round (the bf16 KV cache is widened to fp32 on save and rounded back
// on load, exactly what the device would have stored).
#pragma once

#include <memory>

#include "engine/common/result.h"
#include "engine/cuda/device_model.h"
#include "engine/model/session.h"

namespace folio::engine {

// options are validated and name existing devices, each at most once (Session::create checks). One
// device: the whole model there. Several: one tensor-parallel rank per device over NCCL (the model must
// split that many ways: checkTensorParallel).
Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model, const SessionOptions& options);

// The same over whole-model weights already on the device (several sessions on one upload).
Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model,
                                                   std::shared_ptr<const cuda::DeviceModel> weights,
                                                   const SessionOptions& options);

// How the ranks of a split session meet. HostStaged (engine/parallel/cuda/host_staged_comm.h) copies
// through host memory and allows a device to hold several ranks, so the split runs on one GPU.
enum class CudaCollectives { Nccl, HostStaged };

// Always the tensor-parallel path, one rank per entry of options.devices (one entry: a group of one,
// which still runs every collective), whatever their number; for checking the split against the whole
// model on machines with fewer GPUs than ranks. A listed device may repeat only with HostStaged.
Result<std::unique_ptr<Session>> createCudaTensorParallelSession(std::shared_ptr<const Model> model,
                                                                 const SessionOptions& options,
                                                                 CudaCollectives collectives);

}  // namespace folio::engine
