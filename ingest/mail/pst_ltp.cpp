#include "ingest/mail/pst_ltp.h"

#include <algorithm>

#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

// The size of a fixed-size type's value; 0 for variable-size and multi-valued types.
size_t fixedSize(uint16_t type) {
  switch (type) {
    case 0x000B: return 1;  // boolean (one byte in a row; four in a PC's record)
    case 0x0002: return 2;
    case 0x0003: case 0x0004: case 0x000A: return 4;
    case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040: return 8;
    case 0x0048: return 16;  // GUID: always by reference
    default: return 0;
  }
}

uint64_t leN(std::string_view b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = v << 8 | static_cast<uint8_t>(b[at + i]);
  return v;
}

bool isHid(uint32_t hnid) { return (hnid & 0x1F) == 0; }

}  // namespace

Result<PstLtpNode> PstLtpNode::open(const PstNdb& ndb, PstNodeRef ref, uint8_t client, uint64_t max_bytes) {
  PstLtpNode n;
  n.ndb_ = &ndb;
  n.max_ = max_bytes;
  auto blocks = ndb.dataBlocks(ref.data, max_bytes);
  if (!blocks) return blocks.error();
  auto heap = PstHeap::open(std::move(*blocks), client, ndb.name(), ndb.header().page4k);
  if (!heap) return heap.error();
  n.heap_ = std::move(*heap);
  auto subs = ndb.subnodes(ref.sub);
  if (!subs) return subs.error();
  n.subnodes_ = std::move(*subs);
  return n;
}

Result<std::vector<std::string>> PstLtpNode::subnodeBlocks(uint32_t nid, uint64_t max_bytes) const {
  auto it = subnodes_.find(nid);
  if (it == subnodes_.end()) return badInput(ndb_->name() + ": subnode " + std::to_string(nid) + " not found");
  return ndb_->dataBlocks(it->second.data, max_bytes);
}

Result<std::string> PstLtpNode::value(uint32_t hnid, uint64_t max_bytes) const {
  if (isHid(hnid)) {
    auto v = heap_.item(hnid);
    if (!v) return v.error();
    return std::string(*v);
  }
  auto blocks = subnodeBlocks(hnid, max_bytes);
  if (!blocks) return blocks.error();
  std::string out;
  for (const auto& b : *blocks) out += b;
  return out;
}

Result<PstLtpNode> PstLtpNode::subnode(uint32_t nid, uint8_t client) const {
  auto it = subnodes_.find(nid);
  if (it == subnodes_.end()) return badInput(ndb_->name() + ": subnode " + std::to_string(nid) + " not found");
  return open(*ndb_, it->second, client, max_);
}

const PstProp* PstProps::find(uint16_t id) const {
  auto it = props_.find(id);
  return it == props_.end() ? nullptr : &it->second;
}

std::optional<uint64_t> PstProps::fixed(uint16_t id) const {
  const PstProp* p = find(id);
  if (p == nullptr) return std::nullopt;
  const size_t size = fixedSize(p->type);
  if (size == 0 || size > 8) return std::nullopt;
  if (!p->by_ref) return p->inline_value;
  auto v = node_->heap().item(p->ref);  // an 8-byte value of a PC: in the heap
  if (!v || v->size() < size) return std::nullopt;
  return leN(*v, 0, size);
}

Result<std::optional<std::string>> PstProps::bytes(uint16_t id, uint64_t max_bytes) const {
  const PstProp* p = find(id);
  if (p == nullptr || !p->by_ref) return std::optional<std::string>();
  auto v = node_->value(p->ref, max_bytes);
  if (!v) return v.error();
  return std::optional<std::string>(std::move(*v));
}

Result<PstProps> readPropertyContext(const PstLtpNode& node) {
  auto records = node.heap().bthRecords(node.heap().userRoot(), 2, 6);
  if (!records) return records.error();
  std::map<uint16_t, PstProp> props;
  for (const std::string_view r : *records) {
    PstProp p;
    p.type = le16(r, 2);
    const uint32_t value = le32(r, 4);
    const size_t size = fixedSize(p.type);
    if (size != 0 && size <= 4) p.inline_value = size == 1 ? (value & 0xFF) : size == 2 ? (value & 0xFFFF) : value;
    else {
      p.by_ref = true;
      p.ref = value;
    }
    props[le16(r, 0)] = p;
  }
  return PstProps(&node, std::move(props));
}

