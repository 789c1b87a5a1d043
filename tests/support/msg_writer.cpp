#include "tests/support/msg_writer.h"

#include <cstdio>
#include <string>

#include "tests/support/compound_file_writer.h"

namespace folio::test {
namespace {

std::string hex4(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04X", v & 0xFFFF);
  return buf;
}

std::string hex8(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08X", v);
  return buf;
}

void put(std::string& b, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// The object's property streams, its fixed-size table (after a header of `header` bytes) and its
// recipient, attachment and attached-message storages.
std::vector<CfbNode> nodes(const MsgObject& o, size_t header) {
  std::vector<CfbNode> out;
  std::string table(header, '\0');
  if (header >= 24) {  // a message's header: next recipient and attachment ids, their counts
    table.clear();
    put(table, 0, 8);
    put(table, o.recipients.size(), 4);
    put(table, o.attachments.size(), 4);
    put(table, o.recipients.size(), 4);
    put(table, o.attachments.size(), 4);
    table.resize(header, '\0');
  }
  for (const auto& [tag, value] : o.fixed) {
    put(table, tag, 4);
    put(table, 2 | 4, 4);  // readable, writable
    put(table, value, 8);
  }
  const auto variable = [&](uint16_t id, uint16_t type, const std::string& bytes) {
    out.push_back(CfbNode::stream("__substg1.0_" + hex4(id) + hex4(type), bytes));
    put(table, static_cast<uint32_t>(id) << 16 | type, 4);
    put(table, 2 | 4, 4);
    put(table, bytes.size() + (type == 0x001F ? 2 : type == 0x001E ? 1 : 0), 4);
    put(table, 0, 4);
  };
  for (const auto& [id, text] : o.unicode) variable(id, 0x001F, utf16le(text));
  for (const auto& [id, bytes] : o.ansi) variable(id, 0x001E, bytes);
  for (const auto& [id, bytes] : o.binary) variable(id, 0x0102, bytes);
  for (const auto& [id, values] : o.multi_binary) {  // a stream of lengths, then a stream a value
    std::string lengths;
    for (size_t i = 0; i < values.size(); ++i) {
      put(lengths, values[i].size(), 4);
      put(lengths, 0, 4);
      out.push_back(CfbNode::stream("__substg1.0_" + hex4(id) + "1102-" + hex8(static_cast<uint32_t>(i)), values[i]));
    }
    variable(id, 0x1102, lengths);
  }
  for (size_t i = 0; i < o.recipients.size(); ++i)
    out.push_back(CfbNode::folder("__recip_version1.0_#" + hex8(static_cast<uint32_t>(i)), nodes(o.recipients[i], 8)));
  for (size_t i = 0; i < o.attachments.size(); ++i)
    out.push_back(CfbNode::folder("__attach_version1.0_#" + hex8(static_cast<uint32_t>(i)), nodes(o.attachments[i], 8)));
  if (!o.embedded.empty()) {
    std::vector<CfbNode> inner = nodes(o.embedded.front(), 24);
    out.push_back(CfbNode::folder("__substg1.0_3701000D", std::move(inner)));
    put(table, 0x3701000Du, 4);
    put(table, 2 | 4, 4);
    put(table, 0xFFFFFFFFu, 4);
    put(table, 0, 4);
  }
  out.push_back(CfbNode::stream("__properties_version1.0", table));
  return out;
}

}  // namespace

std::string utf16le(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra) cp = c & (0x3F >> extra);
    for (int k = 1; k <= extra && i + static_cast<size_t>(k) < s.size(); ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    i += static_cast<size_t>(extra) + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(out, 0xD800 + (cp >> 10), 2);
      put(out, 0xDC00 + (cp & 0x3FF), 2);
    } else {
      put(out, cp, 2);
    }
  }
  return out;
}

uint64_t fileTime(int64_t unix_seconds) { return static_cast<uint64_t>(unix_seconds + 11644473600) * 10000000; }

