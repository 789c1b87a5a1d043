#include "ingest/ole/compound_file.h"

#include <algorithm>
#include <cctype>

#include "ingest/charset.h"

namespace folio::ingest::ole {
namespace {

constexpr std::string_view kSignature("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
constexpr uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr uint32_t kFreeSector = 0xFFFFFFFF;
constexpr uint32_t kNoStream = 0xFFFFFFFF;
constexpr size_t kHeaderFatSlots = 109;  // the first FAT sector numbers, kept in the header
constexpr uint32_t kMiniSectorSize = 64;
constexpr size_t kDirEntrySize = 128;

uint16_t u16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}

uint32_t u32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(u16(b, at)) | static_cast<uint32_t>(u16(b, at + 2)) << 16;
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool isCompoundFile(std::string_view bytes) { return bytes.substr(0, kSignature.size()) == kSignature; }

Result<CompoundFile> CompoundFile::open(std::string_view bytes, const std::string& name) {
  CompoundFile file(bytes, name);
  auto parsed = file.parse();
  if (!parsed.ok()) return parsed.error();
  return file;
}

Result<void> CompoundFile::parse() {
  const std::string where = name_ + ": OLE compound file";
  if (bytes_.size() < 512 || !isCompoundFile(bytes_)) return badInput(where + ": no compound file header");
  const uint16_t major = u16(bytes_, 26);
  const uint16_t shift = u16(bytes_, 30);
  if (!((major == 3 && shift == 9) || (major == 4 && shift == 12))) {
    return badInput(where + ": unknown version " + std::to_string(major) + " with sectors of 2^" + std::to_string(shift) +
                    " bytes");
  }
  sector_size_ = 1u << shift;
  if (bytes_.size() <= sector_size_) return badInput(where + ": nothing after the header");
  sector_count_ = (bytes_.size() - sector_size_ + sector_size_ - 1) / sector_size_;
  mini_cutoff_ = u32(bytes_, 56);
  const uint32_t fat_sectors = u32(bytes_, 44);
  if (fat_sectors > sector_count_) return badInput(where + ": claims " + std::to_string(fat_sectors) + " allocation table sectors in a file of " + std::to_string(sector_count_));

  // The allocation table's own sectors: 109 in the header, the rest in a chain of DIFAT sectors.
  std::vector<uint32_t> fat_at;
  for (size_t i = 0; i < kHeaderFatSlots && fat_at.size() < fat_sectors; ++i) fat_at.push_back(u32(bytes_, 76 + 4 * i));
  uint32_t difat = u32(bytes_, 68);
  const size_t per_difat = sector_size_ / 4 - 1;
  for (uint64_t steps = 0; fat_at.size() < fat_sectors; ++steps) {
    if (difat >= sector_count_ || steps > sector_count_) {
      return badInput(where + ": the list of allocation table sectors ends after " + std::to_string(fat_at.size()) +
                      " of " + std::to_string(fat_sectors));
    }
    const std::string_view s = bytes_.substr((static_cast<uint64_t>(difat) + 1) * sector_size_, sector_size_);
    if (s.size() < sector_size_) return badInput(where + ": truncated in sector " + std::to_string(difat));
    for (size_t i = 0; i < per_difat && fat_at.size() < fat_sectors; ++i) fat_at.push_back(u32(s, 4 * i));
    difat = u32(s, 4 * per_difat);
  }
  fat_.reserve(fat_at.size() * (sector_size_ / 4));
  for (uint32_t at : fat_at) {
    if (at >= sector_count_) return badInput(where + ": allocation table sector " + std::to_string(at) + " is past the end of the file");
    const std::string_view s = bytes_.substr((static_cast<uint64_t>(at) + 1) * sector_size_, sector_size_);
    for (size_t i = 0; i + 4 <= s.size(); i += 4) fat_.push_back(u32(s, i));
  }

  // The directory: 128-byte entries in a chain of sectors.
  auto dir = chain(u32(bytes_, 48), UINT64_MAX, false, "the directory");
  if (!dir.ok()) return dir.error().context(where);
  for (size_t at = 0; at + kDirEntrySize <= dir->size(); at += kDirEntrySize) {
    const std::string_view e = std::string_view(*dir).substr(at, kDirEntrySize);
    DirEntry d;
    const size_t name_bytes = std::min<size_t>(u16(e, 64), 64);
    d.name = utf16leToUtf8(e.substr(0, name_bytes), true);
    d.type = static_cast<uint8_t>(e[66]);
    d.left = u32(e, 68);
    d.right = u32(e, 72);
    d.child = u32(e, 76);
    d.start = u32(e, 116);
    d.size = major == 3 ? u32(e, 120) : static_cast<uint64_t>(u32(e, 120)) | static_cast<uint64_t>(u32(e, 124)) << 32;
    dir_.push_back(std::move(d));
  }
  if (dir_.empty() || dir_[kRoot].type != 5) return badInput(where + ": the directory has no root entry");

  // Small streams live in the mini stream (the root entry's stream) in 64-byte sectors listed in the
  // mini allocation table.
  if (dir_[kRoot].size > 0) {
    if (dir_[kRoot].size > bytes_.size()) return badInput(where + ": the mini stream is larger than the file");
    auto mini = chain(dir_[kRoot].start, dir_[kRoot].size, false, "the mini stream");
    if (!mini.ok()) return mini.error().context(where);
    mini_stream_ = std::move(*mini);
    const uint64_t mini_fat_bytes = static_cast<uint64_t>(u32(bytes_, 64)) * sector_size_;
    if (mini_fat_bytes > bytes_.size()) return badInput(where + ": the mini allocation table is larger than the file");
    auto mini_fat = chain(u32(bytes_, 60), mini_fat_bytes, false, "the mini allocation table");
    if (!mini_fat.ok()) return mini_fat.error().context(where);
    for (size_t i = 0; i + 4 <= mini_fat->size(); i += 4) mini_fat_.push_back(u32(*mini_fat, i));
  }
  return {};
}

// The bytes of the chain starting at `start`, `size` of them (UINT64_MAX: up to the end of the chain).
Result<std::string> CompoundFile::chain(uint32_t start, uint64_t size, bool mini, const std::string& what) const {
  const std::vector<uint32_t>& table = mini ? mini_fat_ : fat_;
  const uint32_t unit = mini ? kMiniSectorSize : sector_size_;
  const bool to_end = size == UINT64_MAX;
  std::string out;
  if (!to_end) out.reserve(static_cast<size_t>(std::min<uint64_t>(size, bytes_.size())));
  std::vector<bool> visited(table.size(), false);
  uint32_t sector = start;
  while (to_end || out.size() < size) {
    if (to_end && sector == kEndOfChain) break;
    if (sector > kMaxRegularSector || sector >= table.size()) {
      if (to_end && (sector == kFreeSector || sector > kMaxRegularSector)) break;
      return badInput(what + ": its chain of sectors ends after " + std::to_string(out.size()) + " of " +
                      std::to_string(size) + " bytes");
    }
    if (visited[sector]) return badInput(what + ": its chain of sectors loops");
    visited[sector] = true;
    std::string_view s;
    if (mini) {
      const uint64_t at = static_cast<uint64_t>(sector) * unit;
      if (at >= mini_stream_.size()) return badInput(what + ": mini sector " + std::to_string(sector) + " is past the end of the mini stream");
      s = std::string_view(mini_stream_).substr(at, unit);
    } else {
      const uint64_t at = (static_cast<uint64_t>(sector) + 1) * unit;
      if (at >= bytes_.size()) return badInput(what + ": sector " + std::to_string(sector) + " is past the end of the file (truncated?)");
      s = bytes_.substr(at, unit);
    }
    const size_t take = to_end ? s.size() : static_cast<size_t>(std::min<uint64_t>(s.size(), size - out.size()));
    if (!to_end && take < std::min<uint64_t>(unit, size - out.size())) return badInput(what + ": the file ends inside it (truncated?)");
    out.append(s.substr(0, take));
    sector = table[sector];
  }
  return out;
}

CompoundFile::Entry CompoundFile::entryOf(uint32_t id) const {
  const DirEntry& d = dir_[id];
  Entry e;
  e.id = id;
  e.name = d.name;
  e.storage = d.type == 1 || d.type == 5;
  e.size = e.storage ? 0 : d.size;
  return e;
}

std::vector<CompoundFile::Entry> CompoundFile::children(uint32_t id) const {
  std::vector<Entry> out;
  if (id >= dir_.size() || (dir_[id].type != 1 && dir_[id].type != 5)) return out;
  // The children form a binary tree through their left and right links; each is visited once, so a
  // link back up the tree cannot loop.
  std::vector<bool> seen(dir_.size(), false);
  std::vector<uint32_t> stack;
  uint32_t node = dir_[id].child;
  while (true) {
    while (node != kNoStream && node < dir_.size() && !seen[node]) {
      seen[node] = true;
      stack.push_back(node);
      node = dir_[node].left;
    }
    if (stack.empty()) break;
    const uint32_t at = stack.back();
    stack.pop_back();
    if (dir_[at].type == 1 || dir_[at].type == 2) out.push_back(entryOf(at));
    node = dir_[at].right;
  }
  return out;
}

std::optional<CompoundFile::Entry> CompoundFile::child(uint32_t id, std::string_view name) const {
  for (auto& e : children(id))
    if (sameName(e.name, name)) return e;
  return std::nullopt;
}

std::optional<CompoundFile::Entry> CompoundFile::find(std::string_view path) const {
  Entry at = entryOf(kRoot);
  while (!path.empty()) {
    const size_t slash = path.find('/');
    auto next = child(at.id, path.substr(0, slash));
    if (!next) return std::nullopt;
    at = *next;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return at;
}

Result<std::string> CompoundFile::read(const Entry& stream, uint64_t max_bytes) const {
  const std::string what = name_ + ": stream \"" + stream.name + "\"";
  if (stream.storage) return badInput(what + " is a storage");
  if (stream.size > max_bytes) {
    return badInput(what + " is " + std::to_string(stream.size) + " bytes, more than the " + std::to_string(max_bytes) + " read");
  }
  if (stream.size > bytes_.size()) return badInput(what + " claims more bytes than the file has");
  if (stream.size == 0) return std::string();
  const bool mini = stream.size < mini_cutoff_;
  return chain(dir_[stream.id].start, stream.size, mini, what);
}

Result<std::optional<std::string>> CompoundFile::readPath(std::string_view path, uint64_t max_bytes) const {
  auto entry = find(path);
  if (!entry || entry->storage) return std::optional<std::string>();
  auto bytes = read(*entry, max_bytes);
  if (!bytes.ok()) return bytes.error();
  return std::optional<std::string>(std::move(*bytes));
}

}  // namespace folio::ingest::ole
