#include "tests/support/pst_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <sstream>

#include "ingest/mail/pst_crypt.h"
#include "ingest/mail/pst_header.h"
#include "tests/support/msg_writer.h"

namespace folio::test {
namespace {

using ingest::mail::pstCrc;

constexpr size_t kMaxAlloc = 3580;   // the largest heap allocation; larger values go to a subnode

// Property types.
constexpr uint16_t kInt32 = 0x0003, kDouble = 0x0005, kBool = 0x000B, kObject = 0x000D, kUnicode = 0x001F, kTime = 0x0040, kBinary = 0x0102,
                   kMultipleBinary = 0x1102;

void app(std::string& b, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put(std::string& b, size_t at, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b[at + static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint16_t signature(uint64_t ib, uint64_t bid) {
  const auto v = static_cast<uint32_t>(ib ^ bid);
  return static_cast<uint16_t>((v >> 16) ^ (v & 0xFFFF));
}

std::vector<std::string> split(const std::string& bytes, size_t block_data) {
  std::vector<std::string> out;
  for (size_t at = 0; at < bytes.size(); at += block_data) out.push_back(bytes.substr(at, block_data));
  if (out.empty()) out.emplace_back();
  return out;
}

// A heap-on-node: allocations packed into pages of at most one block each. `wide_hids`: a 4 KiB-page
// store's HIDs, the block index from bit 19 (else 16).
class Heap {
 public:
  Heap(uint8_t client, size_t block_data, bool wide_hids) : client_(client), block_data_(block_data), wide_hids_(wide_hids) {
    pages_.emplace_back();
  }

  uint32_t alloc(std::string bytes) {
    size_t i = pages_.size() - 1;
    if (used(i) + bytes.size() + 1 + 4 + 2 * (pages_[i].size() + 2) > block_data_ || pages_[i].size() >= 2000) {
      pages_.emplace_back();
      ++i;
    }
    pages_[i].push_back(std::move(bytes));
    return static_cast<uint32_t>(i << (wide_hids_ ? 19 : 16) | pages_[i].size() << 5);
  }
  void setRoot(uint32_t hid) { root_ = hid; }

  std::vector<std::string> blocks() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < pages_.size(); ++i) {
      std::string b(header(i), '\0');
      std::vector<size_t> starts;
      for (const auto& a : pages_[i]) {
        starts.push_back(b.size());
        b += a;
      }
      const size_t end = b.size();
      if (b.size() % 2) b += '\0';
      put(b, 0, b.size(), 2);  // ibHnpm
      if (i == 0) {
        b[2] = static_cast<char>(0xEC);
        b[3] = static_cast<char>(client_);
        put(b, 4, root_, 4);
      }
      app(b, pages_[i].size(), 2);
      app(b, 0, 2);
      for (const size_t s : starts) app(b, s, 2);
      app(b, end, 2);
      out.push_back(std::move(b));
    }
    return out;
  }

 private:
  static size_t header(size_t i) { return i == 0 ? 12 : (i % 128 == 8 ? 66 : 2); }
  size_t used(size_t i) const {
    size_t n = header(i);
    for (const auto& a : pages_[i]) n += a.size();
    return n;
  }
  uint8_t client_;
  size_t block_data_;
  bool wide_hids_;
  uint32_t root_ = 0;
  std::vector<std::vector<std::string>> pages_;
};

// A BTH of sorted records in `heap`; the HID of its header.
uint32_t bth(Heap& heap, size_t key, size_t data, std::vector<std::string> records) {
  uint32_t root = 0;
  int levels = 0;
  size_t record = key + data;
  while (!records.empty()) {
    const size_t per = kMaxAlloc / record;
    if (records.size() <= per) {
      std::string all;
      for (const auto& r : records) all += r;
      root = heap.alloc(all);
      break;
    }
    std::vector<std::string> parents;
    for (size_t at = 0; at < records.size(); at += per) {
      std::string all;
      for (size_t i = at; i < std::min(records.size(), at + per); ++i) all += records[i];
      std::string p = records[at].substr(0, key);
      app(p, heap.alloc(all), 4);
      parents.push_back(std::move(p));
    }
    records = std::move(parents);
    record = key + 4;
    ++levels;
  }
  std::string h;
  h += static_cast<char>(0xB5);
  h += static_cast<char>(key);
  h += static_cast<char>(data);
  h += static_cast<char>(levels);
  app(h, root, 4);
  return heap.alloc(h);
}

struct SubEntry {
  uint32_t nid;
  uint64_t data, sub;
};

struct Prop {
  uint16_t id, type;
  std::string bytes;   // variable-size and 8-byte values
  uint64_t fixed = 0;  // values of 4 bytes or less
};

Prop text(uint16_t id, const std::string& s) { return {id, kUnicode, utf16le(s)}; }
Prop binary(uint16_t id, const std::string& s) { return {id, kBinary, s}; }
Prop int32(uint16_t id, uint32_t v) { return {id, kInt32, {}, v}; }
Prop boolean(uint16_t id, bool v) { return {id, kBool, {}, v ? 1u : 0u}; }
Prop time(uint16_t id, uint64_t t) {
  std::string b;
  app(b, t, 8);
  return {id, kTime, b};
}

bool fixedSmall(uint16_t type) { return type == kInt32 || type == kBool; }
bool fixed8(uint16_t type) { return type == kTime || type == kDouble; }

}  // namespace

PstPropSpec pstText(const std::string& set, uint32_t id, const std::string& text) { return {set, id, kUnicode, text, 0}; }
PstPropSpec pstTime(const std::string& set, uint32_t id, uint64_t filetime) { return {set, id, kTime, {}, filetime}; }
PstPropSpec pstInt(const std::string& set, uint32_t id, uint32_t value) { return {set, id, kInt32, {}, value}; }
PstPropSpec pstBool(const std::string& set, uint32_t id, bool value) { return {set, id, kBool, {}, value ? 1u : 0u}; }
PstPropSpec pstBinary(const std::string& set, uint32_t id, const std::string& bytes) { return {set, id, kBinary, bytes, 0}; }
PstPropSpec pstBinaries(const std::string& set, uint32_t id, std::vector<std::string> values) {
  return {set, id, kMultipleBinary, {}, 0, std::move(values)};
}
PstPropSpec pstDouble(const std::string& set, uint32_t id, double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return {set, id, kDouble, {}, bits};
}

uint64_t fileTime(int year, int month, int day, int hour, int minute, int second) {
  tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_sec = second;
  return fileTime(static_cast<int64_t>(timegm(&t)));
}

struct PstWriter::Impl {
  std::ostream& out;
  PstWriterOptions options;
  uint64_t pos = 0;
  uint64_t next_bid = 1;   // index of the next block id
  uint64_t next_page = 1;  // of the next page id
  uint32_t next_ltp = 1;   // of the next subnode id for large values
  uint32_t next_folder = 0x402, next_message = 0x10001, next_attachment = 1;
  struct BbtEntry {
    uint64_t bid, ib;
    uint16_t cb, inflated;
  };
  struct NbtEntry {
    uint32_t nid;
    uint64_t data, sub;
    uint32_t parent;
  };
  std::vector<BbtEntry> bbt;
  std::vector<NbtEntry> nbt;
  struct ContentRow {
    uint32_t nid;
    std::string message_class, subject;
    uint64_t delivered;
  };
  struct Folder {
    uint32_t nid, parent;
    std::string name;
    std::vector<uint32_t> children;
    std::vector<ContentRow> contents;
  };
  std::map<uint32_t, Folder> folders;
  std::vector<NamedPropId> named;  // the named properties' ids, for the name-to-id map
  static constexpr uint32_t kTop = 0x8022, kRoot = 0x122;