Result<std::vector<PstProps>> readTable(const PstLtpNode& node) {
  const PstHeap& heap = node.heap();
  auto info = heap.item(heap.userRoot());
  if (!info) return info.error();
  const std::string& name = node.name();
  if (info->size() < 22 || static_cast<uint8_t>((*info)[0]) != kHeapTableContext) return badInput(name + ": damaged table header");
  const size_t columns = static_cast<uint8_t>((*info)[1]);
  if (info->size() < 22 + 8 * columns) return badInput(name + ": damaged table header (columns)");
  const size_t ceb_at = le16(*info, 6), row_size = le16(*info, 8);
  if (ceb_at + (columns + 7) / 8 > row_size || row_size < 4) return badInput(name + ": damaged table header (row size)");
  struct Column {
    uint16_t id, type;
    size_t at, size, bit;
  };
  std::vector<Column> cols;
  for (size_t c = 0; c < columns; ++c) {
    const size_t at = 22 + 8 * c;
    const uint32_t tag = le32(*info, at);
    Column col{static_cast<uint16_t>(tag >> 16), static_cast<uint16_t>(tag & 0xFFFF), le16(*info, at + 4),
               static_cast<uint8_t>((*info)[at + 6]), static_cast<uint8_t>((*info)[at + 7])};
    if (col.at + col.size > row_size || col.bit >= columns || col.size > 8) return badInput(name + ": damaged table column");
    cols.push_back(col);
  }
  const bool unicode = node.unicode();
  auto index = heap.bthRecords(le32(*info, 10), 4, unicode ? 4 : 2);
  if (!index) return index.error();
  std::vector<size_t> order;
  for (const std::string_view r : *index) order.push_back(unicode ? le32(r, 4) : le16(r, 4));
  std::sort(order.begin(), order.end());

  // The row matrix: in the heap, or in a subnode whose blocks each hold whole rows.
  const uint32_t rows_hnid = le32(*info, 14);
  std::vector<std::string> blocks;
  if (rows_hnid != 0 && isHid(rows_hnid)) {
    auto item = heap.item(rows_hnid);
    if (!item) return item.error();
    blocks.emplace_back(*item);
  } else if (rows_hnid != 0) {
    auto b = node.subnodeBlocks(rows_hnid, node.maxBytes());
    if (!b) return b.error();
    blocks = std::move(*b);
  }
  // Rows per block: as many as a full block holds ([MS-PST] 2.3.4.4); a 4 KiB-page store's blocks are
  // not of one documented size, so there its first block says (as libpff reads it).
  size_t per_block = SIZE_MAX;
  if (!isHid(rows_hnid)) {
    per_block = !node.page4k()  ? node.maxBlockData() / row_size
                : blocks.empty() ? 1
                                 : std::max<size_t>(1, blocks[0].size() / row_size);
  }
  std::vector<PstProps> out;
  for (const size_t i : order) {
    const size_t block = per_block == SIZE_MAX ? 0 : i / per_block;
    const size_t at = (per_block == SIZE_MAX ? i : i % per_block) * row_size;
    if (block >= blocks.size() || at + row_size > blocks[block].size()) return badInput(name + ": damaged table (row outside its data)");
    const std::string_view row = std::string_view(blocks[block]).substr(at, row_size);
    std::map<uint16_t, PstProp> props;
    for (const Column& c : cols) {
      if (!(static_cast<uint8_t>(row[ceb_at + c.bit / 8]) & (0x80 >> (c.bit % 8)))) continue;
      PstProp p;
      p.type = c.type;
      const size_t size = fixedSize(c.type);
      if (size != 0 && size <= 8) {
        p.inline_value = leN(row, c.at, std::min(size, c.size));
      } else {
        if (c.size < 4) continue;
        p.by_ref = true;
        p.ref = le32(row, c.at);
      }
      props[c.id] = p;
    }
    out.emplace_back(&node, std::move(props));
  }
  return out;
}

}  // namespace folio::ingest::mail
