#include "app/cli/backend_args.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/cli/exit_codes.h"

#include "app/pipeline/model_runtime.h"

namespace folio::cli {

void addBackendOptions(CLI::App* cmd, BackendArgs* args) {
  cmd->add_option("--backend", args->backend, "Where the model runs: cpu, cuda, or auto (CUDA when a GPU is present)")
      ->capture_default_str();
  cmd->add_option("--devices", args->devices, "CUDA devices for --backend cuda/auto, comma-separated (default: 0); several split the model over them "
                  "(tensor parallel)");
  cmd->add_flag("--experts-int8", args->experts_int8,
                "Quantise the routed experts to int8 at load (per output channel; about half the expert memory "
                "traffic of bf16, a small error: see docs/perf.md)");
}

engine::ModelLoadOptions loadOptions(const BackendArgs& args) {
  engine::ModelLoadOptions o;
  o.experts_int8 = args.experts_int8;
  return o;
}

Result<BackendChoice> parseBackendArgs(const BackendArgs& args) {
  BackendChoice choice;
  auto backend = engine::parseBackend(args.backend);
  if (!backend.ok()) return badInput("--" + backend.error().message);
  choice.backend = backend.value();
  if (!args.devices.empty()) {
    auto devices = engine::parseDeviceList(args.devices);
    if (!devices.ok()) return badInput("--" + devices.error().message);
    choice.devices = std::move(devices.value());
  }
  return choice;
}

Status applyBackendArgs(const BackendArgs& args, app::ModelRuntime& runtime) {
  auto choice = parseBackendArgs(args);
  if (!choice) return choice.error();
  runtime.backend = choice->backend;
  runtime.devices = std::move(choice->devices);
  return {};
}

int loadRuntimeReporting(const std::string& model_dir, const BackendArgs& args, const char* me,
                         std::optional<app::ModelRuntime>& runtime) {
  if (model_dir.empty()) return kExitOk;
  auto loaded = app::loadModelRuntime(model_dir, loadOptions(args));
  if (!loaded) {
    std::cerr << me << loaded.error().message << "\n";
    return exitCodeFor(loaded.error());
  }
  if (auto applied = applyBackendArgs(args, *loaded); !applied) {
    std::cerr << me << applied.error().message << "\n";
    return kExitUsage;
  }
  runtime = std::move(*loaded);
  return kExitOk;
}

}  // namespace folio::cli
