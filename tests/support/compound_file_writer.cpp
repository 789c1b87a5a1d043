#include "tests/support/compound_file_writer.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <stdexcept>

#include "tests/support/little_endian.h"

namespace folio::test {
namespace {

constexpr uint32_t kEnd = 0xFFFFFFFE, kFree = 0xFFFFFFFF, kFatSect = 0xFFFFFFFD, kDifSect = 0xFFFFFFFC;
constexpr uint32_t kNone = 0xFFFFFFFF;
constexpr size_t kCutoff = 4096;
constexpr size_t kMini = 64;

const auto put16 = put16le;
const auto put32 = put32le;

struct Dir {
  std::string name;
  uint8_t type = 2;
  uint32_t left = kNone, right = kNone, child = kNone;
  uint32_t start = kEnd;
  uint64_t size = 0;
  const std::string* data = nullptr;
};

// The order the format keeps siblings in: shorter names first, then by upper-cased name.
bool before(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < a.size(); ++i) {
    const int x = std::toupper(static_cast<unsigned char>(a[i])), y = std::toupper(static_cast<unsigned char>(b[i]));
    if (x != y) return x < y;
  }
  return false;
}

class Builder {
 public:
  std::vector<Dir> dirs;

  void add(uint32_t parent, const std::vector<CfbNode>& entries) {
    std::vector<const CfbNode*> sorted;
    for (const auto& e : entries) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(), [](const CfbNode* a, const CfbNode* b) { return before(a->name, b->name); });
    std::vector<uint32_t> ids;
    for (const CfbNode* e : sorted) {
      Dir d;
      d.name = e->name;
      d.type = e->storage ? 1 : 2;
      d.data = e->storage ? nullptr : &e->data;
      d.size = e->storage ? 0 : e->data.size();
      ids.push_back(static_cast<uint32_t>(dirs.size()));
      dirs.push_back(d);
    }
    dirs[parent].child = tree(ids, 0, ids.size());
    for (size_t i = 0; i < sorted.size(); ++i)
      if (sorted[i]->storage) add(ids[i], sorted[i]->children);
  }

 private:
  uint32_t tree(const std::vector<uint32_t>& ids, size_t lo, size_t hi) {
    if (lo >= hi) return kNone;
    const size_t mid = lo + (hi - lo) / 2;
    dirs[ids[mid]].left = tree(ids, lo, mid);
    dirs[ids[mid]].right = tree(ids, mid + 1, hi);
    return ids[mid];
  }
};

}  // namespace

