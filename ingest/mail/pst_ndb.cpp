#include "ingest/mail/pst_ndb.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>

#include "ingest/mail/pst_crypt.h"
#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

constexpr uint8_t kPageBbt = 0x80, kPageNbt = 0x81;
constexpr uint8_t kBlockXData = 0x01, kBlockSubnodes = 0x02;
constexpr int kMaxTreeLevels = 8;    // a B-tree of 8 levels holds more than any file can
constexpr size_t kMaxPageCacheBytes = 4 << 20;
constexpr uint64_t kInternalBid = 0x2;  // an XBLOCK/SLBLOCK…: never scrambled

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
  return buf;
}

// `in`, a zlib stream, inflated into `out` when it holds exactly `size` bytes: never more is written.
bool inflateExactly(std::string_view in, size_t size, std::string& out) {
  out.assign(size, '\0');
  uLongf got = size;
  return uncompress(reinterpret_cast<Bytef*>(out.data()), &got, reinterpret_cast<const Bytef*>(in.data()), in.size()) == Z_OK &&
         got == size;
}

}  // namespace

Result<const std::string*> PstNdb::page(uint64_t offset, uint8_t type) const {
  if (auto it = pages_.find(offset); it != pages_.end()) return &it->second;
  std::string p;
  if (!source_.read(offset, header_.pageSize(), p)) {
    return badInput(name_ + ": B-tree page at offset " + std::to_string(offset) + " is outside the file");
  }
  const size_t trailer = header_.pageSize() - header_.pageTrailer();
  if (static_cast<uint8_t>(p[trailer]) != type || p[trailer + 1] != p[trailer]) {
    return badInput(name_ + ": damaged B-tree page at offset " + std::to_string(offset) + " (type " +
                    hex(static_cast<uint8_t>(p[trailer])) + ", expected " + hex(type) + ")");
  }
  if (pages_.size() * header_.pageSize() >= kMaxPageCacheBytes) pages_.clear();
  return &pages_.emplace(offset, std::move(p)).first->second;
}

Result<std::string> PstNdb::lookup(uint64_t root, uint8_t type, uint64_t key) const {
  const bool u = header_.unicode;
  const size_t id = header_.idSize();
  // cEnt, cEntMax, cbEnt, cLevel follow the entries; the counts are 2 bytes each in a 4 KiB page.
  const size_t entries_end = header_.pageEntries();
  const bool wide = header_.page4k;
  uint64_t offset = root;
  int above = kMaxTreeLevels + 1;  // the level of the page read before: each must be lower
  for (;;) {
    auto read = page(offset, type);  // valid until the next page is read
    if (!read) return read.error();
    const std::string& p = **read;
    const size_t count = wide ? le16(p, entries_end) : static_cast<uint8_t>(p[entries_end]);
    const size_t entry = static_cast<uint8_t>(p[entries_end + (wide ? 4 : 2)]);
    const int level = static_cast<uint8_t>(p[entries_end + (wide ? 5 : 3)]);
    const size_t min_entry = level > 0 ? 3 * id : (type == kPageNbt ? 4 * id : 2 * id + 4);
    if (level >= above || entry < min_entry || count * entry > entries_end) {
      return badInput(name_ + ": damaged B-tree page at offset " + std::to_string(offset) + " (level " + std::to_string(level) +
                      ", " + std::to_string(count) + " entries of " + std::to_string(entry) + " bytes)");
    }
    above = level;
    // Entries are in key order: a page is searched by halves (a 4 KiB page holds up to 169).
    if (level == 0) {
      auto keyAt = [&](size_t i) {
        const uint64_t k = leId(p, i * entry, u);
        return type == kPageNbt ? k & 0xFFFFFFFF : k & ~uint64_t{1};  // a node id is 32 bits, stored in 8 in a Unicode store
      };
      size_t lo = 0, hi = count;
      while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (keyAt(mid) < key) lo = mid + 1;
        else hi = mid;
      }
      if (lo < count && keyAt(lo) == key) return p.substr(lo * entry, entry);
      // Not where the order puts it: a page out of order is read entry by entry.
      for (size_t i = 0; i < count; ++i)
        if (keyAt(i) == key) return p.substr(i * entry, entry);
      return std::string();
    }
    // The last entry whose key is not above `key` leads to the page that holds it.
    size_t lo = 0, hi = count;  // the first entry above `key`
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (leId(p, mid * entry, u) <= key) lo = mid + 1;
      else hi = mid;
    }
    if (lo == 0) return std::string();
    offset = leId(p, (lo - 1) * entry + 2 * id, u);  // BREF: bid, then ib
  }
}

