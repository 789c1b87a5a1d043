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
  std::vector<MsgObject> recipients;
  std::vector<MsgObject> attachments;
  std::vector<MsgObject> embedded;  // an attachment's attached message (at most one)
};

std::string msgBytes(const MsgObject& message);

// UTF-8 as UTF-16LE.
std::string utf16le(const std::string& utf8);

// A FILETIME (100 ns ticks since 1601) for a Unix time.
uint64_t fileTime(int64_t unix_seconds);

}  // namespace folio::test
