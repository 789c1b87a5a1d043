// Writes OLE compound files ([MS-CFB]) for tests: storages and streams laid out as Office writes them
// (streams under 4,096 bytes in the mini stream, the rest in 512- or 4,096-byte sectors, more than 109
// allocation table sectors listed in DIFAT sectors, each storage's children in a balanced tree).
// Checked once against olefile 0.46 (Debian python3-olefile), an independent reader.
#pragma once

#include <string>
#include <vector>

namespace folio::test {

struct CfbNode {
  std::string name;  // ASCII or Latin-1, up to 31 characters
  bool storage = false;
  std::string data;  // a stream's bytes
  std::vector<CfbNode> children;  // a storage's entries

  static CfbNode stream(std::string name, std::string data) { return {std::move(name), false, std::move(data), {}}; }
  static CfbNode folder(std::string name, std::vector<CfbNode> children) {
    return {std::move(name), true, {}, std::move(children)};
  }
};

// A compound file whose root storage holds `entries`; version 3 (512-byte sectors) or 4 (4,096).
std::string compoundFileBytes(const std::vector<CfbNode>& entries, int version = 3);

}  // namespace folio::test