  Impl(std::ostream& o, PstWriterOptions opts) : out(o), options(std::move(opts)) {
    if (options.page4k) options.unicode = true;
    pos = dataStart();
    const std::string reserved(pos, '\0');  // the header is written last, over the start
    out.write(reserved.data(), static_cast<std::streamsize>(reserved.size()));
    folders[kRoot] = Folder{kRoot, kRoot, "", {kTop}, {}};
    folders[kTop] = Folder{kTop, kRoot, "Top of Personal Folders", {}, {}};
  }

  // A builder of one node: its heap, and the subnodes its large values and tables need.
  struct Node {
    Heap heap;
    std::vector<SubEntry> subs;
  };

  uint64_t writeBlock(std::string data, bool internal) {
    const uint64_t bid = next_bid++ << 2 | (internal ? 2 : 0);
    const size_t inflated = data.size();
    const bool scramble = !internal && crypt() != ingest::mail::PstCrypt::None;
    if (scramble && !options.scramble_after_compress) ingest::mail::pstEncrypt(crypt(), data, static_cast<uint32_t>(bid));
    // Deflated where that is smaller.
    if (options.page4k && options.compress && (!internal || options.compress_internal) && !data.empty()) {
      uLongf packed_size = compressBound(data.size());
      std::string packed(packed_size, '\0');
      compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(data.data()),
                data.size(), 6);
      packed.resize(packed_size);
      if (packed.size() < data.size()) data = std::move(packed);
    }
    if (scramble && options.scramble_after_compress) ingest::mail::pstEncrypt(crypt(), data, static_cast<uint32_t>(bid));
    const size_t cb = data.size();
    const size_t trailer = ansi() ? 12 : options.page4k ? 24 : 16;
    const size_t align = options.page4k ? 512 : 64;
    const size_t stored = (cb + trailer + align - 1) / align * align;
    std::string b = data;
    b.resize(stored - trailer, '\0');
    app(b, cb, 2);
    app(b, signature(pos, bid), 2);
    if (ansi()) {  // the ANSI trailer has the id before the CRC
      app(b, bid, 4);
      app(b, pstCrc(data), 4);
    } else {
      app(b, pstCrc(data), 4);
      app(b, bid, 8);
    }
    if (options.page4k) {  // then 2 unknown bytes, the inflated size, 4 unknown bytes
      app(b, 0, 2);
      app(b, inflated, 2);
      app(b, 0, 4);
    }
    out.write(b.data(), static_cast<std::streamsize>(b.size()));  // blocks follow one another
    bbt.push_back({bid, pos, static_cast<uint16_t>(cb), static_cast<uint16_t>(inflated)});
    pos += stored;
    return bid;
  }

