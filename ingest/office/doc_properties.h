// Paragraph and character properties of a Word 97-2003 document ([MS-DOC] 2.6, 2.9): lists of sprms
// (property modifiers) stored in formatted disk pages (FKPs) of the WordDocument stream that the
// table stream's bin tables (PlcBtePapx, PlcBteChpx) list, each giving a range of stream offsets
// its properties apply to. Only what text extraction needs is kept: tables, styles, outline levels,
// list numbering, page breaks, deleted or hidden text, and tracked changes (revision marks).
//
// Untrusted input: each page is read once (a bin table naming a page twice reads it once) and within
// its 512 bytes; a sprm cut short ends its list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/doc_fib.h"
#include "ingest/office/docx_changes.h"

namespace folio::ingest::office {

// Calls f(sprm, operand) for each sprm of `grpprl`, stopping at one cut short.
template <class F>
void forEachSprm(std::string_view grpprl, F&& f);

// The sprms a paragraph or paragraph style sets (std::nullopt: not set).
struct ParagraphProperties {
  std::optional<uint16_t> istd;
  std::optional<bool> in_table, ttp, inner_cell, inner_ttp, page_break_before;
  std::optional<bool> table_header;  // on a row's mark: the row repeats as the table's header
  std::optional<int> itap;     // table depth (1 outermost)
  std::optional<int> outline;  // 0-based outline level, 9 body text
  std::optional<int> ilfo;     // 1-based list (LFO) index, 0 none
  std::optional<int> ilvl;     // list level 0..8

  void apply(std::string_view grpprl);
  // These properties overridden by those `over` sets.
  ParagraphProperties mergedWith(const ParagraphProperties& over) const;
};

// The paragraph whose mark lies at a stream offset: its style and its own properties.
class DocParagraphs {
 public:
  static DocParagraphs read(std::string_view word_document, std::string_view table, FcLcb plcf_bte_papx);
  const ParagraphProperties* at(uint32_t fc) const;
  size_t runs() const { return runs_.size(); }

 private:
  struct Run {
    uint32_t begin = 0, end = 0;
    ParagraphProperties properties;
  };
  std::vector<Run> runs_;  // sorted by begin
};

// Characters Word does not show (deleted by a tracked change, shown accepted, or hidden), symbol
// characters (sprmCSymbol: a font and a character code standing in for the character in the text), and
// the revision marks of tracked changes: inserted or deleted (sprmCFRMarkIns, sprmCFRMarkDel) by an
// author (sprmCIbstRMark, an index into SttbfRMark) at a time (sprmCDttmRMark, a DTTM), and formatting
// changed (sprmCPropRMark).
class DocCharacters {
 public:
  struct Symbol {
    uint16_t font = 0;  // index into the font table
    uint16_t code = 0;
  };
  struct Revision {
    ChangeMark mark = ChangeMark::None;  // Inserted or Deleted
    uint16_t author = 0;
    uint32_t dttm = 0;
    bool operator==(const Revision&) const = default;
  };
  static DocCharacters read(std::string_view word_document, std::string_view table, FcLcb plcf_bte_chpx);
  bool hidden(uint32_t fc) const;
  std::optional<Symbol> symbol(uint32_t fc) const;
  struct Marks {
    Revision revision;
    bool format_changed = false;
  };
  // The marks of the character at stream offset `fc`, and the offsets [begin, until) that share them: a
  // reader going through the text in order looks again only past `until`.
  struct MarksSpan {
    Marks marks;
    uint32_t begin = 0, until = 0;
  };
  MarksSpan marks(uint32_t fc) const;
  bool anyMarks() const { return !marked_.empty(); }  // a file without tracked changes need not look

 private:
  struct Run {
    uint32_t begin = 0, end = 0;
    bool hidden = false;
    std::optional<Symbol> symbol;
  };
  struct MarkedRun {
    uint32_t begin = 0, end = 0;
    Marks marks;
  };
  const Run* find(uint32_t fc) const;
  std::vector<Run> runs_;           // only those hidden or with a symbol, sorted by begin
  std::vector<MarkedRun> marked_;  // only those with revision marks, sorted by begin
};

// A DTTM ([MS-DOC] 2.9.66) as w:date writes it ("2024-03-05T14:30:00Z"); "" for none or a bad one.
std::string dttmText(uint32_t dttm);

// The section break before a section: whether it starts a new page ([MS-DOC] sprmSBkc; the default
// is a new page).
bool sectionStartsPage(std::string_view sepx_grpprl);
// Whether a section's first page has its own header and footer ([MS-DOC] sprmSFTitlePage).
bool sectionHasTitlePage(std::string_view sepx_grpprl);

// ---- implementation of the template

// The size of a sprm's operand at `operand` ([MS-DOC] 2.2.5.1), or SIZE_MAX when cut short.
size_t sprmOperandSize(uint16_t sprm, std::string_view operand);

template <class F>
void forEachSprm(std::string_view grpprl, F&& f) {
  size_t at = 0;
  while (at + 2 <= grpprl.size()) {
    const auto sprm = static_cast<uint16_t>(static_cast<uint8_t>(grpprl[at]) | static_cast<uint8_t>(grpprl[at + 1]) << 8);
    const std::string_view rest = grpprl.substr(at + 2);
    const size_t n = sprmOperandSize(sprm, rest);
    if (n > rest.size()) return;
    f(sprm, rest.substr(0, n));
    at += 2 + n;
  }
}

}  // namespace folio::ingest::office
