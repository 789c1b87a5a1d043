// The session implementations behind Session::create (engine/model/session_create.cpp), which has
// already validated the options. The CUDA one is declared in engine/cuda/cuda_session.h.
#pragma once

#include <memory>

#include "engine/common/result.h"
#include "engine/model/session.h"

namespace folio::engine {

Result<std::unique_ptr<Session>> createCpuSession(std::shared_ptr<const Model> model, const SessionOptions& options);

}  // namespace folio::engine
