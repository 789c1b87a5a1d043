// --backend cpu|cuda|auto, --devices 0,1 and --experts-int8 for the commands that run the model
// (generate, ask, summarize, serve): one definition of the options and of their translation into
// engine::SessionOptions and engine::ModelLoadOptions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model/model.h"
#include "engine/model/session.h"

namespace CLI {
class App;
}
namespace folio::app {
struct ModelRuntime;
}

namespace folio::cli {

struct BackendArgs {
  std::string backend = "cpu";
  std::string devices;        // "" = device 0
  bool experts_int8 = false;  // quantise the routed experts at load
};

// How the model is loaded (--experts-int8).
engine::ModelLoadOptions loadOptions(const BackendArgs& args);

void addBackendOptions(CLI::App* cmd, BackendArgs* args);

struct BackendChoice {
  engine::Backend backend = engine::Backend::Cpu;
  std::vector<int> devices;
};

// The parsed choice, or a message naming the option ("--backend: ...", "--devices: ...").
Result<BackendChoice> parseBackendArgs(const BackendArgs& args);

// Parses the options into a loaded runtime's backend and devices (ask, summarize); the error names the option.
Status applyBackendArgs(const BackendArgs& args, app::ModelRuntime& runtime);

// Loads `model_dir` (nothing when it is empty) with the options applied into `runtime` (ask, summarize,
// review). On failure says "<me><why>" on stderr and returns the exit code (a bad backend option is a
// usage error); 0 when loaded or when no model was asked for.
int loadRuntimeReporting(const std::string& model_dir, const BackendArgs& args, const char* me,
                         std::optional<app::ModelRuntime>& runtime);

}  // namespace folio::cli
