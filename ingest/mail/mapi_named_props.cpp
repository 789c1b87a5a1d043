#include "ingest/mail/mapi_named_props.h"

#include <array>
#include <vector>

#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

constexpr size_t kGuidSize = 16, kEntrySize = 8;
// GUID indexes 1 and 2 are PS_MAPI and PS_PUBLIC_STRINGS, kept in no stream; 3 and up index the stream.
constexpr uint32_t kFirstStreamGuid = 3;
constexpr uint32_t kMaxPropertyIndex = 0x7FFE;  // 0x8000 + index stays below 0xFFFF

constexpr std::array<PropertySet, 4> kSets = {PropertySet::Appointment, PropertySet::Task, PropertySet::Address,
                                              PropertySet::Common};

}  // namespace

std::string propertySetGuid(PropertySet set) {
  // {0006200X-0000-0000-C000-000000000046}: Data1, Data2 and Data3 little-endian, then Data4 as written.
  const uint8_t data1 = set == PropertySet::Appointment ? 0x02 : set == PropertySet::Task ? 0x03
                        : set == PropertySet::Address   ? 0x04
                                                        : 0x08;
  std::string g(kGuidSize, '\0');
  g[0] = static_cast<char>(data1);
  g[1] = 0x20;
  g[2] = 0x06;
  g[8] = static_cast<char>(0xC0);
  g[15] = 0x46;
  return g;
}

Result<NamedProperties> NamedProperties::parse(std::string_view guids, std::string_view entries, const std::string& name) {
  if (guids.size() % kGuidSize != 0) return badInput(name + ": damaged name-to-id map (GUID stream of " + std::to_string(guids.size()) + " bytes)");
  if (entries.size() % kEntrySize != 0) return badInput(name + ": damaged name-to-id map (entry stream of " + std::to_string(entries.size()) + " bytes)");
  // Which of the sets each stream GUID is (none: a set Folio does not read).
  std::vector<std::optional<PropertySet>> stream_sets;
  for (size_t at = 0; at < guids.size(); at += kGuidSize) {
    std::optional<PropertySet> known;
    for (const PropertySet s : kSets)
      if (guids.substr(at, kGuidSize) == propertySetGuid(s)) known = s;
    stream_sets.push_back(known);
  }
  NamedProperties out;
  for (size_t at = 0; at < entries.size(); at += kEntrySize) {
    const uint32_t lid = le32(entries, at);
    const uint32_t info = le32(entries, at + 4);
    const bool string_named = (info & 1) != 0;
    const uint32_t guid = info >> 1 & 0x7FFF, index = info >> 16;
    if (index > kMaxPropertyIndex) return badInput(name + ": damaged name-to-id map (property index " + std::to_string(index) + ")");
    if (guid >= kFirstStreamGuid && guid - kFirstStreamGuid >= stream_sets.size()) {
      return badInput(name + ": damaged name-to-id map (GUID index " + std::to_string(guid) + " of " + std::to_string(stream_sets.size()) + ")");
    }
    if (string_named || guid < kFirstStreamGuid) continue;
    if (const auto set = stream_sets[guid - kFirstStreamGuid]) out.ids_.emplace(key(*set, lid), static_cast<uint16_t>(0x8000 + index));
  }
  return out;
}

std::optional<uint16_t> NamedProperties::id(PropertySet set, uint32_t lid) const {
  const auto it = ids_.find(key(set, lid));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace folio::ingest::mail
