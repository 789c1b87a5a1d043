#include "ingest/office/doc_styles.h"

#include <algorithm>
#include <cctype>

#include "engine/common/ascii_case.h"
#include "ingest/charset.h"
#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

constexpr uint16_t kStiTitle = 62, kStiToc1 = 19, kStiToc9 = 27;
constexpr uint16_t kParagraphStyle = 1;  // stk

// "heading 3" -> 2; -1 for other names.
int headingNumber(const std::string& name, std::string_view prefix) {
  if (name.size() != prefix.size() + 1 || name.compare(0, prefix.size(), prefix) != 0) return -1;
  const char d = name.back();
  return d >= '1' && d <= '9' ? d - '1' : -1;
}

}  // namespace

DocStyles DocStyles::parse(std::string_view table, FcLcb stshf) {
  DocStyles out;
  const DocBytes t{table};
  if (stshf.lcb < 4 || !t.has(stshf.fc, stshf.lcb)) return out;
  const DocBytes b{t.sub(stshf.fc, stshf.lcb)};
  const uint16_t cb_stshi = b.u16(0);
  const uint16_t cstd = b.u16(2);
  const uint16_t cb_base = b.u16(4);  // StdfBase (10) or StdfBase + StdfPost2000 (18)
  if (cb_base < 10) return out;
  uint64_t at = 2 + uint64_t{cb_stshi};
  out.styles_.reserve(std::min<uint64_t>(cstd, b.data.size() / 2));
  for (uint16_t istd = 0; istd < cstd && b.has(at, 2); ++istd) {
    const uint16_t cb = b.u16(at);
    const DocBytes std_bytes{b.sub(at + 2, cb)};
    at += 2 + cb + (cb & 1);  // each LPStd starts at an even offset
    Style s;
    if (cb >= cb_base && std_bytes.data.size() == cb) {
      s.present = true;
      s.sti = std_bytes.u16(0) & 0x0FFF;
      const uint16_t stk = std_bytes.u16(2) & 0x000F;
      s.base = std_bytes.u16(2) >> 4;
      const uint16_t cupx = std_bytes.u16(4) & 0x000F;
      // The name: a 16-bit count, UTF-16 characters and a terminating 0.
      uint64_t p = cb_base;
      const uint16_t cch = std_bytes.u16(p);
      s.name = lowerAscii(utf16leToUtf8(std_bytes.sub(p + 2, 2 * uint64_t{cch})));
      p += 2 + 2 * uint64_t{cch} + 2;
      // The first UPX of a paragraph style: its paragraph properties (an istd, then sprms).
      if (stk == kParagraphStyle && cupx >= 1 && std_bytes.has(p, 2)) {
        if (p & 1) ++p;
        const uint16_t cb_upx = std_bytes.u16(p);
        const std::string_view upx = std_bytes.sub(p + 2, cb_upx);
        if (upx.size() >= 2) s.own.apply(upx.substr(2));
      }
    }
    out.styles_.push_back(std::move(s));
  }
  return out;
}

ParagraphProperties DocStyles::properties(uint16_t istd) const {
  std::vector<const Style*> chain;
  for (uint16_t id = istd; chain.size() < 16;) {
    const Style* s = find(id);
    if (s == nullptr || std::find(chain.begin(), chain.end(), s) != chain.end()) break;
    chain.push_back(s);
    id = s->base;
  }
  ParagraphProperties out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) out = out.mergedWith((*it)->own);
  out.istd = istd;
  return out;
}

int DocStyles::outlineLevel(uint16_t istd) const {
  if (isTitle(istd)) return 0;
  const ParagraphProperties p = properties(istd);
  if (p.outline) return *p.outline >= 0 && *p.outline < 9 ? *p.outline : -1;
  for (uint16_t id = istd, hops = 0; hops < 16; ++hops) {
    const Style* s = find(id);
    if (s == nullptr) break;
    if (s->sti >= 1 && s->sti <= 9) return s->sti - 1;  // Heading 1..9
    if (const int n = headingNumber(s->name, "heading "); n >= 0) return n;
    id = s->base;
  }
  return -1;
}

bool DocStyles::isTitle(uint16_t istd) const {
  const Style* s = find(istd);
  return s != nullptr && (s->sti == kStiTitle || s->name == "title");
}

bool DocStyles::isTableOfContents(uint16_t istd) const {
  const Style* s = find(istd);
  return s != nullptr && ((s->sti >= kStiToc1 && s->sti <= kStiToc9) || headingNumber(s->name, "toc ") >= 0);
}

}  // namespace folio::ingest::office