Result<PstNodeRef> PstNdb::node(uint32_t nid) const {
  auto e = lookup(header_.nbt_page, kPageNbt, nid);
  if (!e) return e.error();
  if (e->empty()) return notFound(name_ + ": node " + hex(nid) + " not found");
  const size_t id = header_.idSize();
  return PstNodeRef{leId(*e, id, header_.unicode), leId(*e, 2 * id, header_.unicode)};
}

Result<PstNdb::BlockRef> PstNdb::blockRef(uint64_t bid) const {
  auto e = lookup(header_.bbt_page, kPageBbt, bid & ~uint64_t{1});
  if (!e) return e.error();
  if (e->empty()) return badInput(name_ + ": block " + hex(bid) + " not found");
  const size_t id = header_.idSize();
  // BBTENTRY: BREF, cb; in a 4 KiB-page store the inflated size follows (then cRef), else cRef.
  const uint16_t cb = le16(*e, 2 * id);
  BlockRef ref{leId(*e, id, header_.unicode), cb, header_.page4k ? le16(*e, 2 * id + 2) : cb};
  if (ref.inflated == 0) ref.inflated = ref.size;  // not deflated (libpff reads a zero so too)
  if (ref.size > header_.maxBlockData() || ref.inflated > header_.maxBlockData()) {
    return badInput(name_ + ": block " + hex(bid) + " larger than a block can be");
  }
  return ref;
}

Result<std::string> PstNdb::block(uint64_t bid) const {
  auto ref = blockRef(bid);
  if (!ref) return ref.error();
  const size_t align = header_.blockAlign();
  const size_t stored = (ref->size + header_.blockTrailer() + align - 1) / align * align;
  std::string b;
  if (!source_.read(ref->offset, stored, b)) {
    return badInput(name_ + ": block " + hex(bid) + " at offset " + std::to_string(ref->offset) + " is outside the file");
  }
  const size_t t = stored - header_.blockTrailer();
  const uint64_t trailer_bid = header_.unicode ? le64(b, t + 8) : le32(b, t + 4);
  if (le16(b, t) != ref->size || (trailer_bid & ~uint64_t{1}) != (bid & ~uint64_t{1})) {
    return badInput(name_ + ": damaged block " + hex(bid) + " at offset " + std::to_string(ref->offset));
  }
  b.resize(ref->size);
  const bool scrambled = !(bid & kInternalBid) && header_.crypt != PstCrypt::None;
  if (ref->inflated != ref->size) {
    // Deflated, then scrambled like any data block (libpff unscrambles what it inflated); a stream
    // scrambled after it was deflated is read too.
    std::string inflated;
    bool ok = inflateExactly(b, ref->inflated, inflated);
    if (!ok && scrambled) {
      pstDecrypt(header_.crypt, b, static_cast<uint32_t>(bid));
      if (inflateExactly(b, ref->inflated, inflated)) return inflated;
    }
    if (!ok) {
      return badInput(name_ + ": damaged compressed block " + hex(bid) + " at offset " + std::to_string(ref->offset) +
                      " (it does not inflate to its " + std::to_string(ref->inflated) + " bytes)");
    }
    b = std::move(inflated);
  }
  if (scrambled) pstDecrypt(header_.crypt, b, static_cast<uint32_t>(bid));
  return b;
}

