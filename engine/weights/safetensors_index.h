// model.safetensors.index.json of a sharded checkpoint: which shard file holds each tensor, and the
// total byte size of all tensors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::engine {

inline constexpr const char* kSafetensorsIndexName = "model.safetensors.index.json";
inline constexpr const char* kSingleSafetensorsName = "model.safetensors";

struct SafetensorsIndex {
  std::map<std::string, std::string> weight_map;  // tensor name → shard file name
  std::optional<uint64_t> total_size;             // metadata.total_size: the sum of tensor byte sizes

  // The distinct shard file names, sorted.
  std::vector<std::string> shards() const;
};

// Parses the index text. Shard names must be plain file names inside the model directory (no '/', no
// "..") so an index cannot point the loader at other files.
Result<SafetensorsIndex> parseSafetensorsIndex(std::string_view json_text, const std::string& source);
// Reads <dir>/model.safetensors.index.json.
Result<SafetensorsIndex> loadSafetensorsIndex(const std::filesystem::path& model_dir);

}  // namespace folio::engine
