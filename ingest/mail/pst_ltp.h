// The PST's lists-tables-properties layer ([MS-PST] 2.3): a node read as a heap with its subnodes, a
// property context (a folder's or a message's properties: id -> type and value) and a table context
// (rows of properties: a folder's subfolders and messages, a message's recipients and attachments).
// Values are found by HNID: in the heap when small, else in a subnode of their own.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "ingest/mail/pst_heap.h"
#include "ingest/mail/pst_ndb.h"

namespace folio::ingest::mail {

// MAPI property types ([MS-OXCDATA] 2.11.1) the reader looks at.
constexpr uint16_t kPtInt16 = 0x0002, kPtInt32 = 0x0003, kPtBoolean = 0x000B, kPtObject = 0x000D, kPtString8 = 0x001E,
                   kPtUnicode = 0x001F, kPtInt64 = 0x0014, kPtTime = 0x0040, kPtBinary = 0x0102, kPtMultipleBinary = 0x1102;

// One node of the store or a subnode, read as a heap.
class PstLtpNode {
 public:
  static Result<PstLtpNode> open(const PstNdb& ndb, PstNodeRef ref, uint8_t client, uint64_t max_bytes);

  const PstHeap& heap() const { return heap_; }
  // A value by HNID: a heap allocation, or a subnode's data.
  Result<std::string> value(uint32_t hnid, uint64_t max_bytes) const;
  // A subnode read as a heap of its own (an attachment, an embedded message, a table).
  Result<PstLtpNode> subnode(uint32_t nid, uint8_t client) const;
  bool hasSubnode(uint32_t nid) const { return subnodes_.count(nid) != 0; }
  Result<std::vector<std::string>> subnodeBlocks(uint32_t nid, uint64_t max_bytes) const;
  const std::string& name() const { return ndb_->name(); }
  bool unicode() const { return ndb_->header().unicode; }
  bool page4k() const { return ndb_->header().page4k; }
  size_t maxBlockData() const { return ndb_->header().maxBlockData(); }
  uint64_t maxBytes() const { return max_; }

 private:
  const PstNdb* ndb_ = nullptr;
  PstHeap heap_;
  PstSubnodes subnodes_;
  uint64_t max_ = 0;
};

struct PstProp {
  uint16_t type = 0;
  uint64_t inline_value = 0;  // a fixed-size value kept in place
  bool by_ref = false;        // else the value is at HNID `ref`
  uint32_t ref = 0;
};

// The properties of a PC, or of one row of a TC; values are read from `node`, which must outlive it.
class PstProps {
 public:
  PstProps() = default;
  PstProps(const PstLtpNode* node, std::map<uint16_t, PstProp> props) : node_(node), props_(std::move(props)) {}

  const PstProp* find(uint16_t id) const;
  // A fixed-size value (integers, booleans, times); nullopt when absent or not fixed-size.
  std::optional<uint64_t> fixed(uint16_t id) const;
  // A value's bytes (strings, binaries, 8-byte values of a PC); nullopt when absent.
  Result<std::optional<std::string>> bytes(uint16_t id, uint64_t max_bytes) const;
  const PstLtpNode* node() const { return node_; }

 private:
  const PstLtpNode* node_ = nullptr;
  std::map<uint16_t, PstProp> props_;
};

Result<PstProps> readPropertyContext(const PstLtpNode& node);

// A TC's rows in their row-index order.
Result<std::vector<PstProps>> readTable(const PstLtpNode& node);

}  // namespace folio::ingest::mail
