#include "engine/model/cuda_plugin.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "engine/model_config.h"

namespace folio::engine {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPluginFile = "libfolio_cuda.so";

std::vector<fs::path> candidates() {
  std::vector<fs::path> paths;
  if (const char* env = std::getenv("FOLIO_CUDA_PLUGIN"); env && *env) paths.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    paths.push_back(exe.parent_path() / kPluginFile);
    paths.push_back(exe.parent_path() / ".." / "lib" / "folio" / kPluginFile);
  }
#if defined(FOLIO_CUDA_PLUGIN_BUILD_PATH)
  paths.emplace_back(FOLIO_CUDA_PLUGIN_BUILD_PATH);
#endif
  return paths;
}

Result<LoadedCudaPlugin> load() {
  std::string looked;
  for (const fs::path& path : candidates()) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      looked += (looked.empty() ? "" : ", ") + path.string();
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      return Error{ErrorKind::Unsupported, "its plugin " + path.string() + " could not be loaded: " +
                                               (why ? why : "unknown reason") +
                                               " (the CUDA runtime, cuBLAS and NCCL must be installed)"};
    }
    using Entry = const CudaPluginApi* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, kCudaPluginEntry));
    const CudaPluginApi* api = entry ? entry() : nullptr;
    if (!api || api->abi != kCudaPluginAbi || std::strcmp(api->version, FOLIO_ENGINE_VERSION) != 0 ||
        api->session_options_size != sizeof(SessionOptions) || api->model_config_size != sizeof(ModelConfig)) {
      dlclose(handle);
      return Error{ErrorKind::Unsupported, "its plugin " + path.string() + " comes from another build of Folio (" +
                                               (api ? std::string("version ") + api->version : "no entry point") +
                                               ", this is " + FOLIO_ENGINE_VERSION + ")"};
    }
    return LoadedCudaPlugin{api, path.string()};  // kept loaded: sessions made by it may live until exit
  }
  return Error{ErrorKind::Unsupported, std::string("its plugin ") + kPluginFile + " was not found (looked in " +
                                           looked + ")"};
}

}  // namespace

Result<LoadedCudaPlugin> loadCudaPlugin() {
  // one load per process: a dlopen'ed library is process-wide state whatever holds its handle
  static std::once_flag once;
  static Result<LoadedCudaPlugin> loaded = Error{ErrorKind::Internal, "not loaded"};
  std::call_once(once, [] { loaded = load(); });
  return loaded;
}

CudaBackendInfo describeCudaBackend() {
  CudaBackendInfo info;
#if defined(FOLIO_HAVE_CUDA)
  info.built = true;
  auto loaded = loadCudaPlugin();
  if (!loaded.ok()) {
    info.unavailable = loaded.error().message;
    return info;
  }
  info.plugin = loaded.value().path;
  const CudaPluginApi& api = *loaded.value().api;
  for (int d = 0, n = api.device_count(); d < n; ++d) info.devices.push_back(api.device_description(d));
  if (info.devices.empty()) info.unavailable = "no CUDA device is available (no driver or no GPU)";
#else
  info.unavailable = "this build of Folio has no CUDA support (configure with FOLIO_CUDA=ON and the CUDA toolkit)";
#endif
  return info;
}

}  // namespace folio::engine
