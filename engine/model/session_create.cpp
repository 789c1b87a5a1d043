// Session::create: validates the options and picks the backend. CUDA exists only in builds with the
// toolkit (FOLIO_HAVE_CUDA), as a plugin loaded on first use (cuda_plugin.h); a CUDA request without
// it, without its libraries, or without a device, fails clearly, and Auto runs on the CPU.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/model/decode_batcher.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/model/session_backends.h"

#include "engine/model/cuda_plugin.h"

namespace folio::engine {

Result<Backend> parseBackend(const std::string& name) {
  if (name == "cpu") return Backend::Cpu;
  if (name == "cuda") return Backend::Cuda;
  if (name == "auto") return Backend::Auto;
  return badInput("backend: expected cpu, cuda or auto, got '" + name + "'");
}

const char* backendName(Backend backend) {
  switch (backend) {
    case Backend::Cpu: return "cpu";
    case Backend::Cuda: return "cuda";
    case Backend::Auto: return "auto";
  }
  return "?";
}

Result<std::vector<int>> parseDeviceList(const std::string& list) {
  std::vector<int> devices;
  size_t begin = 0;
  while (begin <= list.size()) {
    const size_t end = std::min(list.find(',', begin), list.size());
    const std::string item = list.substr(begin, end - begin);
    int value = -1;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || value < 0) {
      return badInput("devices: '" + item + "' in '" + list + "' is not a device number (expected e.g. 0,1)");
    }
    for (int d : devices) {
      if (d == value) return badInput("devices: device " + item + " is listed twice in '" + list + "'");
    }
    devices.push_back(value);
    begin = end + 1;
  }
  return devices;
}

Status checkNewIds(std::span<const int32_t> ids, int32_t vocab, int64_t position, int64_t capacity) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= vocab) {
      return badInput("token id " + std::to_string(ids[i]) + " at index " + std::to_string(i) +
                      " is outside the vocabulary [0, " + std::to_string(vocab) + ")");
    }
  }
  if (position + static_cast<int64_t>(ids.size()) > capacity) {
    return badInput("context capacity exceeded: " + std::to_string(position) + " tokens + " +
                    std::to_string(ids.size()) + " new > " + std::to_string(capacity));
  }
  return {};
}

int64_t prefillChunkFor(const SessionOptions& options, Backend backend) {
  const int64_t chunk = options.prefill_chunk > 0 ? options.prefill_chunk
                        : backend == Backend::Cuda ? kCudaPrefillChunk
                                                   : kCpuPrefillChunk;
  return std::clamp<int64_t>(chunk, 1, std::max<int64_t>(options.context_capacity, 1));
}

double clampExpertThreshold(double tau) { return std::isnan(tau) || tau <= 0 ? 1e-12 : std::min(tau, 1.0); }

namespace {

Status validate(const SessionOptions& options) {
  if (options.context_capacity < 1) {
    return badInput("session: context_capacity must be at least 1 (got " + std::to_string(options.context_capacity) + ")");
  }
  if (options.prefill_chunk < 0) {
    return badInput("session: prefill_chunk must be at least 1, or 0 for the backend's default (got " +
                    std::to_string(options.prefill_chunk) + ")");
  }
  if (!(options.expert_threshold > 0.0 && options.expert_threshold <= 1.0)) {
    return badInput("session: expert_threshold must be in (0, 1] (got " + std::to_string(options.expert_threshold) +
                    ")");
  }
  if (options.threads < 0) return badInput("session: threads must be >= 0");
  if (options.tensor_parallel < 1) {
    return badInput("session: tensor_parallel must be at least 1 (got " + std::to_string(options.tensor_parallel) + ")");
  }
  if (options.tensor_parallel > 1 && options.backend == Backend::Cuda) {
    return badInput("session: tensor_parallel splits the CPU backend; the CUDA backend splits over its devices");
  }
  for (int d : options.devices) {
    if (d < 0) return badInput("session: device numbers must be >= 0 (got " + std::to_string(d) + ")");
  }
  return {};
}

Error cudaUnavailable(const std::string& reason) {
  return Error{ErrorKind::Unsupported, "CUDA backend requested but " + reason};
}

// Why CUDA cannot run here (empty when it can); no_device: Auto may fall back to the CPU, since the
// machine has no CUDA at all (a wrong device list stays an error).
struct CudaCheck {
  std::string reason;
  bool no_device = false;
};

CudaCheck checkCuda(const SessionOptions& options, const CudaPluginApi** plugin) {
#if defined(FOLIO_HAVE_CUDA)
  auto loaded = loadCudaPlugin();
  if (!loaded.ok()) return {loaded.error().message, true};
  *plugin = loaded.value().api;
  const int count = (*plugin)->device_count();
  if (count == 0) return {"no CUDA device is available (no driver or no GPU)", true};
  for (int d : options.devices) {
    if (d >= count) {
      return {"device " + std::to_string(d) + " does not exist (" + std::to_string(count) + " device" +
              (count == 1 ? "" : "s") + " found)"};
    }
  }
  return {};
#else
  (void)options;
  (void)plugin;
  return {"this build of Folio has no CUDA support (configure with FOLIO_CUDA=ON and the CUDA toolkit)", true};
#endif
}

}  // namespace

Result<std::unique_ptr<Session>> Session::create(std::shared_ptr<const Model> model, const SessionOptions& options) {
  if (!model) return badInput("session: no model");
  FOLIO_TRY(validate(options));
  if (options.decode_batcher && &options.decode_batcher->model() != model.get()) {
    return badInput("session: the decode batcher runs another model than this session's");
  }
  if (options.backend == Backend::Cpu) return createCpuSession(std::move(model), options);
  const CudaPluginApi* plugin = nullptr;
  const CudaCheck cuda = checkCuda(options, &plugin);
  if (!cuda.reason.empty()) {
    if (options.backend == Backend::Auto && cuda.no_device) return createCpuSession(std::move(model), options);
    return cudaUnavailable(cuda.reason);
  }
  return plugin->create_session(std::move(model), options);
}

}  // namespace folio::engine
