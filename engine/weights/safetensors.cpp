// Validation follows the rules of the reference safetensors implementation: every check happens before
// any tensor byte is touched, and every failure names the file, the tensor and the offending value.
#include "engine/weights/safetensors.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace folio::engine {

namespace {

using nlohmann::json;

std::string nameText(std::string_view name) {
  // Tensor names come from the file: keep messages short even for absurd names.
  constexpr size_t kMax = 200;
  std::string s(name.substr(0, kMax));
  if (name.size() > kMax) s += "…";
  return "'" + s + "'";
}

std::string offsetsText(uint64_t begin, uint64_t end) {
  std::string s = "[";  // built by appending: gcc 12 warns falsely (-Wrestrict) on "[" + to_string(...)
  s += std::to_string(begin);
  s += ", ";
  s += std::to_string(end);
  s += "]";
  return s;
}

uint64_t readLe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// A non-negative JSON integer that fits int64.
bool asIndex(const json& v, uint64_t* out) {
  if (!v.is_number_unsigned()) {
    if (!v.is_number_integer() || v.get<int64_t>() < 0) return false;
  }
  const uint64_t u = v.get<uint64_t>();
  if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
  *out = u;
  return true;
}

// One tensor entry: dtype, shape, data_offsets and the size rule.
Result<SafetensorsEntry> parseEntry(const std::string& name, const json& v, uint64_t data_bytes,
                                    const std::string& where) {
  if (!v.is_object()) return badInput(where + ": expected an object, got " + v.type_name());
  SafetensorsEntry e;
  e.name = name;

  const auto dt = v.find("dtype");
  if (dt == v.end() || !dt->is_string()) return badInput(where + ": missing or non-string 'dtype'");
  if (!safetensorsDType(dt->get_ref<const std::string&>(), &e.dtype)) {
    return badInput(where + ": unsupported dtype " + nameText(dt->get_ref<const std::string&>()) +
                    " (supported: F32, F16, BF16)");
  }

  const auto sh = v.find("shape");
  if (sh == v.end() || !sh->is_array()) return badInput(where + ": missing or non-array 'shape'");
  // numel() of the TensorView multiplies every dim in int64: the product of the non-zero dims must fit.
  uint64_t numel = 1, nonzero_product = 1;
  for (size_t i = 0; i < sh->size(); ++i) {
    uint64_t d = 0;
    if (!asIndex((*sh)[i], &d)) {
      return badInput(where + ": shape[" + std::to_string(i) + "] is " + (*sh)[i].dump().substr(0, 40) +
                      ", expected a non-negative integer");
    }
    if (d != 0) {
      if (nonzero_product > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / d) {
        return badInput(where + ": shape " + sh->dump().substr(0, 120) + " overflows the element count");
      }
      nonzero_product *= d;
    }
    numel = d == 0 ? 0 : numel * d;
    e.shape.push_back(static_cast<int64_t>(d));
  }
  const uint64_t elem = kernels::dtypeSize(e.dtype);
  if (numel > std::numeric_limits<uint64_t>::max() / elem) {
    return badInput(where + ": shape " + sh->dump().substr(0, 120) + " overflows the byte size");
  }
  const uint64_t nbytes = numel * elem;

  const auto off = v.find("data_offsets");
  if (off == v.end() || !off->is_array() || off->size() != 2 || !asIndex((*off)[0], &e.begin) ||
      !asIndex((*off)[1], &e.end)) {
    return badInput(where + ": 'data_offsets' must be two non-negative integers [begin, end]");
  }
  if (e.end < e.begin) return badInput(where + ": data_offsets " + offsetsText(e.begin, e.end) + " end before begin");
  if (e.end > data_bytes) {
    return badInput(where + ": data_offsets " + offsetsText(e.begin, e.end) + " run past the data section of " +
                    std::to_string(data_bytes) + " bytes");
  }
  if (e.end - e.begin != nbytes) {
    return badInput(where + ": size mismatch: data_offsets " + offsetsText(e.begin, e.end) + " hold " +
                    std::to_string(e.end - e.begin) + " bytes but shape " + sh->dump().substr(0, 120) + " × " +
                    std::string(kernels::dtypeName(e.dtype)) + " needs " + std::to_string(nbytes));
  }
  return e;
}

Result<std::map<std::string, std::string>> parseMetadata(const json& v, const std::string& source) {
  if (!v.is_object()) return badInput(source + ": '__metadata__' must be an object of strings");
  std::map<std::string, std::string> out;
  for (const auto& [k, val] : v.items()) {
    if (!val.is_string()) return badInput(source + ": '__metadata__' value of " + nameText(k) + " is not a string");
    out[k] = val.get<std::string>();
  }
  return out;
}

// Sorted by begin, the tensors must tile [0, data_bytes) exactly.
Status checkTiling(const std::vector<SafetensorsEntry>& sorted, uint64_t data_bytes, const std::string& source) {
  uint64_t cursor = 0;
  const SafetensorsEntry* prev = nullptr;
  for (const SafetensorsEntry& e : sorted) {
    if (e.begin < cursor) {
      return badInput(source + ": tensor " + nameText(e.name) + " data_offsets " + offsetsText(e.begin, e.end) +
                      " overlap tensor " + nameText(prev->name) + " " + offsetsText(prev->begin, prev->end));
    }
    if (e.begin > cursor) {
      return badInput(source + ": hole of " + std::to_string(e.begin - cursor) + " bytes in the data section before tensor " +
                      nameText(e.name) + " (data_offsets " + offsetsText(e.begin, e.end) + ", previous data ends at " +
                      std::to_string(cursor) + ")");
    }
    cursor = e.end;
    prev = &e;
  }
  if (cursor != data_bytes) {
    return badInput(source + ": file size mismatch: the data section is " + std::to_string(data_bytes) +
                    " bytes but the tensors cover " + std::to_string(cursor));
  }
  return {};
}

}  // namespace

