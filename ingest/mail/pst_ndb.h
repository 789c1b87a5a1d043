// The node database of a PST/OST ([MS-PST] 2.2): the node B-tree (a node's id -> its data and its
// subnodes), the block B-tree (a block's id -> where it is in the file), data trees (XBLOCK/XXBLOCK:
// a node's data in several blocks) and subnode trees (SLBLOCK/SIBLOCK: a node's private nodes, e.g. a
// message's recipient table and attachments).
//
// Untrusted input: every page and block is checked (its trailer's type and id, counts against its
// size), a B-tree's levels must fall towards its leaves, and the bytes a data tree gives are bounded.
// A deflated block (4 KiB-page stores) is inflated into a buffer of the size its block B-tree entry
// gives, at most a block's most (64 KiB): it must inflate to exactly that, else it is damaged.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/common/result.h"
#include "ingest/mail/pst_header.h"
#include "ingest/mail/pst_source.h"

namespace folio::ingest::mail {

// A node's data and subnode tree (0: none), from the node B-tree or a parent's subnode tree.
struct PstNodeRef {
  uint64_t data = 0;
  uint64_t sub = 0;
};

using PstSubnodes = std::map<uint32_t, PstNodeRef>;  // by subnode id

class PstNdb {
 public:
  PstNdb(const PstSource& source, const PstHeader& header, std::string name)
      : source_(source), header_(header), name_(std::move(name)) {}

  const PstHeader& header() const { return header_; }
  const std::string& name() const { return name_; }

  // A node of the store by its id ("node 0x122 not found" when the node B-tree has none).
  Result<PstNodeRef> node(uint32_t nid) const;
  // The blocks of a data tree (one block, or the blocks an XBLOCK/XXBLOCK lists, in order), at most
  // `max_bytes` in all. bid 0: no blocks.
  Result<std::vector<std::string>> dataBlocks(uint64_t bid, uint64_t max_bytes) const;
  // A subnode tree's entries (sub 0: none).
  Result<PstSubnodes> subnodes(uint64_t sub) const;

 private:
  struct BlockRef {
    uint64_t offset = 0;
    uint16_t size = 0;      // stored in the file
    uint16_t inflated = 0;  // its data: `size` unless the block is deflated
  };
  // A B-tree page, checked, from the cache: valid until the next page is read.
  Result<const std::string*> page(uint64_t offset, uint8_t type) const;
  // Finds the leaf entry with key `key` in the B-tree rooted at `root`; empty when there is none.
  Result<std::string> lookup(uint64_t root, uint8_t type, uint64_t key) const;
  Result<BlockRef> blockRef(uint64_t bid) const;
  // A block's data (inflated when it is deflated, unscrambled when it is a data block).
  Result<std::string> block(uint64_t bid) const;

  const PstSource& source_;
  PstHeader header_;
  std::string name_;
  // B-tree pages read (the upper levels are read for every lookup); cleared past 4 MiB.
  mutable std::unordered_map<uint64_t, std::string> pages_;
};

}  // namespace folio::ingest::mail
