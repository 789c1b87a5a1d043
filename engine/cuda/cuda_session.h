// The CUDA implementation of engine::Session (engine/model/session.h) on one device: the model's
// weights uploaded once per model and device (DeviceModel, kept in Model::deviceWeights() and shared by
// every session there), the state of each session in its own device memory (DeviceState),
// the forward pass in CudaForward. Snapshots use the CPU's format, so a state saved here restores
// on the CPU backend and the other way round (the bf16 KV cache is widened to fp32 on save and
// rounded back on load, exactly what the device would have stored).
#pragma once

#include <memory>

#include "engine/common/result.h"
#include "engine/cuda/device_model.h"
#include "engine/model/session.h"

namespace folio::engine {

// options are validated and name at most one existing device (Session::create checks). The weights come
// from model->deviceWeights(): uploaded by the first session on that device, reused by the rest.
Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model, const SessionOptions& options);

// The same over weights already on the device (several sessions on one upload).
Result<std::unique_ptr<Session>> createCudaSession(std::shared_ptr<const Model> model,
                                                   std::shared_ptr<const cuda::DeviceModel> weights,
                                                   const SessionOptions& options);

}  // namespace folio::engine