  // One block, or an XBLOCK (an XXBLOCK) listing them.
  uint64_t writeData(const std::vector<std::string>& blocks) {
    if (blocks.size() == 1) return writeBlock(blocks[0], false);
    const size_t kPerX = (blockData() - 8) / id();
    auto xblock = [&](int level, const std::vector<uint64_t>& bids, uint64_t total) {
      std::string x;
      x += '\x01';
      x += static_cast<char>(level);
      app(x, bids.size(), 2);
      app(x, total, 4);
      for (const uint64_t b : bids) app(x, b, static_cast<int>(id()));
      return writeBlock(x, true);
    };
    std::vector<uint64_t> xbids;
    uint64_t all = 0;
    for (size_t at = 0; at < blocks.size(); at += kPerX) {
      std::vector<uint64_t> bids;
      uint64_t total = 0;
      for (size_t i = at; i < std::min(blocks.size(), at + kPerX); ++i) {
        bids.push_back(writeBlock(blocks[i], false));
        total += blocks[i].size();
      }
      all += total;
      if (blocks.size() <= kPerX) return xblock(1, bids, total);
      xbids.push_back(xblock(1, bids, total));
    }
    return xblock(2, xbids, all);
  }

  uint64_t writeSubnodes(std::vector<SubEntry> subs) {
    if (subs.empty()) return 0;
    std::sort(subs.begin(), subs.end(), [](const SubEntry& a, const SubEntry& b) { return a.nid < b.nid; });
    const size_t kPerSl = (blockData() - 8) / (3 * id());
    std::vector<std::pair<uint32_t, uint64_t>> sls;
    for (size_t at = 0; at < subs.size(); at += kPerSl) {
      std::string s = "\x02";
      s += '\0';
      const size_t n = std::min(subs.size() - at, kPerSl);
      app(s, n, 2);
      if (!ansi()) app(s, 0, 4);  // dwPadding (Unicode only)
      for (size_t i = at; i < at + n; ++i) {
        app(s, subs[i].nid, static_cast<int>(id()));
        app(s, subs[i].data, static_cast<int>(id()));
        app(s, subs[i].sub, static_cast<int>(id()));
      }
      sls.emplace_back(subs[at].nid, writeBlock(s, true));
    }
    if (sls.size() == 1) return sls[0].second;
    std::string s = "\x02\x01";
    app(s, sls.size(), 2);
    if (!ansi()) app(s, 0, 4);
    for (const auto& [nid, bid] : sls) {
      app(s, nid, static_cast<int>(id()));
      app(s, bid, static_cast<int>(id()));
    }
    return writeBlock(s, true);
  }

  // A value by HNID: in the heap when it fits an allocation, else in a subnode of its own.
  uint32_t hnid(Node& n, const std::string& bytes) {
    if (bytes.size() <= kMaxAlloc) return n.heap.alloc(bytes);
    const uint32_t nid = next_ltp++ << 5 | 0x1F;
    n.subs.push_back({nid, writeData(split(bytes, blockData())), 0});
    return nid;
  }

  void propertyContext(Node& n, std::vector<Prop> props) {
    std::sort(props.begin(), props.end(), [](const Prop& a, const Prop& b) { return a.id < b.id; });
    std::vector<std::string> records;
    for (const Prop& p : props) {
      std::string r;
      app(r, p.id, 2);
      app(r, p.type, 2);
      if (fixedSmall(p.type)) app(r, p.fixed, 4);
      else if (p.type == kObject) app(r, n.heap.alloc(p.bytes), 4);
      else app(r, fixed8(p.type) ? n.heap.alloc(p.bytes) : hnid(n, p.bytes), 4);
      records.push_back(std::move(r));
    }
    n.heap.setRoot(bth(n.heap, 2, 6, std::move(records)));
  }

