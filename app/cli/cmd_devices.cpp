// `folio devices [--json]`: where the model can run here. The CPU (hardware threads, the SIMD level the
// kernels dispatch to) and the CUDA backend: its plugin and devices, or why it cannot run (no CUDA in
// this build, the plugin or its CUDA libraries missing, no GPU). Always exits 0: it reports, it does
// not require.
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "engine/model/cuda_plugin.h"
#include "kernels/cpu/cpu_features.h"
#include "kernels/cpu/kernel_level.h"

namespace folio::cli {

namespace {

// What the CPU kernels run (kernels/cpu/kernel_level.h: "AVX-512F", "AVX2 + FMA + F16C" or the plain
// references), and what else the CPU has that they do not use.
std::string simdLevel() {
  const kernels::CpuFeatures& f = kernels::cpuFeatures();
  std::string level;
  switch (kernels::kernelLevel()) {
    case kernels::KernelLevel::Avx512: level = "AVX-512F (16-lane products)"; break;
    case kernels::KernelLevel::Avx2: level = "AVX2 + FMA + F16C"; break;
    case kernels::KernelLevel::Reference: level = "none (plain reference kernels)"; break;
  }
  std::string unused;
  if (kernels::kernelLevel() == kernels::KernelLevel::Reference && kernels::hasAvx2Fma()) unused += ", AVX2";
  if (kernels::kernelLevel() != kernels::KernelLevel::Avx512 && f.avx512f) unused += ", AVX-512F";
  if (f.avx512bf16) unused += ", AVX-512 BF16";
  if (f.amx_bf16) unused += ", AMX-BF16";
  if (!unused.empty()) level += "; the CPU also has " + unused.substr(2);
  return level;
}

void printDevices(bool as_json) {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const engine::CudaBackendInfo cuda = engine::describeCudaBackend();
  if (as_json) {
    nlohmann::json j{{"cpu", {{"threads", threads}, {"simd", simdLevel()}}},
                     {"cuda",
                      {{"built", cuda.built},
                       {"available", cuda.unavailable.empty()},
                       {"plugin", cuda.plugin},
                       {"devices", cuda.devices},
                       {"reason", cuda.unavailable}}}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "cpu: " << threads << " hardware threads, kernels: " << simdLevel() << "\n";
  if (!cuda.plugin.empty()) std::cout << "cuda: plugin " << cuda.plugin << "\n";
  if (!cuda.unavailable.empty()) {
    std::cout << "cuda: not available: " << cuda.unavailable << "\n";
    return;
  }
  std::cout << "cuda: " << cuda.devices.size() << " device" << (cuda.devices.size() == 1 ? "" : "s")
            << " (--backend cuda --devices 0" << (cuda.devices.size() > 1 ? ",1,…" : "") << ")\n";
  for (size_t d = 0; d < cuda.devices.size(); ++d) std::cout << "  " << d << ": " << cuda.devices[d] << "\n";
}

}  // namespace

void addDevicesCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("devices", "Show where the model can run here: the CPU and the CUDA devices");
  auto as_json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *as_json, "One JSON object instead of text");
  cmd->callback([&ctx, as_json] {
    printDevices(*as_json);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace folio::cli
