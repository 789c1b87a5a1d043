// Writes NumPy .npy files (format version 1.0, little-endian float32, C order), e.g. the logits of
// `folio generate --dump-logits FILE`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/common/result.h"

namespace folio {

// The bytes of a .npy file holding float32 `data` with shape [rows, cols] (row-major).
std::string encodeNpyF32(const float* data, int64_t rows, int64_t cols);

// Writes it durably (temporary file + rename) to `path`.
Status writeNpyF32(const std::filesystem::path& path, const float* data, int64_t rows, int64_t cols);

}  // namespace folio