  // A table: `columns` (id, type) besides the row id and version; rows by column id.
  void tableContext(Node& n, std::vector<std::pair<uint16_t, uint16_t>> columns, const std::vector<std::map<uint16_t, Prop>>& rows) {
    columns.insert(columns.begin(), {{0x67F2, kInt32}, {0x67F3, kInt32}});
    struct Col {
      uint16_t id, type;
      size_t at, size, bit;
    };
    std::vector<Col> cols;
    size_t at = 0;
    auto size = [](uint16_t type) -> size_t { return fixed8(type) ? 8 : type == kBool ? 1 : 4; };
    // The row id first (dwRowID), then 8- and 4-byte values, then 1-byte ones, as rgib orders them.
    for (int pass = 0; pass < 4; ++pass) {
      for (size_t i = 0; i < columns.size(); ++i) {
        const size_t s = size(columns[i].second);
        if ((pass == 0 && i == 0) || (i > 0 && ((pass == 1 && s == 8) || (pass == 2 && s == 4) || (pass == 3 && s == 1)))) {
          cols.push_back({columns[i].first, columns[i].second, at, s, i});
          at += s;
        }
      }
    }
    const size_t end4 = at - [&] { size_t ones = 0; for (const auto& c : cols) ones += c.size == 1 ? 1 : 0; return ones; }();
    const size_t end1 = at;
    const size_t row_size = end1 + (columns.size() + 7) / 8;
    std::string matrix;
    std::vector<std::string> index;
    for (size_t r = 0; r < rows.size(); ++r) {
      std::string row(row_size, '\0');
      for (const Col& c : cols) {
        auto it = rows[r].find(c.id);
        if (it == rows[r].end()) continue;
        const Prop& p = it->second;
        if (fixed8(c.type)) row.replace(c.at, 8, p.bytes.substr(0, 8));
        else if (c.size == 4 && fixedSmall(c.type)) put(row, c.at, p.fixed, 4);
        else if (c.size == 1) row[c.at] = static_cast<char>(p.fixed);
        else put(row, c.at, hnid(n, p.bytes), 4);
        row[end1 + c.bit / 8] = static_cast<char>(row[end1 + c.bit / 8] | (0x80 >> (c.bit % 8)));
      }
      std::string rec;
      rec.append(row, 0, 4);  // dwRowID: the row's 0x67F2
      app(rec, r, ansi() ? 2 : 4);
      index.push_back(rec);
      matrix += row;
    }
    std::sort(index.begin(), index.end(), [](const std::string& a, const std::string& b) {
      auto key = [](const std::string& s) { return static_cast<uint32_t>(static_cast<uint8_t>(s[0]) | static_cast<uint8_t>(s[1]) << 8 |
                                                                         static_cast<uint8_t>(s[2]) << 16 | static_cast<uint8_t>(s[3]) << 24); };
      return key(a) < key(b);
    });
    const uint32_t row_index = bth(n.heap, 4, ansi() ? 2 : 4, index);
    uint32_t rows_hnid = 0;
    if (!matrix.empty() && matrix.size() <= kMaxAlloc) {
      rows_hnid = n.heap.alloc(matrix);
    } else if (!matrix.empty()) {  // whole rows in each block of a subnode
      const size_t per = blockData() / row_size;
      std::vector<std::string> blocks;
      for (size_t r = 0; r < rows.size(); r += per) blocks.push_back(matrix.substr(r * row_size, per * row_size));
      rows_hnid = next_ltp++ << 5 | 0x1F;
      n.subs.push_back({rows_hnid, writeData(blocks), 0});
    }
    std::string info;
    info += '\x7C';
    info += static_cast<char>(columns.size());
    app(info, end4, 2);
    app(info, end4, 2);
    app(info, end1, 2);
    app(info, row_size, 2);
    app(info, row_index, 4);
    app(info, rows_hnid, 4);
    app(info, 0, 4);
    std::sort(cols.begin(), cols.end(), [](const Col& a, const Col& b) { return a.id < b.id; });
    for (const Col& c : cols) {
      app(info, static_cast<uint32_t>(c.id) << 16 | c.type, 4);
      app(info, c.at, 2);
      info += static_cast<char>(c.size);
      info += static_cast<char>(c.bit);
    }
    n.heap.setRoot(n.heap.alloc(info));
  }

