#include "ingest/mail/pst_heap.h"

#include <set>

#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

constexpr uint8_t kHeapSignature = 0xEC;
constexpr int kMaxBthLevels = 8;
constexpr size_t kMaxBthRecords = 1 << 22;  // a table of four million rows

}  // namespace

Result<PstHeap> PstHeap::open(std::vector<std::string> blocks, uint8_t client, const std::string& name, bool wide_hids) {
  PstHeap h;
  h.name_ = name;
  h.wide_hids_ = wide_hids;
  if (blocks.empty() || blocks[0].size() < 12 || static_cast<uint8_t>(blocks[0][2]) != kHeapSignature) {
    return badInput(name + ": damaged heap (no heap signature)");
  }
  if (static_cast<uint8_t>(blocks[0][3]) != client) return badInput(name + ": damaged heap (not the expected kind of node)");
  h.user_root_ = le32(blocks[0], 4);
  for (const std::string& b : blocks) {
    std::vector<uint16_t> allocs;
    if (b.size() >= 2) {
      const size_t map = le16(b, 0);
      if (map + 4 > b.size()) return badInput(name + ": damaged heap (page map outside its block)");
      const size_t count = le16(b, map);
      if (map + 4 + 2 * (count + 1) > b.size()) return badInput(name + ": damaged heap (page map outside its block)");
      for (size_t i = 0; i <= count; ++i) {
        const uint16_t at = le16(b, map + 4 + 2 * i);
        if (at > map || (!allocs.empty() && at < allocs.back())) return badInput(name + ": damaged heap (allocation out of order)");
        allocs.push_back(at);
      }
    }
    h.allocs_.push_back(std::move(allocs));
  }
  h.blocks_ = std::move(blocks);
  return h;
}

Result<std::string_view> PstHeap::item(uint32_t hid) const {
  if (hid == 0) return std::string_view();
  const size_t index = (hid >> 5) & (wide_hids_ ? 0x3FFF : 0x7FF), block = hid >> (wide_hids_ ? 19 : 16);
  if ((hid & 0x1F) != 0 || block >= allocs_.size() || index == 0 || index >= allocs_[block].size()) {
    return badInput(name_ + ": damaged heap (no allocation for HID " + std::to_string(hid) + ")");
  }
  const auto& a = allocs_[block];
  return std::string_view(blocks_[block]).substr(a[index - 1], a[index] - a[index - 1]);
}

Result<std::vector<std::string_view>> PstHeap::bthRecords(uint32_t hid, size_t key_size, size_t data_size) const {
  auto head = item(hid);
  if (!head) return head.error();
  if (head->size() < 8 || static_cast<uint8_t>((*head)[0]) != kHeapBth || static_cast<uint8_t>((*head)[1]) != key_size ||
      static_cast<uint8_t>((*head)[2]) != data_size) {
    return badInput(name_ + ": damaged B-tree-on-heap header");
  }
  const int levels = static_cast<uint8_t>((*head)[3]);
  if (levels > kMaxBthLevels) return badInput(name_ + ": damaged B-tree-on-heap (" + std::to_string(levels) + " levels)");
  std::vector<std::string_view> out;
  std::set<uint32_t> seen;  // an allocation met twice: a loop, or records counted twice
  auto walk = [&](auto&& self, uint32_t at, int level) -> Status {
    if (at == 0) return {};
    if (!seen.insert(at).second) return badInput(name_ + ": damaged B-tree-on-heap (a loop)");
    auto records = item(at);
    if (!records) return records.error();
    const size_t record = key_size + (level > 0 ? 4 : data_size);
    if (records->size() % record != 0) return badInput(name_ + ": damaged B-tree-on-heap (records do not fill their allocation)");
    for (size_t i = 0; i < records->size(); i += record) {
      if (level > 0) {
        FOLIO_TRY(self(self, le32(*records, i + key_size), level - 1));
      } else {
        if (out.size() >= kMaxBthRecords) return badInput(name_ + ": B-tree-on-heap with too many records");
        out.push_back(records->substr(i, record));
      }
    }
    return {};
  };
  FOLIO_TRY(walk(walk, le32(*head, 4), levels));
  return out;
}

}  // namespace folio::ingest::mail
