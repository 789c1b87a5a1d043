// The entry point of libfolio_cuda.so (engine/model/cuda_plugin.h): the only symbol the plugin exports.
#include "engine/cuda/cuda_session.h"
#include "engine/model/cuda_plugin.h"
#include "engine/model_config.h"
#include "kernels/cuda/device.h"

namespace {

using folio::Result;
using folio::engine::Model;
using folio::engine::Session;
using folio::engine::SessionOptions;

int deviceCount() { return folio::kernels::cuda::deviceCount(); }
std::string deviceDescription(int device) { return folio::kernels::cuda::deviceDescription(device); }

Result<std::unique_ptr<Session>> createSession(std::shared_ptr<const Model> model, const SessionOptions& options) {
  return folio::engine::createCudaSession(std::move(model), options);
}

const folio::engine::CudaPluginApi kApi{folio::engine::kCudaPluginAbi,
                                        FOLIO_ENGINE_VERSION,
                                        sizeof(SessionOptions),
                                        sizeof(folio::engine::ModelConfig),
                                        &deviceCount,
                                        &deviceDescription,
                                        &createSession};

}  // namespace

extern "C" __attribute__((visibility("default"))) const folio::engine::CudaPluginApi* folio_cuda_plugin_v1() {
  return &kApi;
}
