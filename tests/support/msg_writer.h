// Writes Outlook messages (.msg, [MS-OXMSG]) for tests: property streams "__substg1.0_<id><type>",
// the fixed-size property table, recipient and attachment storages, an attached message's storage,
// and the named-property storage Outlook always writes — in an OLE compound file
// (compound_file_writer.h). Checked once against msgconvert (Email::Outlook::Message 0.921), an
// independent reader.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace folio::test {

// A message, recipient or attachment: its properties and what it holds.
struct MsgObject {
  std::vector<std::pair<uint16_t, std::string>> unicode;  // id -> UTF-8 text, stored as UTF-16 (001F)
  std::vector<std::pair<uint16_t, std::string>> ansi;     // id -> bytes as stored (001E)
  std::vector<std::pair<uint16_t, std::string>> binary;   // id -> bytes (0102)
  std::vector<std::pair<uint32_t, uint64_t>> fixed;       // full property tag (id << 16 | type) -> value
  std::vector<std::pair<uint16_t, std::vector<std::string>>> multi_binary;  // id -> values (1102)
  std::vector<MsgObject> recipients;
  std::vector<MsgObject> attachments;
  std::vector<MsgObject> embedded;  // an attachment's attached message (at most one)
};

// A named property's place in a name-to-id map ([MS-PST] 2.4.7, [MS-OXMSG] 2.2.3): its property set's
// GUID as text ("00062002-0000-0000-C000-000000000046"), its LID, and the id (0x8000 and up) it gets.
struct NamedPropId {
  std::string set;
  uint32_t lid = 0;
  uint16_t id = 0;
};

// A name-to-id map's streams, as both a .msg and a PST keep them: GUIDs, 8-byte entries, names.
struct NameIdStreams {
  std::string guids = std::string(16, '\0'), entries, strings;
};
NameIdStreams nameIdStreams(const std::vector<NamedPropId>& props);

// A one-off EntryID ([MS-OXCDATA] 2.2.5.1, Unicode) naming a recipient: a distribution list's member.
std::string oneOffEntryId(const std::string& name, const std::string& address_type, const std::string& address);

// An appointment's time zone ([MS-OXOCAL] 2.2.1.39, 2.2.1.41): a rule's biases (minutes, UTC = local +
// bias + standard/daylight bias) and the SYSTEMTIMEs when standard and daylight saving time begin
// {year, month, day of week, day (week of the month, 5 the last), hour, minute, second, ms}.
struct TzRuleSpec {
  uint16_t year = 0;  // the first year it applies to
  int32_t bias = 0, standard_bias = 0, daylight_bias = 0;
  std::vector<uint16_t> standard = std::vector<uint16_t>(8), daylight = std::vector<uint16_t>(8);
};
// A TZDEFINITION (PidLidAppointmentTimeZoneDefinitionStartDisplay) with its key name and rules.
std::string tzDefinition(const std::string& key_name, const std::vector<TzRuleSpec>& rules);
// A TZSTRUCT (PidLidTimeZoneStruct): one rule.
std::string tzStruct(const TzRuleSpec& rule);

// A GUID's 16 bytes as Windows stores it, from its text.
std::string guidBytes(const std::string& text);

std::string msgBytes(const MsgObject& message, const NameIdStreams& name_map = {});

// UTF-8 as UTF-16LE.
std::string utf16le(const std::string& utf8);

// A FILETIME (100 ns ticks since 1601) for a Unix time.
uint64_t fileTime(int64_t unix_seconds);

}  // namespace folio::test