  bool ansi() const { return !options.unicode; }
  size_t id() const { return ansi() ? 4 : 8; }
  size_t blockData() const {
    if (options.page4k) return options.block_data != 0 ? std::min<size_t>(options.block_data, 65512) : 65512;
    return ansi() ? 8180 : 8176;
  }
  size_t pageSize() const { return options.page4k ? 4096 : 512; }
  uint64_t dataStart() const { return options.page4k ? 0x1000 : 0x4400; }
  Heap heap(uint8_t client) const { return Heap(client, blockData(), options.page4k); }
  ingest::mail::PstCrypt crypt() const { return options.permute ? ingest::mail::PstCrypt::Permute : options.crypt; }

  // [MS-PST] 2.2.2.6 HEADER, ANSI: 32-bit ids and offsets, no second CRC.
  void ansiHeader(std::pair<uint64_t, uint64_t> nbt_root, std::pair<uint64_t, uint64_t> bbt_root) {
    std::string h(512, '\0');
    h.replace(0, 4, "!BDN");
    put(h, 8, 0x4D53, 2);
    put(h, 10, 14, 2);
    put(h, 12, 19, 2);
    h[14] = h[15] = '\x01';
    put(h, 24, next_bid << 2, 4);  // bidNextB
    put(h, 28, next_page, 4);      // bidNextP
    put(h, 32, 1, 4);
    for (int i = 0; i < 32; ++i) put(h, 36 + 4 * i, 0x20000, 4);
    put(h, 168, pos, 4);
    put(h, 172, dataStart(), 4);
    put(h, 184, nbt_root.first, 4);
    put(h, 188, nbt_root.second, 4);
    put(h, 192, bbt_root.first, 4);
    put(h, 196, bbt_root.second, 4);
    std::fill(h.begin() + 204, h.begin() + 460, '\xFF');
    h[460] = '\x80';
    h[461] = static_cast<char>(crypt());
    put(h, 4, pstCrc(std::string_view(h).substr(8, 471)), 4);
    out.seekp(0);
    out.write(h.data(), static_cast<std::streamsize>(h.size()));
    out.seekp(static_cast<std::streamoff>(pos));
    out.flush();
  }

  SubEntry finishNode(uint32_t nid, Node& n) { return {nid, writeData(n.heap.blocks()), writeSubnodes(std::move(n.subs))}; }

