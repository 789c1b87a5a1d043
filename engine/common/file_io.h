// Whole-file reads with errors that name the file, and durable writes (temporary file + fsync + rename).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio {

// Reads a regular file into memory, refusing files larger than `max_bytes`.
Result<std::string> readFile(const std::filesystem::path& path, size_t max_bytes = size_t{1} << 30);

// Writes `bytes` to `path` so that a crash leaves either the old file or the complete new one:
// write to a temporary file in the same directory, fsync it, rename over `path`, fsync the directory.
Status writeFileAtomic(const std::filesystem::path& path, std::string_view bytes);

}  // namespace folio
