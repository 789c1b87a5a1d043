#include "engine/weights/safetensors_index.h"

#include <nlohmann/json.hpp>
#include <set>

#include "engine/common/file_io.h"

namespace folio::engine {

namespace {
bool isPlainFileName(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos &&
         s.find('\0') == std::string::npos;
}
}  // namespace

std::vector<std::string> SafetensorsIndex::shards() const {
  std::set<std::string> s;
  for (const auto& [name, shard] : weight_map) s.insert(shard);
  return {s.begin(), s.end()};
}

Result<SafetensorsIndex> parseSafetensorsIndex(std::string_view json_text, const std::string& source) {
  using nlohmann::json;
  const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return badInput(source + ": not valid JSON");
  if (!doc.is_object()) return badInput(source + ": expected a JSON object at the top level");

  SafetensorsIndex index;
  const auto wm = doc.find("weight_map");
  if (wm == doc.end() || !wm->is_object()) return badInput(source + ": field 'weight_map': missing or not an object");
  for (const auto& [name, shard] : wm->items()) {
    if (!shard.is_string() || !isPlainFileName(shard.get<std::string>())) {
      return badInput(source + ": field 'weight_map': tensor '" + name + "' maps to " + shard.dump().substr(0, 100) +
                      ", expected a file name in the model directory");
    }
    index.weight_map[name] = shard.get<std::string>();
  }
  if (index.weight_map.empty()) return badInput(source + ": field 'weight_map' is empty");

  const auto md = doc.find("metadata");
  if (md != doc.end() && !md->is_null()) {
    if (!md->is_object()) return badInput(source + ": field 'metadata' is not an object");
    const auto ts = md->find("total_size");
    if (ts != md->end() && !ts->is_null()) {
      if (!ts->is_number_unsigned()) {
        return badInput(source + ": field 'metadata.total_size' is " + ts->dump().substr(0, 40) +
                        ", expected a non-negative integer");
      }
      index.total_size = ts->get<uint64_t>();
    }
  }
  return index;
}

Result<SafetensorsIndex> loadSafetensorsIndex(const std::filesystem::path& model_dir) {
  const std::filesystem::path path = model_dir / kSafetensorsIndexName;
  auto text = readFile(path, size_t{256} << 20);
  if (!text.ok()) return text.error();
  return parseSafetensorsIndex(*text, path.string());
}

}  // namespace folio::engine
