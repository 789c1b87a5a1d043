#include "ingest/office/doc_properties.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <unordered_set>

#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

constexpr size_t kPage = 512;  // an FKP

// Sprms ([MS-DOC] 2.6.2) read here.
constexpr uint16_t kPIstd = 0x4600, kPFInTable = 0x2416, kPFTtp = 0x2417, kPItap = 0x6649, kPDtap = 0x664A,
                   kPFInnerTableCell = 0x244B, kPFInnerTtp = 0x244C, kPIlvl = 0x260A, kPIlfo = 0x460B,
                   kPOutLvl = 0x2640, kPFPageBreakBefore = 0x2407,
                   kTTableHeader = 0x3404;
constexpr uint16_t kCFRMarkDel = 0x0800, kCFVanish = 0x083C, kCSymbol = 0x6A09;
// Revision marks: inserted, its author and time; a deletion's own author and time (Word 2002 and later;
// Word 97 writes the deletion's in the first two); formatting changed.
constexpr uint16_t kCFRMarkIns = 0x0801, kCIbstRMark = 0x4804, kCDttmRMark = 0x6805, kCIbstRMarkDel = 0x4863,
                   kCDttmRMarkDel = 0x6864, kCPropRMark90 = 0xCA89, kCPropRMark = 0xCA57;
constexpr uint16_t kSBkc = 0x3009, kSFTitlePage = 0x300A;
constexpr uint16_t kTDefTable = 0xD608, kTDefTable10 = 0xD606, kPChgTabs = 0xC615;

int operandInt(std::string_view op) {
  const DocBytes b{op};
  switch (op.size()) {
    case 1: return b.u8(0);
    case 2: return b.i16(0);
    case 4: return b.i32(0);
    default: return 0;
  }
}

// Calls f(begin, end, properties bytes) for each run of the FKPs the bin table lists; `papx` for
// paragraph pages (PapxFkp), else character pages (ChpxFkp).
template <class F>
void forEachFkpRun(std::string_view word_document, std::string_view table, FcLcb bte, bool papx, F&& f) {
  const DocBytes t{table}, w{word_document};
  if (bte.lcb < 12 || !t.has(bte.fc, bte.lcb)) return;
  const uint64_t n = (bte.lcb - 4) / 8;  // n+1 offsets, n page numbers
  std::unordered_set<uint32_t> seen;
  for (uint64_t i = 0; i < n; ++i) {
    const uint32_t pn = t.u32(bte.fc + 4 * (n + 1) + 4 * i) & 0x3FFFFF;
    if (!seen.insert(pn).second) continue;
    const uint64_t page_at = uint64_t{pn} * kPage;
    if (!w.has(page_at, kPage)) continue;
    const DocBytes page{w.sub(page_at, kPage)};
    const uint8_t crun = page.u8(kPage - 1);
    if (crun == 0 || (papx ? crun > 0x1D : crun > 0x65)) continue;
    const size_t offsets_end = 4 * (size_t{crun} + 1);
    for (size_t r = 0; r < crun; ++r) {
      const uint32_t begin = page.u32(4 * r), end = page.u32(4 * (r + 1));
      std::string_view props;
      if (papx) {
        const size_t word_offset = page.u8(offsets_end + 13 * r);  // BxPap: bOffset, then a 12-byte PHE
        if (word_offset != 0) {
          const size_t at = 2 * word_offset;
          const uint8_t cb = page.u8(at);
          props = cb != 0 ? page.sub(at + 1, 2 * size_t{cb} - 1) : page.sub(at + 2, 2 * size_t{page.u8(at + 1)});
        }
      } else {
        const size_t word_offset = page.u8(offsets_end + r);
        if (word_offset != 0) props = page.sub(2 * word_offset + 1, page.u8(2 * word_offset));
      }
      if (begin < end) f(begin, end, props);
    }
  }
}

}  // namespace