std::string compoundFileBytes(const std::vector<CfbNode>& entries, int version) {
  const size_t ss = version == 4 ? 4096 : 512;
  Builder b;
  b.dirs.push_back(Dir{"Root Entry", 5});
  b.add(0, entries);

  // Small streams into the mini stream, chained in the mini allocation table.
  std::string mini_stream;
  std::vector<uint32_t> mini_fat;
  for (auto& d : b.dirs) {
    if (d.type != 2 || d.size == 0 || d.size >= kCutoff) continue;
    const uint32_t first = static_cast<uint32_t>(mini_fat.size());
    const size_t n = (d.size + kMini - 1) / kMini;
    for (size_t i = 0; i < n; ++i) mini_fat.push_back(i + 1 < n ? first + static_cast<uint32_t>(i) + 1 : kEnd);
    mini_stream += *d.data;
    mini_stream.resize(mini_fat.size() * kMini, '\0');
    d.start = first;
  }
  b.dirs[0].size = mini_stream.size();

  // Regular sectors: large streams, the mini stream, the mini table, the directory; then the
  // allocation table and its DIFAT sectors, as many as the total needs.
  std::string body;
  std::vector<uint32_t> fat;
  const auto place = [&](const std::string& data) -> uint32_t {
    if (data.empty()) return kEnd;
    const uint32_t first = static_cast<uint32_t>(fat.size());
    const size_t n = (data.size() + ss - 1) / ss;
    for (size_t i = 0; i < n; ++i) fat.push_back(i + 1 < n ? first + static_cast<uint32_t>(i) + 1 : kEnd);
    body += data;
    body.resize(fat.size() * ss, '\0');
    return first;
  };
  for (auto& d : b.dirs)
    if (d.type == 2 && d.size >= kCutoff) d.start = place(*d.data);
  b.dirs[0].start = place(mini_stream);
  std::string mini_fat_bytes(mini_fat.size() * 4, '\0');
  for (size_t i = 0; i < mini_fat.size(); ++i) put32(mini_fat_bytes, 4 * i, mini_fat[i]);
  const uint32_t mini_fat_start = place(mini_fat_bytes);
  const uint32_t mini_fat_sectors = static_cast<uint32_t>((mini_fat_bytes.size() + ss - 1) / ss);
  std::string dir_bytes(b.dirs.size() * 128, '\0');
  for (size_t i = 0; i < b.dirs.size(); ++i) {
    const Dir& d = b.dirs[i];
    if (d.name.size() > 31) throw std::invalid_argument("compound file name too long: " + d.name);
    const size_t at = i * 128;
    for (size_t c = 0; c < d.name.size(); ++c) put16(dir_bytes, at + 2 * c, static_cast<unsigned char>(d.name[c]));
    put16(dir_bytes, at + 64, static_cast<uint32_t>((d.name.size() + 1) * 2));
    dir_bytes[at + 66] = static_cast<char>(d.type);
    dir_bytes[at + 67] = 1;  // black
    put32(dir_bytes, at + 68, d.left);
    put32(dir_bytes, at + 72, d.right);
    put32(dir_bytes, at + 76, d.child);
    put32(dir_bytes, at + 116, d.start);
    put32(dir_bytes, at + 120, static_cast<uint32_t>(d.size));
    put32(dir_bytes, at + 124, static_cast<uint32_t>(d.size >> 32));
  }
  dir_bytes.resize((dir_bytes.size() + ss - 1) / ss * ss, '\0');
  // Unused directory slots are empty entries with no siblings.
  for (size_t at = b.dirs.size() * 128; at < dir_bytes.size(); at += 128) {
    put32(dir_bytes, at + 68, kNone);
    put32(dir_bytes, at + 72, kNone);
    put32(dir_bytes, at + 76, kNone);
  }
  const uint32_t dir_start = place(dir_bytes);
  const uint32_t dir_sectors = static_cast<uint32_t>(dir_bytes.size() / ss);

  const size_t per_fat = ss / 4, per_difat = ss / 4 - 1;
  size_t fat_sectors = 0, difat_sectors = 0;
  while (true) {
    const size_t total = fat.size() + fat_sectors + difat_sectors;
    const size_t need_fat = (total + per_fat - 1) / per_fat;
    const size_t need_difat = need_fat > 109 ? (need_fat - 109 + per_difat - 1) / per_difat : 0;
    if (need_fat == fat_sectors && need_difat == difat_sectors) break;
    fat_sectors = need_fat;
    difat_sectors = need_difat;
  }
  const uint32_t fat_first = static_cast<uint32_t>(fat.size());
  for (size_t i = 0; i < fat_sectors; ++i) fat.push_back(kFatSect);
  const uint32_t difat_first = static_cast<uint32_t>(fat.size());
  for (size_t i = 0; i < difat_sectors; ++i) fat.push_back(kDifSect);
  fat.resize(fat_sectors * per_fat, kFree);
  std::string fat_bytes(fat.size() * 4, '\0');
  for (size_t i = 0; i < fat.size(); ++i) put32(fat_bytes, 4 * i, fat[i]);
  body += fat_bytes;
  std::string difat_bytes(difat_sectors * ss, '\0');
  for (size_t s = 0; s < difat_sectors; ++s) {
    for (size_t i = 0; i < per_difat; ++i) {
      const size_t k = 109 + s * per_difat + i;
      put32(difat_bytes, s * ss + 4 * i, k < fat_sectors ? fat_first + static_cast<uint32_t>(k) : kFree);
    }
    put32(difat_bytes, s * ss + 4 * per_difat, s + 1 < difat_sectors ? difat_first + static_cast<uint32_t>(s) + 1 : kEnd);
  }
  body += difat_bytes;

  std::string header(ss, '\0');
  header.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  put16(header, 24, 0x3E);
  put16(header, 26, version == 4 ? 4 : 3);
  put16(header, 28, 0xFFFE);
  put16(header, 30, version == 4 ? 12 : 9);
  put16(header, 32, 6);
  put32(header, 40, version == 4 ? dir_sectors : 0);
  put32(header, 44, static_cast<uint32_t>(fat_sectors));
  put32(header, 48, dir_start);
  put32(header, 56, kCutoff);
  put32(header, 60, mini_fat_sectors > 0 ? mini_fat_start : kEnd);
  put32(header, 64, mini_fat_sectors);
  put32(header, 68, difat_sectors > 0 ? difat_first : kEnd);
  put32(header, 72, static_cast<uint32_t>(difat_sectors));
  for (size_t i = 0; i < 109; ++i) put32(header, 76 + 4 * i, i < fat_sectors ? fat_first + static_cast<uint32_t>(i) : kFree);
  return header + body;
}

}  // namespace folio::test