bool safetensorsDType(std::string_view name, kernels::DType* out) {
  if (name == "F32") *out = kernels::DType::F32;
  else if (name == "F16") *out = kernels::DType::F16;
  else if (name == "BF16") *out = kernels::DType::BF16;
  else return false;
  return true;
}

size_t firstInvalidUtf8(std::span<const uint8_t> s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = s[i];
    if (c < 0x80) { ++i; continue; }
    size_t len = 0;
    uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return i;
    if (s.size() - i < len) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return s.size();
}

Result<SafetensorsHeader> parseSafetensorsHeader(std::span<const uint8_t> bytes, uint64_t file_size,
                                                 const std::string& source) {
  if (file_size < 8 || bytes.size() < 8) {
    return badInput(source + ": truncated: " + std::to_string(file_size) +
                    " bytes, shorter than the 8-byte header length");
  }
  SafetensorsHeader h;
  h.json_bytes = readLe64(bytes.data());
  if (h.json_bytes > kMaxSafetensorsHeaderBytes) {
    return badInput(source + ": header length " + std::to_string(h.json_bytes) + " exceeds the limit of " +
                    std::to_string(kMaxSafetensorsHeaderBytes) + " bytes");
  }
  if (h.json_bytes > file_size - 8) {
    return badInput(source + ": header length " + std::to_string(h.json_bytes) + " runs past the end of the file (" +
                    std::to_string(file_size) + " bytes); the file is truncated or not safetensors");
  }
  if (bytes.size() < 8 + h.json_bytes) {
    return badInput(source + ": only " + std::to_string(bytes.size()) + " bytes given for a header of " +
                    std::to_string(h.json_bytes));
  }
  h.data_start = 8 + h.json_bytes;
  h.data_bytes = file_size - h.data_start;

  const std::span<const uint8_t> text = bytes.subspan(8, static_cast<size_t>(h.json_bytes));
  if (const size_t bad = firstInvalidUtf8(text); bad != text.size()) {
    return badInput(source + ": header is not valid UTF-8 at byte offset " + std::to_string(8 + bad));
  }
  // The callback sees every top-level key; nlohmann would otherwise keep the last of duplicate names.
  std::set<std::string> seen;
  std::string duplicate;
  json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth == 1 && event == json::parse_event_t::key && duplicate.empty() &&
        !seen.insert(parsed.get<std::string>()).second) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  json doc = json::parse(text.begin(), text.end(), on_event, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return badInput(source + ": header is not valid JSON");
  if (!doc.is_object()) return badInput(source + ": header is not a JSON object");
  if (!duplicate.empty()) return badInput(source + ": tensor " + nameText(duplicate) + " appears twice in the header");

  for (const auto& [name, value] : doc.items()) {
    if (name == "__metadata__") {
      auto md = parseMetadata(value, source);
      if (!md.ok()) return md.error();
      h.metadata = std::move(*md);
      continue;
    }
    auto e = parseEntry(name, value, h.data_bytes, source + ": tensor " + nameText(name));
    if (!e.ok()) return e.error();
    h.tensors.push_back(std::move(*e));
  }
  std::sort(h.tensors.begin(), h.tensors.end(), [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  FOLIO_TRY(checkTiling(h.tensors, h.data_bytes, source));
  return h;
}

Result<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  auto map = MappedFile::open(path);
  if (!map.ok()) return map.error();
  SafetensorsFile f;
  f.path_ = path;
  f.map_ = std::move(*map);
  auto header = parseSafetensorsHeader({f.map_.data(), static_cast<size_t>(f.map_.size())}, f.map_.size(),
                                       path.string());
  if (!header.ok()) return header.error();
  f.header_ = std::move(*header);
  return f;
}

}  // namespace folio::engine