std::string oneOffEntryId(const std::string& name, const std::string& address_type, const std::string& address) {
  std::string id(4, '\0');
  id += std::string("\x81\x2B\x1F\xA4\xBE\xA3\x10\x19\x9D\x6E\x00\xDD\x01\x0F\x54\x02", 16);  // the one-off provider
  put(id, 0, 2);       // version
  put(id, 0x8000 | 0x0001, 2);  // Unicode strings, no rich text
  for (const std::string& s : {name, address_type, address}) id += utf16le(s) + std::string(2, '\0');
  return id;
}

std::string guidBytes(const std::string& text) {
  std::string hex;
  for (const char c : text)
    if (c != '-' && c != '{' && c != '}') hex += c;
  std::string raw;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  raw.resize(16, '\0');
  // Data1, Data2 and Data3 are little-endian; Data4 stays as written.
  std::string out;
  for (int i : {3, 2, 1, 0, 5, 4, 7, 6}) out += raw[static_cast<size_t>(i)];
  return out + raw.substr(8);
}

NameIdStreams nameIdStreams(const std::vector<NamedPropId>& props) {
  NameIdStreams s;
  s.guids.clear();
  std::vector<std::string> sets;
  for (const auto& p : props) {
    const std::string guid = guidBytes(p.set);
    size_t index = 0;
    while (index < sets.size() && sets[index] != guid) ++index;
    if (index == sets.size()) {
      sets.push_back(guid);
      s.guids += guid;
    }
    put(s.entries, p.lid, 4);
    // Kind 0 (a number), the GUID's index (3 and up: the stream's), the property's index.
    put(s.entries, static_cast<uint32_t>(index + 3) << 1 | static_cast<uint32_t>(p.id - 0x8000) << 16, 4);
  }
  return s;
}

std::string msgBytes(const MsgObject& message, const NameIdStreams& name_map) {
  std::vector<CfbNode> root = nodes(message, 32);
  // Outlook writes the named-property mapping in every message; readers expect it.
  root.push_back(CfbNode::folder("__nameid_version1.0", {CfbNode::stream("__substg1.0_00020102", name_map.guids),
                                                         CfbNode::stream("__substg1.0_00030102", name_map.entries),
                                                         CfbNode::stream("__substg1.0_00040102", name_map.strings)}));
  return compoundFileBytes(root);
}

namespace {
void le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>(v >> (8 * i) & 0xFF);
}
void systemTime(std::string& out, const std::vector<uint16_t>& fields) {
  for (size_t i = 0; i < 8; ++i) le(out, i < fields.size() ? fields[i] : 0, 2);
}
void biases(std::string& out, const TzRuleSpec& r) {
  for (int32_t b : {r.bias, r.standard_bias, r.daylight_bias}) le(out, static_cast<uint32_t>(b), 4);
}
}  // namespace

std::string tzDefinition(const std::string& key_name, const std::vector<TzRuleSpec>& rules) {
  const std::string name = utf16le(key_name);
  std::string out = "\x02\x01";
  le(out, 6 + name.size(), 2);  // cbHeader: flags, cchKeyName, KeyName, cRules
  le(out, 0x0002, 2);           // the key name is there
  le(out, name.size() / 2, 2);
  out += name;
  le(out, rules.size(), 2);
  for (const TzRuleSpec& r : rules) {
    out += "\x02\x01";
    le(out, 0x003E, 2);
    le(out, 0x0002, 2);  // TZRULE_FLAG_EFFECTIVE_TZREG
    le(out, r.year, 2);
    out += std::string(14, '\0');
    biases(out, r);
    systemTime(out, r.standard);
    systemTime(out, r.daylight);
  }
  return out;
}

std::string tzStruct(const TzRuleSpec& r) {
  std::string out;
  biases(out, r);
  le(out, r.standard.empty() ? 0 : r.standard[0], 2);
  systemTime(out, r.standard);
  le(out, r.daylight.empty() ? 0 : r.daylight[0], 2);
  systemTime(out, r.daylight);
  return out;
}

}  // namespace folio::test
