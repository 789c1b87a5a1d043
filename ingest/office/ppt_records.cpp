#include "ingest/office/ppt_records.h"

#include <algorithm>
#include <cstdio>

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {

std::optional<PptRecord> readPptRecord(std::string_view stream, uint64_t at, uint64_t limit) {
  const DocBytes b{stream};
  if (limit > stream.size()) limit = stream.size();
  if (at > limit || limit - at < 8) return std::nullopt;
  PptRecord r;
  const uint16_t ver_instance = b.u16(at);
  r.version = ver_instance & 0xF;
  r.instance = ver_instance >> 4;
  r.type = b.u16(at + 2);
  r.length = b.u32(at + 4);
  r.offset = at;
  if (r.length > limit - at - 8) return std::nullopt;
  return r;
}

Result<std::vector<PptRecord>> pptChildren(std::string_view stream, const PptRecord& parent, const std::string& name) {
  std::vector<PptRecord> out;
  const uint64_t end = std::min<uint64_t>(parent.end(), stream.size());
  for (uint64_t at = parent.body(); at < end;) {
    const auto r = readPptRecord(stream, at, end);
    if (!r) {
      char type[8];
      std::snprintf(type, sizeof type, "%04X", DocBytes{stream}.u16(at + 2));
      return badInput(pptWhere(name) + "a record at offset " + std::to_string(at) + " (type 0x" + type +
                      ") runs past its container (truncated or corrupt file)");
    }
    out.push_back(*r);
    at = r->end();
  }
  return out;
}

std::optional<PptRecord> pptChild(std::string_view stream, const PptRecord& parent, uint16_t type) {
  const uint64_t end = std::min<uint64_t>(parent.end(), stream.size());
  for (uint64_t at = parent.body(); at < end;) {
    const auto r = readPptRecord(stream, at, end);
    if (!r) return std::nullopt;
    if (r->type == type) return r;
    at = r->end();
  }
  return std::nullopt;
}

std::string pptWhere(const std::string& name) { return name + ": PowerPoint 97-2003 presentation: "; }

}  // namespace folio::ingest::office