Result<std::vector<std::string>> PstNdb::dataBlocks(uint64_t bid, uint64_t max_bytes) const {
  std::vector<std::string> out;
  if (bid == 0) return out;
  // A data tree lists each of its blocks once, so it is never larger than the file (its blocks
  // inflated, in a 4 KiB-page store): a tree that lists one block a million times is damaged, not a
  // 8 GiB value.
  const uint64_t most = header_.page4k ? source_.size() / header_.blockAlign() * header_.maxBlockData() : source_.size();
  max_bytes = std::min(max_bytes, most);
  uint64_t total = 0;
  auto add = [&](std::string b) -> Status {
    total += b.size();
    if (total > max_bytes) return badInput(name_ + ": a value larger than " + std::to_string(max_bytes) + " bytes");
    out.push_back(std::move(b));
    return {};
  };
  // An XXBLOCK lists XBLOCKs, an XBLOCK lists data blocks: two levels at most.
  auto walk = [&](auto&& self, uint64_t b, int level) -> Status {
    auto bytes = block(b);
    if (!bytes) return bytes.error();
    if (!(b & kInternalBid)) return add(std::move(*bytes));
    const size_t id = header_.idSize();
    const size_t head = 8;  // btype, cLevel, cEnt, lcbTotal
    if (bytes->size() < head || static_cast<uint8_t>((*bytes)[0]) != kBlockXData) {
      return badInput(name_ + ": damaged data tree block " + hex(b));
    }
    const int cl = static_cast<uint8_t>((*bytes)[1]);
    const size_t count = le16(*bytes, 2);
    if (cl < 1 || cl > 2 || cl >= level || head + count * id > bytes->size() || le32(*bytes, 4) > max_bytes) {
      return badInput(name_ + ": damaged data tree block " + hex(b));
    }
    for (size_t i = 0; i < count; ++i) {
      const uint64_t child = leId(*bytes, head + i * id, header_.unicode);
      if (cl == 1 && (child & kInternalBid)) return badInput(name_ + ": damaged data tree block " + hex(b));
      FOLIO_TRY(self(self, child, cl));
    }
    return {};
  };
  FOLIO_TRY(walk(walk, bid, 3));
  return out;
}

Result<PstSubnodes> PstNdb::subnodes(uint64_t sub) const {
  PstSubnodes out;
  if (sub == 0) return out;
  const bool u = header_.unicode;
  const size_t id = header_.idSize();
  // An SIBLOCK lists SLBLOCKs, which list the subnodes: two levels at most.
  auto walk = [&](auto&& self, uint64_t b, int above) -> Status {
    auto bytes = block(b);
    if (!bytes) return bytes.error();
    const size_t head = u ? 8 : 4;  // btype, cLevel, cEnt (and padding in a Unicode store)
    if (!(b & kInternalBid) || bytes->size() < head || static_cast<uint8_t>((*bytes)[0]) != kBlockSubnodes) {
      return badInput(name_ + ": damaged subnode block " + hex(b));
    }
    const int level = static_cast<uint8_t>((*bytes)[1]);
    const size_t count = le16(*bytes, 2);
    const size_t entry = level == 0 ? 3 * id : 2 * id;
    if (level > 1 || level >= above || head + count * entry > bytes->size()) {
      return badInput(name_ + ": damaged subnode block " + hex(b));
    }
    for (size_t i = 0; i < count; ++i) {
      const size_t at = head + i * entry;
      const auto nid = static_cast<uint32_t>(leId(*bytes, at, u));
      if (level == 1) {
        FOLIO_TRY(self(self, leId(*bytes, at + id, u), level));
      } else {
        out[nid] = PstNodeRef{leId(*bytes, at + id, u), leId(*bytes, at + 2 * id, u)};
      }
    }
    return {};
  };
  FOLIO_TRY(walk(walk, sub, 2));
  return out;
}

}  // namespace folio::ingest::mail