  // A message's node (a store's message, or an attached one): its data and subnodes.
  SubEntry message(uint32_t nid, const PstMessageSpec& m) {
    Node n{heap(0xBC), {}};
    std::vector<Prop> props{text(0x001A, m.message_class), int32(0x0E07, 1), int32(0x3FDE, 65001), boolean(0x0E1B, !m.attachments.empty())};
    if (!m.subject.empty()) props.push_back(text(0x0037, "\x01\x01" + m.subject));
    if (!m.subject.empty()) props.push_back(text(0x0E1D, m.subject));  // PR_NORMALIZED_SUBJECT
    if (m.delivery_time) props.push_back(time(0x0E06, m.delivery_time)), props.push_back(time(0x0039, m.delivery_time));
    if (!m.from_name.empty()) props.push_back(text(0x0C1A, m.from_name)), props.push_back(text(0x0042, m.from_name));
    if (!m.from_address.empty()) {
      for (uint16_t id : {0x0C1F, 0x0065, 0x5D01, 0x5D02}) props.push_back(text(id, m.from_address));
      props.push_back(text(0x0C1E, "SMTP"));
      props.push_back(text(0x0064, "SMTP"));
    }
    std::string to, cc;
    for (const auto& r : m.recipients) {
      std::string& list = r.type == 2 ? cc : to;
      if (r.type <= 2) list += (list.empty() ? "" : "; ") + r.name;
    }
    if (!to.empty()) props.push_back(text(0x0E04, to));
    if (!cc.empty()) props.push_back(text(0x0E03, cc));
    if (!m.body.empty()) props.push_back(text(0x1000, m.body));
    if (!m.html.empty()) props.push_back(binary(0x1013, m.html));
    for (const PstPropSpec& p : m.props) {
      const uint16_t id = p.set.empty() ? static_cast<uint16_t>(p.id) : namedId(p.set, p.id);
      if (p.type == kUnicode) {
        props.push_back(text(id, p.text));
      } else if (p.type == kBinary) {
        props.push_back(binary(id, p.text));
      } else if (p.type == kMultipleBinary) {  // a count, each value's offset, the values
        std::string blob;
        app(blob, p.values.size(), 4);
        size_t offset = 4 + 4 * p.values.size();
        for (const auto& v : p.values) {
          app(blob, offset, 4);
          offset += v.size();
        }
        for (const auto& v : p.values) blob += v;
        props.push_back({id, kMultipleBinary, blob});
      } else if (fixed8(p.type)) {
        std::string bytes;
        app(bytes, p.value, 8);
        props.push_back({id, p.type, bytes});
      } else {
        props.push_back({id, p.type, {}, p.value});
      }
    }
    propertyContext(n, props);

    if (!m.recipients.empty()) {
      Node t{heap(0x7C), {}};
      std::vector<std::map<uint16_t, Prop>> rows;
      uint32_t row_id = 0;
      for (const auto& r : m.recipients) {
        rows.push_back({{0x67F2, int32(0x67F2, row_id++)}, {0x0C15, int32(0x0C15, static_cast<uint32_t>(r.type))},
                        {0x3001, text(0x3001, r.name)}, {0x3002, text(0x3002, "SMTP")}, {0x3003, text(0x3003, r.address)},
                        {0x39FE, text(0x39FE, r.address)}});
      }
      tableContext(t, {{0x0C15, kInt32}, {0x3001, kUnicode}, {0x3002, kUnicode}, {0x3003, kUnicode}, {0x39FE, kUnicode}}, rows);
      n.subs.push_back(finishNode(0x692, t));
    }
    if (!m.attachments.empty()) {
      Node t{heap(0x7C), {}};
      std::vector<std::map<uint16_t, Prop>> rows;
      for (const auto& a : m.attachments) {
        const uint32_t anid = next_attachment++ << 5 | 0x05;
        Node an{heap(0xBC), {}};
        std::vector<Prop> ap{int32(0x0E20, static_cast<uint32_t>(a.data.size())), int32(0x370B, 0xFFFFFFFF)};
        if (a.message) {
          ap.push_back(int32(0x3705, 5));
          ap.push_back(text(0x3001, a.message->subject));
          const uint32_t mnid = next_ltp++ << 5 | 0x1F;
          an.subs.push_back(message(mnid, *a.message));
          std::string ref;
          app(ref, mnid, 4);
          app(ref, 0, 4);
          ap.push_back({0x3701, kObject, ref});
        } else {
          ap.push_back(int32(0x3705, 1));
          ap.push_back(text(0x3707, a.file_name));
          ap.push_back(text(0x3704, a.file_name));
          ap.push_back(text(0x3001, a.file_name));
          if (!a.mime_type.empty()) ap.push_back(text(0x370E, a.mime_type));
          ap.push_back(binary(0x3701, a.data));
        }
        propertyContext(an, ap);
        n.subs.push_back(finishNode(anid, an));
        rows.push_back({{0x67F2, int32(0x67F2, anid)},
                        {0x3705, int32(0x3705, a.message ? 5 : 1)},
                        {0x0E20, int32(0x0E20, static_cast<uint32_t>(a.data.size()))}});
      }
      tableContext(t, {{0x0E20, kInt32}, {0x3705, kInt32}}, rows);
      n.subs.push_back(finishNode(0x671, t));
    }
    return finishNode(nid, n);
  }

  void node(uint32_t nid, uint32_t parent, Node& n) {
    const SubEntry e = finishNode(nid, n);
    nbt.push_back({nid, e.data, e.sub, parent});
  }

  void folderNodes(const Folder& f) {
    Node pc{heap(0xBC), {}};
    std::vector<Prop> props{int32(0x3602, static_cast<uint32_t>(f.contents.size())), int32(0x3603, 0),
                            boolean(0x360A, !f.children.empty())};
    if (!f.name.empty()) props.push_back(text(0x3001, f.name));
    if (f.nid != kRoot && f.nid != kTop) props.push_back(text(0x3613, "IPF.Note"));
    propertyContext(pc, props);
    node(f.nid, f.parent, pc);

    const uint32_t base = f.nid & ~0x1Fu;
    Node h{heap(0x7C), {}};
    std::vector<std::map<uint16_t, Prop>> rows;
    for (const uint32_t c : f.children) {
      const Folder& child = folders.at(c);
      rows.push_back({{0x67F2, int32(0x67F2, c)}, {0x3001, text(0x3001, child.name)},
                      {0x3602, int32(0x3602, static_cast<uint32_t>(child.contents.size()))}, {0x3603, int32(0x3603, 0)},
                      {0x360A, boolean(0x360A, !child.children.empty())}});
    }
    tableContext(h, {{0x3001, kUnicode}, {0x3602, kInt32}, {0x3603, kInt32}, {0x360A, kBool}}, rows);
    node(base | 0x0D, 0, h);

    Node c{heap(0x7C), {}};
    rows.clear();
    for (const auto& m : f.contents) {
      std::map<uint16_t, Prop> row{{0x67F2, int32(0x67F2, m.nid)}, {0x0E07, int32(0x0E07, 1)}, {0x001A, text(0x001A, m.message_class)}};
      if (!m.subject.empty()) row[0x0037] = text(0x0037, m.subject);
      if (m.delivered) row[0x0E06] = time(0x0E06, m.delivered);
      rows.push_back(std::move(row));
    }
    tableContext(c, {{0x001A, kUnicode}, {0x0037, kUnicode}, {0x0E06, kTime}, {0x0E07, kInt32}}, rows);
    node(base | 0x0E, 0, c);
    Node a{heap(0x7C), {}};
    tableContext(a, {{0x001A, kUnicode}}, {});
    node(base | 0x0F, 0, a);
  }

