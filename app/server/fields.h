// Typed, range-checked reads of optional fields from a JSON request object. A missing field (or null)
// keeps the default; a field of the wrong type or out of range is a BadInput error whose message starts
// with the field's name ("max_output_tokens: must be an integer in [0, 1048576], got 2e9"). Fields the
// reader is not asked about are ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/common/result.h"

namespace folio::app::server {

// The field a BadInput message names (the text before the first ": "), or "" when none.
std::string fieldOfMessage(std::string_view message);

// Integer in [lo, hi]; a number with a fractional part is refused, 3.0 is accepted.
Result<std::optional<int64_t>> readInt(const nlohmann::json& obj, const char* field, int64_t lo, int64_t hi);
// Unsigned 64-bit integer (seeds).
Result<std::optional<uint64_t>> readUint64(const nlohmann::json& obj, const char* field);
// Finite number within [lo, hi], or (lo, hi] when lo_open.
Result<std::optional<double>> readNumber(const nlohmann::json& obj, const char* field, double lo, double hi,
                                         bool lo_open = false);
Result<std::optional<bool>> readBool(const nlohmann::json& obj, const char* field);
// String of at most max_bytes bytes.
Result<std::optional<std::string>> readString(const nlohmann::json& obj, const char* field, size_t max_bytes);
// A string or an array of strings (OpenAI "stop"): each non-empty and at most max_bytes; at most max_items.
Result<std::vector<std::string>> readStringList(const nlohmann::json& obj, const char* field, size_t max_items,
                                                size_t max_bytes);

}  // namespace folio::app::server