size_t sprmOperandSize(uint16_t sprm, std::string_view operand) {
  const DocBytes b{operand};
  switch (sprm >> 13) {  // spra
    case 0:
    case 1: return 1;
    case 2:
    case 4:
    case 5: return 2;
    case 3: return 4;
    case 7: return 3;
    default: break;
  }
  if (!b.has(0, 1)) return SIZE_MAX;
  if (sprm == kTDefTable || sprm == kTDefTable10) {
    // A 16-bit size that counts itself less one byte.
    if (!b.has(0, 2)) return SIZE_MAX;
    return std::max<size_t>(2, size_t{b.u16(0)} + 1);
  }
  if (sprm == kPChgTabs && b.u8(0) == 255) {
    // Tabs deleted (position and close range each) then tabs added (position and type each).
    const size_t deleted = b.u8(1);
    const size_t added_at = 2 + 4 * deleted;
    if (!b.has(added_at, 1)) return SIZE_MAX;
    return added_at + 1 + 3 * size_t{b.u8(added_at)};
  }
  return 1 + size_t{b.u8(0)};
}

void ParagraphProperties::apply(std::string_view grpprl) {
  forEachSprm(grpprl, [this](uint16_t sprm, std::string_view op) {
    const int v = operandInt(op);
    switch (sprm) {
      case kPIstd: istd = static_cast<uint16_t>(v); break;
      case kPFInTable: in_table = v != 0; break;
      case kPFTtp: ttp = v != 0; break;
      case kPItap: itap = std::clamp(v, 0, 64); break;
      case kPDtap: itap = std::clamp(itap.value_or(0) + v, 0, 64); break;
      case kPFInnerTableCell: inner_cell = v != 0; break;
      case kPFInnerTtp: inner_ttp = v != 0; break;
      case kPIlvl: ilvl = std::clamp(v, 0, 8); break;
      case kPIlfo: ilfo = v; break;
      case kPOutLvl: outline = v; break;
      case kPFPageBreakBefore: page_break_before = v != 0; break;
      case kTTableHeader: table_header = v != 0; break;
      default: break;
    }
  });
}

ParagraphProperties ParagraphProperties::mergedWith(const ParagraphProperties& over) const {
  ParagraphProperties out = *this;
  auto take = [](auto& mine, const auto& theirs) {
    if (theirs) mine = theirs;
  };
  take(out.istd, over.istd);
  take(out.in_table, over.in_table);
  take(out.ttp, over.ttp);
  take(out.inner_cell, over.inner_cell);
  take(out.inner_ttp, over.inner_ttp);
  take(out.page_break_before, over.page_break_before);
  take(out.table_header, over.table_header);
  take(out.itap, over.itap);
  take(out.outline, over.outline);
  take(out.ilfo, over.ilfo);
  take(out.ilvl, over.ilvl);
  return out;
}

DocParagraphs DocParagraphs::read(std::string_view word_document, std::string_view table, FcLcb bte) {
  DocParagraphs out;
  forEachFkpRun(word_document, table, bte, true, [&](uint32_t begin, uint32_t end, std::string_view props) {
    Run run{begin, end, {}};
    if (props.size() >= 2) {
      run.properties.istd = DocBytes{props}.u16(0);
      run.properties.apply(props.substr(2));
    }
    out.runs_.push_back(std::move(run));
  });
  std::stable_sort(out.runs_.begin(), out.runs_.end(), [](const Run& a, const Run& b) { return a.begin < b.begin; });
  return out;
}

const ParagraphProperties* DocParagraphs::at(uint32_t fc) const {
  auto it = std::upper_bound(runs_.begin(), runs_.end(), fc, [](uint32_t f, const Run& r) { return f < r.begin; });
  if (it == runs_.begin()) return nullptr;
  --it;
  return fc < it->end ? &it->properties : nullptr;
}