  // The id a named property gets: the next free one from 0x8000, in the order the store meets them.
  uint16_t namedId(const std::string& set, uint32_t lid) {
    for (const auto& n : named)
      if (n.set == set && n.lid == lid) return n.id;
    named.push_back({set, lid, static_cast<uint16_t>(0x8000 + named.size())});
    return named.back().id;
  }

  // Node 0x61: the name-to-id map's streams, and its bucket count ([MS-PST] 2.4.7; readers look up
  // names through the streams, not the hash buckets, which are not written).
  void nameToIdMap() {
    if (options.name_map == PstNameMap::Missing) return;
    NameIdStreams streams = nameIdStreams(named);
    if (options.name_map == PstNameMap::Damaged) streams.entries += "\x01\x02\x03";  // a cut entry
    Node n{heap(0xBC), {}};
    propertyContext(n, {int32(0x0001, 251), binary(0x0002, streams.guids), binary(0x0003, streams.entries),
                        binary(0x0004, streams.strings)});
    node(0x61, 0, n);
  }

  void store() {
    Node n{heap(0xBC), {}};
    const std::string uid = "FolioTestStore!!";  // 16 bytes: the store's record key
    std::string top;
    app(top, 0, 4);
    top += uid;
    app(top, kTop, 4);
    std::vector<Prop> props{text(0x3001, options.store_name), binary(0x0FF9, uid), binary(0x35E0, top)};
    if (options.password_crc != 0) props.push_back(int32(0x67FF, options.password_crc));
    propertyContext(n, props);
    node(0x21, 0, n);
  }

  // A B-tree of `entries` (sorted; each starts with its key) in 512-byte pages (4 KiB ones in a 4 KiB-page
  // store: 2-byte counts, a 24-byte trailer); its root (bid, ib).
  std::pair<uint64_t, uint64_t> btree(std::vector<std::string> entries, size_t entry_size, uint8_t type) {
    const size_t page = pageSize();
    const size_t area = options.page4k ? 4056 : ansi() ? 496 : 488;  // the entries, before cEnt, cEntMax, cbEnt, cLevel
    const size_t trailer = options.page4k ? 24 : ansi() ? 12 : 16;
    int level = 0;
    for (;;) {
      const size_t most = area / entry_size;  // cEntMax
      const size_t per = options.page_entries != 0 ? std::min(most, std::max<size_t>(options.page_entries, 2)) : most;
      std::vector<std::string> parents;
      size_t at = 0;
      do {
        const size_t n = std::min(entries.size() - at, per);
        std::string p;
        for (size_t i = at; i < at + n; ++i) p += entries[i];
        p.resize(area, '\0');
        app(p, n, options.page4k ? 2 : 1);
        app(p, most, options.page4k ? 2 : 1);
        p += static_cast<char>(entry_size);
        p += static_cast<char>(level);
        if (!ansi()) p.resize(page - trailer, '\0');  // dwPadding (10 bytes in a 4 KiB page)
        const std::string pad((page - pos % page) % page, '\0');  // pages are aligned to their size
        out.write(pad.data(), static_cast<std::streamsize>(pad.size()));
        pos += pad.size();
        const uint64_t bid = next_page++;
        p += static_cast<char>(type);
        p += static_cast<char>(type);
        app(p, signature(pos, bid), 2);
        const uint32_t crc = pstCrc(std::string_view(p).substr(0, page - trailer));
        if (ansi()) {
          app(p, bid, 4);
          app(p, crc, 4);
        } else {
          app(p, crc, 4);
          app(p, bid, 8);
        }
        if (options.page4k) app(p, 0, 8);
        out.write(p.data(), static_cast<std::streamsize>(page));
        std::string parent = n > 0 ? entries[at].substr(0, id()) : std::string(id(), '\0');
        app(parent, bid, static_cast<int>(id()));
        app(parent, pos, static_cast<int>(id()));
        parents.push_back(parent);
        pos += page;
        at += n;
      } while (at < entries.size());
      if (parents.size() == 1) return {next_page - 1, pos - page};
      entries = std::move(parents);
      entry_size = 3 * id();
      ++level;
    }
  }

