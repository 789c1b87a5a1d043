// The CUDA backend as a plugin: engine/cuda/ (with kernels/cuda/, cuBLAS and NCCL) is built into
// libfolio_cuda.so, which Session::create loads on the first CUDA or Auto request. The `folio`
// executable itself links no CUDA library, so a build with CUDA starts on a machine without the CUDA
// runtime (a package installed without NVIDIA's libraries, a laptop without a GPU); there a CUDA
// request fails naming what the loader said and Auto runs on the CPU.
// The plugin is looked for, in order, at $FOLIO_CUDA_PLUGIN, beside the executable, in
// <executable dir>/../lib/folio/ (the installed layout) and where this build tree put it. It is loaded
// once per process and never unloaded (its sessions may live until exit).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model/session.h"

namespace folio::engine {

// What the plugin hands over. The C++ types cross the boundary as they are, so the plugin must come
// from the same build: the ABI number, the version and the sizes below are checked before any use.
struct CudaPluginApi {
  int abi;
  const char* version;  // the Folio version it was built from
  size_t session_options_size;
  size_t model_config_size;
  int (*device_count)();  // CUDA devices usable here (0 without a driver or a GPU)
  std::string (*device_description)(int device);  // "NVIDIA H100 80GB HBM3, sm_90, 79.1 GiB"
  // createCudaSession (engine/cuda/cuda_session.h): options validated, devices existing.
  Result<std::unique_ptr<Session>> (*create_session)(std::shared_ptr<const Model> model,
                                                     const SessionOptions& options);
};

inline constexpr int kCudaPluginAbi = 1;
inline constexpr const char* kCudaPluginEntry = "folio_cuda_plugin_v1";  // extern "C" const CudaPluginApi* ()

struct LoadedCudaPlugin {
  const CudaPluginApi* api = nullptr;
  std::string path;  // the file it was loaded from
};

// The loaded plugin, or why there is none ("… was not found (looked in …)", the loader's message for a
// missing CUDA library, a plugin from another build). The first call loads; later calls return the
// same answer.
Result<LoadedCudaPlugin> loadCudaPlugin();

// What `folio devices` reports about the CUDA backend: whether this build has one, where its plugin
// was loaded from, its devices, or why it cannot run here (loads the plugin).
struct CudaBackendInfo {
  bool built = false;
  std::string plugin;                // loaded from
  std::vector<std::string> devices;  // deviceDescription of each
  std::string unavailable;           // why CUDA cannot run here; empty when it can
};
CudaBackendInfo describeCudaBackend();

}  // namespace folio::engine
