#include "ingest/ole/summary_information.h"

#include <algorithm>
#include <cstdint>

#include "ingest/charset.h"

namespace folio::ingest::ole {
namespace {

constexpr uint32_t kCodePage = 1, kTitle = 2, kAuthor = 4;
constexpr uint32_t kVtI2 = 2, kVtLpstr = 0x1E, kVtLpwstr = 0x1F;

uint32_t u32(std::string_view b, uint64_t at) {
  if (at > b.size() || b.size() - at < 4) return 0;
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[at + static_cast<uint64_t>(i)]);
  return v;
}

std::string trimNuls(std::string s) {
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

}  // namespace

SummaryInformation readSummaryInformation(std::string_view s) {
  SummaryInformation out;
  // Header (28 bytes: byte order, version, system, class id, number of sets), then the first set's
  // format id (16 bytes) and offset.
  if (s.size() < 48 || (u32(s, 0) & 0xFFFF) != 0xFFFE || u32(s, 24) == 0) return out;
  const uint64_t set = u32(s, 44);
  if (set >= s.size()) return out;
  const std::string_view ps = s.substr(set, std::min<uint64_t>(u32(s, set), s.size() - set));
  const uint32_t count = u32(ps, 4);
  if (count > (ps.size() - std::min<size_t>(ps.size(), 8)) / 8) return out;
  std::string code_page = "CP1252";
  std::string_view title, author;
  uint32_t title_type = 0, author_type = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t id = u32(ps, 8 + 8 * uint64_t{i});
    const uint64_t at = u32(ps, 12 + 8 * uint64_t{i});
    if (at + 8 > ps.size()) continue;
    const uint32_t type = u32(ps, at) & 0xFFFF;
    if (id == kCodePage && type == kVtI2) {
      const uint32_t cp = u32(ps, at + 4) & 0xFFFF;
      code_page = cp == 65001 ? "UTF-8" : cp == 1200 ? "UTF-16LE" : "CP" + std::to_string(cp);
    } else if ((id == kTitle || id == kAuthor) && (type == kVtLpstr || type == kVtLpwstr)) {
      const uint64_t n = uint64_t{u32(ps, at + 4)} * (type == kVtLpwstr ? 2 : 1);
      const std::string_view value = ps.substr(at + 8, std::min<uint64_t>(n, ps.size() - at - 8));
      (id == kTitle ? title : author) = value;
      (id == kTitle ? title_type : author_type) = type;
    }
  }
  auto text = [&](std::string_view v, uint32_t type) {
    std::string t = type == kVtLpwstr ? utf16leToUtf8(v, true) : toUtf8(trimNuls(std::string(v)), code_page);
    return trimNuls(std::move(t));
  };
  out.title = text(title, title_type);
  out.author = text(author, author_type);
  return out;
}

SummaryInformation readSummaryInformation(const CompoundFile& file, uint64_t max_bytes) {
  const auto entry = file.find("\005SummaryInformation");
  if (!entry || entry->storage) return {};
  auto bytes = file.read(*entry, max_bytes);
  return bytes.ok() ? readSummaryInformation(*bytes) : SummaryInformation{};
}

}  // namespace folio::ingest::ole