  void finish() {
    store();
    nameToIdMap();
    for (const auto& [nid, f] : folders) folderNodes(f);
    std::sort(bbt.begin(), bbt.end(), [](const BbtEntry& a, const BbtEntry& b) { return a.bid < b.bid; });
    std::sort(nbt.begin(), nbt.end(), [](const NbtEntry& a, const NbtEntry& b) { return a.nid < b.nid; });
    std::vector<std::string> be, ne;
    for (const auto& e : bbt) {
      std::string s;
      app(s, e.bid, static_cast<int>(id()));
      app(s, e.ib, static_cast<int>(id()));
      app(s, e.cb, 2);
      if (options.page4k) app(s, e.inflated, 2);  // then cRef and 2 bytes of padding
      app(s, 2, 2);
      if (!ansi()) app(s, 0, options.page4k ? 2 : 4);
      be.push_back(s);
    }
    for (const auto& e : nbt) {
      std::string s;
      app(s, e.nid, static_cast<int>(id()));
      app(s, e.data, static_cast<int>(id()));
      app(s, e.sub, static_cast<int>(id()));
      app(s, e.parent, 4);
      if (!ansi()) app(s, 0, 4);
      ne.push_back(s);
    }
    const auto bbt_root = btree(be, ansi() ? 12 : 24, 0x80);
    const auto nbt_root = btree(ne, ansi() ? 16 : 32, 0x81);
    if (ansi()) return ansiHeader(nbt_root, bbt_root);
    std::string h(564, '\0');
    h.replace(0, 4, "!BDN");
    put(h, 8, options.page4k ? 0x4F53 : 0x4D53, 2);  // "SM", or "SO": an offline store
    put(h, 10, options.page4k ? 36 : 23, 2);         // Unicode, or Unicode with 4 KiB pages
    put(h, 12, 19, 2);
    h[14] = h[15] = '\x01';
    put(h, 32, next_page, 8);  // bidNextP
    put(h, 40, 1, 4);          // dwUnique
    for (int i = 0; i < 32; ++i) put(h, 44 + 4 * i, 0x20000, 4);  // rgnid: the next id of each type
    put(h, 184, pos, 8);       // ibFileEof
    put(h, 192, dataStart(), 8);
    put(h, 216, nbt_root.first, 8);
    put(h, 224, nbt_root.second, 8);
    put(h, 232, bbt_root.first, 8);
    put(h, 240, bbt_root.second, 8);
    h[248] = 0;  // fAMapValid: no allocation map is written
    std::fill(h.begin() + 256, h.begin() + 512, '\xFF');  // rgbFM, rgbFP (unused)
    h[512] = '\x80';
    h[513] = static_cast<char>(crypt());
    put(h, 516, next_bid << 2, 8);  // bidNextB
    put(h, 4, pstCrc(std::string_view(h).substr(8, 471)), 4);
    put(h, 524, pstCrc(std::string_view(h).substr(8, 516)), 4);
    out.seekp(0);
    out.write(h.data(), static_cast<std::streamsize>(h.size()));
    out.seekp(static_cast<std::streamoff>(pos));
    out.flush();
  }
};

PstWriter::PstWriter(std::ostream& out, PstWriterOptions options) : impl_(std::make_unique<Impl>(out, std::move(options))) {}
PstWriter::~PstWriter() = default;

uint32_t PstWriter::addFolder(uint32_t parent, const std::string& name) {
  if (parent == 0) parent = Impl::kTop;
  const uint32_t nid = impl_->next_folder++ << 5 | 0x02;
  impl_->folders[nid] = Impl::Folder{nid, parent, name, {}, {}};
  impl_->folders.at(parent).children.push_back(nid);
  return nid;
}

void PstWriter::addMessage(uint32_t folder, const PstMessageSpec& message) {
  const uint32_t nid = impl_->next_message++ << 5 | 0x04;
  const SubEntry e = impl_->message(nid, message);
  impl_->nbt.push_back({nid, e.data, e.sub, folder});
  impl_->folders.at(folder).contents.push_back({nid, message.message_class, message.subject, message.delivery_time});
}

void PstWriter::finish() { impl_->finish(); }

std::string makePst(const std::vector<PstFolderSpec>& folders, const PstWriterOptions& options) {
  std::stringstream out(std::ios::in | std::ios::out | std::ios::binary);
  PstWriter w(out, options);
  auto add = [&](auto&& self, uint32_t parent, const PstFolderSpec& f) -> void {
    const uint32_t nid = w.addFolder(parent, f.name);
    for (const auto& m : f.messages) w.addMessage(nid, m);
    for (const auto& c : f.folders) self(self, nid, c);
  };
  for (const auto& f : folders) add(add, 0, f);
  w.finish();
  std::string s = out.str();
  return s;
}

}  // namespace folio::test
