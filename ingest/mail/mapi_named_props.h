// Outlook's named properties ([MS-OXPROPS] "PidLid…"): properties known by a property set (a GUID) and a
// number (a LID) — an appointment's start, a contact's e-mail addresses — whose property ids (0x8000 and
// up) each store, and each .msg, assigns for itself in a name-to-id map: node 0x61 of a PST ([MS-PST]
// 2.4.7), the __nameid_version1.0 storage of a .msg ([MS-OXMSG] 2.2.3). Both keep the same streams: the
// property sets' GUIDs (16 bytes each) and 8-byte entries (a LID or a name's offset; the name's kind
// and GUID index; the property's index). Only numbered properties of the sets below are kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/common/result.h"

namespace folio::ingest::mail {

enum class PropertySet : uint8_t {
  Appointment,  // PSETID_Appointment {00062002-0000-0000-C000-000000000046}
  Task,         // PSETID_Task        {00062003-…}
  Address,      // PSETID_Address     {00062004-…} (contacts)
  Common,       // PSETID_Common      {00062008-…}
};

class NamedProperties {
 public:
  // An empty map: every named property is absent.
  NamedProperties() = default;
  // The map from its GUID and entry streams; a stream whose size or indexes do not add up fails with
  // `name` and the reason (the messages are then read without their named properties).
  static Result<NamedProperties> parse(std::string_view guids, std::string_view entries, const std::string& name);

  // The id this store gives to (`set`, `lid`); nullopt when it has none.
  std::optional<uint16_t> id(PropertySet set, uint32_t lid) const;
  bool empty() const { return ids_.empty(); }

 private:
  static uint64_t key(PropertySet set, uint32_t lid) { return static_cast<uint64_t>(set) << 32 | lid; }
  std::unordered_map<uint64_t, uint16_t> ids_;
};

// The 16 bytes a GUID stream holds for `set`.
std::string propertySetGuid(PropertySet set);

}  // namespace folio::ingest::mail
