// The session implementations behind Session::create (engine/model/session_create.cpp), which has
// already validated the options. The CUDA one is declared in engine/cuda/cuda_session.h.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "engine/common/result.h"
#include "engine/model/session.h"

namespace folio::engine {

Result<std::unique_ptr<Session>> createCpuSession(std::shared_ptr<const Model> model, const SessionOptions& options);

// Every backend's check of new ids: each within [0, vocab) and room for them after `position`.
Status checkNewIds(std::span<const int32_t> ids, int32_t vocab, int64_t position, int64_t capacity);

// τ as the sessions apply it: larger values are the exact model (1), non-positive ones keep a single expert.
double clampExpertThreshold(double tau);

}  // namespace folio::engine
