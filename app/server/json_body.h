// Request bodies as untrusted bytes: a size limit, a nesting-depth limit checked by a pre-scan before
// any tree is built, then nlohmann-json parsing with the byte offset of the first error.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/common/result.h"

namespace folio::app::server {

inline constexpr size_t kMaxBodyBytes = size_t{4} << 20;  // 4 MiB; larger bodies get 413
inline constexpr int kMaxJsonDepth = 32;                   // arrays + objects nested

// The deepest nesting of arrays and objects in `text`, scanning outside strings (escapes honoured);
// stops early and returns a value > max_depth as soon as that depth is passed.
int jsonNestingDepth(std::string_view text, int max_depth);

// Parses a request body that must be one JSON object. BadInput errors say what is wrong: empty body,
// too deep, not JSON (with the byte offset), or not an object.
Result<nlohmann::json> parseJsonObject(std::string_view body, int max_depth = kMaxJsonDepth);

}  // namespace folio::app::server
