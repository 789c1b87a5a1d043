// `folio plan --gpus N --gpu-memory G`: the tensor-parallel placement on N GPUs as text and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "engine/parallel/gpu_placement.h"

namespace folio::cli {

void printPlacement(const engine::GpuPlacement& placement, std::ostream& out);
nlohmann::json placementJson(const engine::GpuPlacement& placement);

}  // namespace folio::cli