DocCharacters DocCharacters::read(std::string_view word_document, std::string_view table, FcLcb bte) {
  DocCharacters out;
  forEachFkpRun(word_document, table, bte, false, [&](uint32_t begin, uint32_t end, std::string_view props) {
    Run run{begin, end, false, std::nullopt};
    MarkedRun marked{begin, end, {}};
    bool inserted = false, deleted = false;
    std::optional<uint16_t> deleted_author;
    std::optional<uint32_t> deleted_dttm;
    forEachSprm(props, [&](uint16_t sprm, std::string_view op) {
      // 0/1 set the property; 0x80/0x81 (as or against the style) are read as not set.
      if ((sprm == kCFRMarkDel || sprm == kCFVanish) && operandInt(op) == 1) run.hidden = true;
      if (sprm == kCSymbol) run.symbol = Symbol{DocBytes{op}.u16(0), DocBytes{op}.u16(2)};
      if (sprm == kCFRMarkDel) deleted = operandInt(op) == 1;
      if (sprm == kCFRMarkIns) inserted = operandInt(op) == 1;
      if (sprm == kCIbstRMark) marked.marks.revision.author = DocBytes{op}.u16(0);
      if (sprm == kCDttmRMark) marked.marks.revision.dttm = DocBytes{op}.u32(0);
      if (sprm == kCIbstRMarkDel) deleted_author = DocBytes{op}.u16(0);
      if (sprm == kCDttmRMarkDel) deleted_dttm = DocBytes{op}.u32(0);
      if (sprm == kCPropRMark90 || sprm == kCPropRMark) marked.marks.format_changed = true;
    });
    Revision& revision = marked.marks.revision;
    // Inserted, then deleted by someone: accepted, it is deleted.
    if (deleted) {
      revision.mark = ChangeMark::Deleted;
      revision.author = deleted_author.value_or(revision.author);
      revision.dttm = deleted_dttm.value_or(revision.dttm);
    } else if (inserted) {
      revision.mark = ChangeMark::Inserted;
    } else {
      revision = {};
    }
    if (run.hidden || run.symbol) out.runs_.push_back(run);
    if (revision.mark != ChangeMark::None || marked.marks.format_changed) out.marked_.push_back(marked);
  });
  std::sort(out.runs_.begin(), out.runs_.end(), [](const Run& a, const Run& b) { return a.begin < b.begin; });
  std::sort(out.marked_.begin(), out.marked_.end(), [](const MarkedRun& a, const MarkedRun& b) { return a.begin < b.begin; });
  return out;
}

const DocCharacters::Run* DocCharacters::find(uint32_t fc) const {
  auto it = std::upper_bound(runs_.begin(), runs_.end(), fc, [](uint32_t f, const Run& r) { return f < r.begin; });
  if (it == runs_.begin()) return nullptr;
  --it;
  return fc < it->end ? &*it : nullptr;
}

DocCharacters::MarksSpan DocCharacters::marks(uint32_t fc) const {
  const auto next = std::upper_bound(marked_.begin(), marked_.end(), fc, [](uint32_t f, const MarkedRun& r) { return f < r.begin; });
  const uint32_t next_begin = next == marked_.end() ? UINT32_MAX : next->begin;
  if (next == marked_.begin()) return {{}, 0, next_begin};
  const MarkedRun& r = *std::prev(next);
  if (fc >= r.end) return {{}, r.end, next_begin};  // between runs
  return {r.marks, r.begin, std::min(r.end, next_begin)};
}

std::string dttmText(uint32_t dttm) {
  const unsigned minute = dttm & 0x3F, hour = (dttm >> 6) & 0x1F, day = (dttm >> 11) & 0x1F, month = (dttm >> 16) & 0xF;
  const unsigned year = 1900 + ((dttm >> 20) & 0x1FF);
  if (dttm == 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return "";
  char out[32];
  std::snprintf(out, sizeof out, "%04u-%02u-%02uT%02u:%02u:00Z", year, month, day, hour, minute);
  return out;
}

bool DocCharacters::hidden(uint32_t fc) const {
  const Run* r = find(fc);
  return r != nullptr && r->hidden;
}

std::optional<DocCharacters::Symbol> DocCharacters::symbol(uint32_t fc) const {
  const Run* r = find(fc);
  return r != nullptr ? r->symbol : std::nullopt;
}

bool sectionStartsPage(std::string_view sepx_grpprl) {
  bool page = true;
  forEachSprm(sepx_grpprl, [&](uint16_t sprm, std::string_view op) {
    if (sprm == kSBkc) page = operandInt(op) != 0;  // 0: continuous
  });
  return page;
}

bool sectionHasTitlePage(std::string_view sepx_grpprl) {
  bool title_page = false;
  forEachSprm(sepx_grpprl, [&](uint16_t sprm, std::string_view op) {
    if (sprm == kSFTitlePage) title_page = operandInt(op) != 0;
  });
  return title_page;
}

}  // namespace folio::ingest::office
