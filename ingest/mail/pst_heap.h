// The heap-on-node of the PST's lists-tables-properties layer ([MS-PST] 2.3.1, 2.3.2): a node's data
// blocks hold small allocations addressed by HIDs, and a BTH (a B-tree of fixed-size records kept in
// those allocations) indexes property contexts and table rows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest::mail {

constexpr uint8_t kHeapPropertyContext = 0xBC, kHeapTableContext = 0x7C, kHeapBth = 0xB5;

class PstHeap {
 public:
  // Reads the heap's page maps. `client` is the signature the node must carry (PC or TC); `name`
  // names the store in errors. `wide_hids`: a 4 KiB-page store's HIDs (a 14-bit index, a 13-bit block
  // index; else 11 and 16 bits).
  static Result<PstHeap> open(std::vector<std::string> blocks, uint8_t client, const std::string& name, bool wide_hids = false);

  uint32_t userRoot() const { return user_root_; }
  // An allocation's bytes; HID 0 is an empty value.
  Result<std::string_view> item(uint32_t hid) const;
  // The records of the BTH whose header is at `hid`, in key order: key bytes then data bytes each.
  Result<std::vector<std::string_view>> bthRecords(uint32_t hid, size_t key_size, size_t data_size) const;

 private:
  std::vector<std::string> blocks_;
  std::vector<std::vector<uint16_t>> allocs_;  // per block: allocation i spans [allocs[i-1], allocs[i])
  uint32_t user_root_ = 0;
  bool wide_hids_ = false;
  std::string name_;
};

}  // namespace folio::ingest::mail
