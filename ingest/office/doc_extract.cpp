#include "ingest/office/doc_extract.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "ingest/charset.h"
#include "ingest/office/doc_changes.h"
#include "ingest/office/doc_bytes.h"
#include "ingest/office/doc_fib.h"
#include "ingest/office/doc_fonts.h"
#include "ingest/office/doc_lists.h"
#include "ingest/office/doc_pieces.h"
#include "ingest/office/doc_properties.h"
#include "ingest/office/doc_styles.h"
#include "ingest/office/page_labels.h"
#include "ingest/office/docx_change_list.h"
#include "ingest/office/docx_changes.h"
#include "ingest/office/docx_numbering.h"
#include "ingest/office/docx_paragraph_join.h"
#include "ingest/office/text_blocks.h"
#include "ingest/ole/summary_information.h"

namespace folio::ingest::office {
namespace {

// Word's special characters in the text stream ([MS-DOC] 2.8.25 and 2.4.1).
constexpr char16_t kFootnoteMark = 0x02, kCommentMark = 0x05, kCellMark = 0x07, kDrawnObject = 0x08, kTab = 0x09, kLineBreak = 0x0B,
                   kPageBreak = 0x0C, kParagraphMark = 0x0D, kFieldBegin = 0x13, kFieldSeparator = 0x14,
                   kFieldEnd = 0x15, kNonBreakingHyphen = 0x1E;
constexpr size_t kMaxFieldDepth = 64;  // deeper fields are counted, not tracked
constexpr int kNoList = 0x07FF;        // sprmPIlfo's "no numbering" besides 0

// A PLC ([MS-DOC] 2.2.2): n+1 CPs, then n entries of `entry` bytes.
struct Plc {
  std::vector<uint32_t> cps;
  uint64_t data_at = 0;
  size_t size() const { return cps.empty() ? 0 : cps.size() - 1; }
};

Plc readPlc(const DocBytes& table, FcLcb where, size_t entry) {
  Plc plc;
  if (where.lcb < 4 || !table.has(where.fc, where.lcb)) return plc;
  const uint64_t n = (where.lcb - 4) / (4 + entry);
  plc.cps.reserve(n + 1);
  for (uint64_t i = 0; i <= n; ++i) plc.cps.push_back(table.u32(where.fc + 4 * i));
  plc.data_at = where.fc + 4 * (n + 1);
  return plc;
}

// Which characters are inside a field's code (hidden) rather than its result (shown), and whether a
// result shown is a page number (left out of headers).
class FieldState {
 public:
  void begin() {
    if (open_.size() < kMaxFieldDepth) open_.emplace_back();
    else ++untracked_;
  }
  // A character of the innermost field's code: its first word names the field.
  void codeCharacter(char16_t c) {
    if (untracked_ == 0 && !open_.empty() && open_.back().code && open_.back().name.size() < 16) {
      open_.back().name += c < 0x80 ? static_cast<char>(c) : '?';
    }
  }
  void separate() {
    if (untracked_ > 0 || open_.empty()) return;
    open_.back().code = false;
    open_.back().page = pageFieldCode(open_.back().name);
  }
  void end() {
    if (untracked_ > 0) --untracked_;
    else if (!open_.empty()) open_.pop_back();
  }
  bool visible() const {
    return untracked_ == 0 && std::none_of(open_.begin(), open_.end(), [](const Open& f) { return f.code; });
  }
  bool inside() const { return untracked_ > 0 || !open_.empty(); }
  bool pageNumber() const { return std::any_of(open_.begin(), open_.end(), [](const Open& f) { return f.page; }); }

 private:
  struct Open {
    bool code = true;   // before its separator
    bool page = false;  // PAGE, NUMPAGES, …
    std::string name;   // the start of its code
  };
  std::vector<Open> open_;
  size_t untracked_ = 0;
};

// Inlined into the per-character loops, as appendSymbol: called once a character, a call costs more than
// the work (measured: +11 % instructions on a 500-page .doc when GCC stopped inlining them).
[[gnu::always_inline]] inline void appendUnit(std::string& out, const std::u16string& text, uint64_t& i) {
  uint32_t c = text[i];
  if (c >= 0xD800 && c < 0xDC00 && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] < 0xE000) {
    c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
    ++i;
  }
  appendCodePoint(out, c);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.pop_back();
  size_t lead = 0;
  while (lead < s.size() && (s[lead] == ' ' || s[lead] == '\t' || s[lead] == '\n')) ++lead;
  return s.substr(lead);
}

struct Document;
std::string_view sectionProperties(const Document& d, const Plc& sections, size_t i);

struct Document {
  std::string_view word;
  DocBytes table;
  DocFib fib;
  DocPieces pieces;
  std::u16string text;
  DocParagraphs paragraphs;
  DocCharacters characters;
  DocStyles styles;
  DocFonts fonts;
  DocxNumbering numbering;
  std::vector<std::string> revision_authors;
  DocxChangeLog changes;
};

class BodyReader {
 public:
  // `page_numbers_dropped`: the reader of headers, which leaves page numbers out (page_labels.h).
  explicit BodyReader(Document& d, bool page_numbers_dropped = false)
      : d_(d),
        subdocument_budget_(d.text.size() + (uint64_t{1} << 20)),
        page_numbers_dropped_(page_numbers_dropped),
        revisions_(d.changes, d.revision_authors),
        tracking_(d.characters.anyMarks()) {
    readMarks();
  }

  TextBlocks blocks;
  std::string title;
  std::vector<std::string> notes;     // note texts in the order of their marks
  std::vector<std::string> comments;  // "[comment n] Author: text"
  // The tracked changes of each note and comment, numbered when they are written after the body.
  struct StoryChanges {
    std::string story;  // "footnote 2", "comment 1"
    std::vector<ChangeDraft> changes;
  };
  std::vector<StoryChanges> note_changes, comment_changes;
  std::string story;  // where the changes read stand: "" for the body, "header", "footer"

  // Reads characters [begin, end): the main text, or one header story.
  void read(uint64_t begin, uint64_t end) {
    end = std::min<uint64_t>(end, d_.text.size());
    FieldState& fields = fields_;
    fields = FieldState{};
    paragraph_begin_ = begin;
    for (uint64_t cp = begin; cp < end; ++cp) {
      const char16_t c = d_.text[cp];
      switch (c) {
        case kFieldBegin:
          fields.begin();
          paragraph_.in_field = true;
          continue;
        case kFieldSeparator: fields.separate(); continue;
        case kFieldEnd: fields.end(); continue;
        case kParagraphMark:
        case kCellMark: finishParagraph(static_cast<uint32_t>(cp), c); continue;
        default: break;
      }
      if (c == kPageBreak) {
        // A section's last character ends its last paragraph; a page break elsewhere breaks a page.
        const auto section = section_marks_.find(static_cast<uint32_t>(cp));
        if (section == section_marks_.end()) {
          if (fields.visible()) paragraph_.page_breaks.push_back(paragraph_.text.size());
          continue;
        }
        if (section->second) paragraph_.page_breaks.push_back(paragraph_.text.size());
        finishParagraph(static_cast<uint32_t>(cp), c);
        continue;
      }
      if (!fields.visible()) {
        fields.codeCharacter(c);
        continue;
      }
      if (page_numbers_dropped_ && fields.pageNumber()) {
        paragraph_.page_number = true;
        continue;
      }
      const bool gone = hidden(cp);
      if (tracking_) trackCharacter(cp, gone, paragraph_.changes, paragraph_.text, revisions_);
      if (gone) continue;
      if (c == kDrawnObject && cp < d_.fib.ccp_text) textBox(static_cast<uint32_t>(cp));
      else appendCharacter(paragraph_.text, cp);
    }
    if (!paragraph_.text.empty() && end > begin) finishParagraph(static_cast<uint32_t>(end - 1), kParagraphMark);
    flushJoined();  // a story's last paragraph joins nothing after it
    while (!levels_.empty()) closeLevel();
  }

 private:
  struct NoteRef {
    bool endnote = false;
    size_t index = 0;
  };

  // The text box of the shape anchored at `cp` in the main text, read where it is anchored (after the
  // paragraph holding the anchor, as text_blocks.h says), once.
  void textBox(uint32_t cp) {
    const auto shape = shapes_.find(cp);
    if (shape == shapes_.end()) return;
    const auto story = text_boxes_.find(shape->second);
    if (story == text_boxes_.end() || !boxes_read_.insert(story->second).second) return;
    const size_t i = story->second;
    const uint64_t start = d_.fib.textBoxesStart();
    const uint64_t end = std::min<uint64_t>(text_box_texts_.cps[i + 1], d_.fib.ccp_txbx);
    if (end <= text_box_texts_.cps[i]) return;
    flushJoined();  // as a .docx's reader: a paragraph held to be joined joins nothing past a text box
    // The anchor's paragraph, its fields and its table stay open while the box is read.
    Paragraph paragraph = std::move(paragraph_);
    FieldState fields = fields_;
    std::vector<bool> levels = std::move(levels_);
    DocRevisions revisions = revisions_;
    const int table_row = table_row_;
    const size_t column = column_;
    std::optional<ChangeDraft> row_change = std::move(row_change_);
    const uint64_t paragraph_begin = paragraph_begin_;
    row_change_.reset();
    paragraph_ = Paragraph{};
    levels_.clear();
    blocks.beginFloating();
    ++boxes_;
    read(start + text_box_texts_.cps[i], start + end);
    --boxes_;
    blocks.endFloating();
    paragraph_ = std::move(paragraph);
    fields_ = std::move(fields);
    levels_ = std::move(levels);
    revisions_ = revisions;
    table_row_ = table_row;
    column_ = column;
    row_change_ = std::move(row_change);
    paragraph_begin_ = paragraph_begin;
  }

  DocCharacters::Marks marksAt(uint64_t cp) {
    if (!tracking_) return {};
    const auto fc = d_.pieces.fcOf(static_cast<uint32_t>(cp));
    if (!fc) return {};
    if (*fc < marks_.begin || *fc >= marks_.until) marks_ = d_.characters.marks(*fc);  // characters come in order
    return marks_.marks;
  }

  // The tracked changes around the character at `cp`, before it is read into `text` (or left out,
  // `gone`: a deleted character is the deletion's text). A character of the text's own (no note or
  // comment mark, tab or space) outside an insertion: the paragraph is not wholly inserted or deleted.
  void trackCharacter(uint64_t cp, bool gone, ParagraphChanges& changes, const std::string& text, DocRevisions& revisions) {
    revisions.character(marksAt(cp), changes, text);
    const char16_t c = d_.text[cp];
    if (!gone) {
      if (c > 0x20 && !changes.inserting()) changes.unchangedText();
    } else if (changes.deleting() && (c == kTab || c == kLineBreak)) {
      changes.deletedText(" ");
    } else if (changes.deleting() && c >= 0x20) {
      std::string deleted;  // a symbol font's character as its code
      appendUnit(deleted, d_.text, cp);
      changes.deletedText(deleted);
    }
  }

  // A change in a table is placed by the outermost table's row and cell (as a .docx's reader places it).
  ChangeSite site() const {
    if (boxes_ > 0) return {story, "text box"};
    if (levels_.empty()) return {story, ""};
    return {story, places_.place(column_)};
  }

  bool hidden(uint64_t cp) const {
    const auto fc = d_.pieces.fcOf(static_cast<uint32_t>(cp));
    return fc && d_.characters.hidden(*fc);
  }

  void appendCharacter(std::string& out, uint64_t& cp) {
    const char16_t c = d_.text[cp];
    if (c >= 0x20 && appendSymbol(out, cp)) return;
    if (c == kTab) out += '\t';
    else if (c == kLineBreak) out += '\n';
    else if (c == kNonBreakingHyphen) out += '-';
    else if (c == kFootnoteMark) noteMark(out, static_cast<uint32_t>(cp));
    else if (c == kCommentMark) commentMark(out, static_cast<uint32_t>(cp));
    else if (c >= 0x20) appendUnit(out, d_.text, cp);
    // Other control characters (pictures 0x01, drawn objects 0x08, optional hyphens 0x1F, …) show nothing.
  }

  // A character in a symbol font (sprmCSymbol) as its Unicode equivalent; false for other characters.
  [[gnu::always_inline]] bool appendSymbol(std::string& out, uint64_t cp) const {
    const auto fc = d_.pieces.fcOf(static_cast<uint32_t>(cp));
    const auto symbol = fc ? d_.characters.symbol(*fc) : std::nullopt;
    if (!symbol) return false;
    out += symbolText(d_.fonts.symbolFont(symbol->font), symbol->code);
    return true;
  }

  void noteMark(std::string& out, uint32_t cp) {
    const auto ref = note_refs_.find(cp);
    if (ref == note_refs_.end()) return;
    const Plc& texts = ref->second.endnote ? endnote_texts_ : footnote_texts_;
    const uint64_t start = ref->second.endnote ? d_.fib.endnotesStart() : d_.fib.footnotesStart();
    const uint64_t length = ref->second.endnote ? d_.fib.ccp_edn : d_.fib.ccp_ftn;
    std::vector<ChangeDraft> changes;
    notes.push_back(subdocumentText(texts, ref->second.index, start, length, changes));
    out += "[" + std::to_string(notes.size()) + "]";
    note_changes.push_back({(ref->second.endnote ? "endnote " : "footnote ") + std::to_string(notes.size()), std::move(changes)});
  }

  void commentMark(std::string& out, uint32_t cp) {
    const auto ref = comment_refs_.find(cp);
    if (ref == comment_refs_.end()) return;
    std::string line = "[comment " + std::to_string(comments.size() + 1) + "] ";
    const size_t i = ref->second;
    // ATRDPre10: the author's initials (20 bytes), then the author's index in GrpXstAtnOwners.
    const int16_t author = d_.table.i16(comment_refs_plc_.data_at + 30 * uint64_t{i} + 20);
    if (author >= 0 && static_cast<size_t>(author) < authors_.size() && !authors_[static_cast<size_t>(author)].empty()) {
      line += authors_[static_cast<size_t>(author)] + ": ";
    }
    std::vector<ChangeDraft> changes;
    const std::string text = subdocumentText(comment_texts_, i, d_.fib.commentsStart(), d_.fib.ccp_atn, changes);
    for (ChangeDraft& c : changes) c.offset += line.size();
    comments.push_back(trimmed(line + text));
    out += markerText("comment", static_cast<int>(comments.size()));
    comment_changes.push_back({"comment " + std::to_string(comments.size()), std::move(changes)});
  }

  // Note or comment `i` of a subdocument (footnotes, comments, endnotes) as one line: paragraphs joined
  // by a space, its own mark left out, its tracked changes in `changes`. All notes together read at
  // most as many characters as the file has (and a little more), however many marks point at the same
  // long range.
  std::string subdocumentText(const Plc& texts, size_t i, uint64_t start, uint64_t length, std::vector<ChangeDraft>& changes) {
    if (i + 1 >= texts.cps.size()) return {};
    const uint64_t stop = start + std::min<uint64_t>(length, texts.cps[i + 1]);
    std::string out;
    FieldState fields;
    ParagraphChanges changed;  // a note's paragraphs are one line, and one run of changes
    DocRevisions revisions(d_.changes, d_.revision_authors);
    for (uint64_t cp = start + texts.cps[i]; cp < stop && cp < d_.text.size() && subdocument_budget_ > 0; ++cp) {
      --subdocument_budget_;
      const char16_t c = d_.text[cp];
      if (c == kFieldBegin) {
        fields.begin();
        continue;
      }
      if (c == kFieldSeparator) fields.separate();
      else if (c == kFieldEnd) fields.end();
      if (c == kFieldSeparator || c == kFieldEnd || !fields.visible()) continue;
      const bool gone = hidden(cp);
      if (tracking_) trackCharacter(cp, gone, changed, out, revisions);
      if (gone) continue;
      if (c == kParagraphMark || c == kCellMark || c == kLineBreak || c == kPageBreak || c == kTab) {
        if (!out.empty() && out.back() != ' ') out += ' ';
      } else if (c >= 0x20 && !appendSymbol(out, cp)) {
        appendUnit(out, d_.text, cp);
      }
    }
    revisions.endParagraph({}, changed, out);
    changes = changed.finish().changes;
    trimWithChanges(out, " \t\n", " \t\n", changes);
    return out;
  }

  // The CPs of note and comment marks, the ranges of their texts, and where sections end.
  void readMarks() {
    const DocBytes& t = d_.table;
    const Plc footnotes = readPlc(t, d_.fib.at(DocFib::kPlcffndRef), 2);
    for (size_t i = 0; i < footnotes.size(); ++i) note_refs_.emplace(footnotes.cps[i], NoteRef{false, i});
    const Plc endnotes = readPlc(t, d_.fib.at(DocFib::kPlcfendRef), 2);
    for (size_t i = 0; i < endnotes.size(); ++i) note_refs_.emplace(endnotes.cps[i], NoteRef{true, i});
    footnote_texts_ = readPlc(t, d_.fib.at(DocFib::kPlcffndTxt), 0);
    endnote_texts_ = readPlc(t, d_.fib.at(DocFib::kPlcfendTxt), 0);

    // Shapes anchored in the main text (SPA: the shape id first) and the text boxes of shapes (FTXBXS:
    // the shape id at 14; a reusable one, fReusable at 8, is a deleted box's left-over). The last
    // text box story is none: it ends the text.
    const Plc shapes = readPlc(t, d_.fib.at(DocFib::kPlcSpaMom), 26);
    for (size_t i = 0; i < shapes.size(); ++i) shapes_.emplace(shapes.cps[i], t.u32(shapes.data_at + 26 * uint64_t{i}));
    text_box_texts_ = readPlc(t, d_.fib.at(DocFib::kPlcftxbxTxt), 22);
    for (size_t i = 0; i + 1 < text_box_texts_.size(); ++i) {
      const uint64_t at = text_box_texts_.data_at + 22 * uint64_t{i};
      if (t.u16(at + 8) == 0) text_boxes_.emplace(t.u32(at + 14), i);
    }

    comment_refs_plc_ = readPlc(t, d_.fib.at(DocFib::kPlcfandRef), 30);
    for (size_t i = 0; i < comment_refs_plc_.size(); ++i) comment_refs_.emplace(comment_refs_plc_.cps[i], i);
    comment_texts_ = readPlc(t, d_.fib.at(DocFib::kPlcfandTxt), 0);
    const FcLcb owners = d_.fib.at(DocFib::kGrpXstAtnOwners);
    if (t.has(owners.fc, owners.lcb)) {
      for (uint64_t at = owners.fc; at + 2 <= uint64_t{owners.fc} + owners.lcb;) {
        const uint16_t cch = t.u16(at);
        authors_.push_back(utf16leToUtf8(t.sub(at + 2, std::min<uint64_t>(2 * uint64_t{cch}, owners.fc + owners.lcb - at - 2))));
        at += 2 + 2 * uint64_t{cch};
      }
    }

    // Each section but the last ends with a 0x0C; whether a new page follows is the next section's.
    const Plc sections = readPlc(t, d_.fib.at(DocFib::kPlcfSed), 12);
    for (size_t i = 0; i + 1 < sections.size(); ++i) {
      const uint32_t end = sections.cps[i + 1];
      if (end == 0) continue;
      section_marks_.emplace(end - 1, sectionStartsPage(sectionProperties(d_, sections, i + 1)));
    }
  }

  // Table nesting: one entry per open table level, true while a cell of it is open.
  void openLevel() {
    if (levels_.empty()) {
      ++table_row_;
      column_ = 0;
      if (boxes_ == 0 && table_row_ == 1) places_.startTable();
      if (boxes_ == 0) places_.startRow(table_row_);
    }
    if (!levels_.empty() && !levels_.back()) openCell();
    blocks.beginRow();
    levels_.push_back(false);
  }
  void closeLevel() {
    if (levels_.back()) blocks.endCell();
    blocks.endRow();
    levels_.pop_back();
  }
  void openCell() {
    blocks.beginCell();
    levels_.back() = true;
    if (levels_.size() == 1) {
      row_new_cell_ = true;
      ++column_;
    }
  }

  // The properties of the paragraph whose mark is at `mark_cp`: its own (`own`, nullptr for none) over
  // its style's (`istd`).
  ParagraphProperties propertiesAt(uint32_t mark_cp, const ParagraphProperties*& own, uint16_t& istd) const {
    const auto fc = d_.pieces.fcOf(mark_cp);
    own = fc ? d_.paragraphs.at(*fc) : nullptr;
    istd = own != nullptr && own->istd ? *own->istd : 0;
    return d_.styles.properties(istd).mergedWith(own != nullptr ? *own : ParagraphProperties{});
  }
  static size_t tableDepth(const ParagraphProperties& p) {
    size_t depth = static_cast<size_t>(std::max(p.itap.value_or(0), 0));
    if (p.in_table.value_or(false) && depth == 0) depth = 1;
    if (!p.in_table.value_or(false) && !p.itap) depth = 0;
    return depth;
  }

  // A row of the outermost table starting at `begin` inserted or deleted as a whole: every character of
  // its cells carries one insertion or deletion (a .doc has no row element to mark, as a .docx's
  // w:trPr/w:del). The marks of cells and paragraphs are not looked at: LibreOffice leaves a deleted row's
  // unmarked and gives its row mark the next row's insertion. Its change, without text yet; none otherwise.
  std::optional<ChangeDraft> wholeRowChange(uint64_t begin) {
    std::optional<DocCharacters::Revision> first;
    for (uint64_t cp = begin; cp < d_.text.size(); ++cp) {
      const DocCharacters::Revision revision = marksAt(cp).revision;
      const char16_t c = d_.text[cp];
      if (c != kCellMark && c != kParagraphMark) {
        if (!first && revision.mark != ChangeMark::Inserted && revision.mark != ChangeMark::Deleted) return std::nullopt;
        if (!first) first = revision;
        if (!(revision == *first)) return std::nullopt;
        continue;
      }
      const ParagraphProperties* own = nullptr;
      uint16_t istd = 0;
      const ParagraphProperties p = propertiesAt(static_cast<uint32_t>(cp), own, istd);
      // Out of the table, the row never ended (a damaged file); each scan stops before the next row starts.
      if (tableDepth(p) == 0) return std::nullopt;
      if (c != kCellMark || tableDepth(p) != 1 || !p.ttp.value_or(false)) continue;
      if (!first) return std::nullopt;  // a row of empty cells: nothing to say it changed
      ChangeDraft d;
      d.kind = first->mark == ChangeMark::Deleted ? ChangeDraft::Kind::DeletedRow : ChangeDraft::Kind::InsertedRow;
      d.author = first->author < d_.revision_authors.size() ? d_.revision_authors[first->author] : std::string();
      d.date = dttmText(first->dttm);
      return d;
    }
    return std::nullopt;
  }

  // A paragraph of a row inserted or deleted as a whole: its text goes to the row's change. False when
  // the paragraph is not shown (a deleted row's), its own changes being the row's either way.
  bool inChangedRow(const std::string& paragraph_text, ParagraphChanges::Outcome& changed) {
    const bool deleted = row_change_->kind == ChangeDraft::Kind::DeletedRow;
    std::string piece;
    for (const ChangeDraft& d : changed.changes) piece += d.deleted;
    if (!deleted || piece.empty()) piece = paragraph_text;
    std::string& text = deleted ? row_change_->deleted : row_change_->inserted;
    if (!piece.empty()) {
      if (!text.empty()) text += row_new_cell_ ? " | " : " ";
      text += piece;
      row_new_cell_ = false;
    }
    changed.changes.clear();
    changed.joins_next = false;
    return !deleted && !changed.removed;
  }

  void finishParagraph(uint32_t mark_cp, char16_t mark) {
    revisions_.endParagraph(marksAt(mark_cp).revision, paragraph_.changes, paragraph_.text);
    const ParagraphProperties* own = nullptr;
    uint16_t istd = 0;
    const ParagraphProperties p = propertiesAt(mark_cp, own, istd);

    const size_t depth = tableDepth(p);
    const bool row_end = depth == 1 ? mark == kCellMark && p.ttp.value_or(false) : depth > 1 && p.inner_ttp.value_or(false);
    const bool cell_end = depth == 1 ? mark == kCellMark : depth > 1 && p.inner_cell.value_or(false);
    while (levels_.size() > depth) closeLevel();
    if (depth == 0) table_row_ = 0;  // a paragraph outside any table: the next row starts a table
    if (levels_.empty() && depth > 0) {
      row_change_ = tracking_ && boxes_ == 0 ? wholeRowChange(paragraph_begin_) : std::nullopt;
      row_new_cell_ = false;
    }
    if (levels_.size() < depth) flushJoined();  // a paragraph runs on into no table
    while (levels_.size() < depth) openLevel();
    paragraph_begin_ = mark_cp + 1;

    Paragraph paragraph = std::move(paragraph_);
    paragraph_ = Paragraph{};
    paragraph_.in_field = fields_.inside();
    if (row_end) {  // the row's mark: its text is none of the row's
      closeLevel();
      if (levels_.empty() && boxes_ == 0) places_.endRow(p.table_header.value_or(false));
      if (row_change_ && levels_.empty()) {
        // The marker stands on a line of its own after the row, as a .docx's row change does.
        blocks.addParagraph(d_.changes.markerLine({*row_change_}, {story, tableRowPlace(table_row_)}));
        row_change_.reset();
      }
      return;
    }
    if (depth > 0 && !levels_.back()) openCell();
    // A table of contents (entries in a TOC field's result) repeats the headings; a TOC style used for
    // ordinary text outside a field is text.
    if (!(paragraph.in_field && d_.styles.isTableOfContents(istd))) {
      addParagraph(std::move(paragraph), p, own, istd, /*section_end=*/mark == kPageBreak);
    } else {
      flushJoined();
    }
    if (cell_end && depth > 0) {
      flushJoined();  // nor past its cell's end
      blocks.endCell();
      levels_.back() = false;
    }
  }

  struct Paragraph {
    std::string text;
    std::vector<size_t> page_breaks;
    bool in_field = false;     // some of it lies in a field
    bool page_number = false;  // a page number was left out of it
    ParagraphChanges changes;
  };

  // `section_end`: its mark ends a section, whose properties hang on it: it is never joined to the next
  // (as a .docx's reader leaves a w:sectPr paragraph apart).
  void addParagraph(Paragraph paragraph, const ParagraphProperties& p, const ParagraphProperties* own, uint16_t istd,
                    bool section_end) {
    ParagraphChanges::Outcome changed = paragraph.changes.finish();
    if (row_change_ && !levels_.empty()) {
      if (!inChangedRow(paragraph.text, changed)) return;
    } else {
      d_.changes.countParagraphMarks(changed.mark_changes);
    }
    if (levels_.size() == 1 && boxes_ == 0 && !changed.removed) {
      places_.cellText(column_, paragraph.text);  // the text as accepted, before its markers
    }
    if (changed.removed) {
      // Accepted, the paragraph is gone (its number too); its marker stands on a line of its own, or
      // after the text of a paragraph it now runs on from.
      if (changed.changes.empty()) return;
      const ParagraphText markers = d_.changes.markerLine(changed.changes, site());
      if (!joined_.appendMarkers(markers.text)) blocks.addParagraph(markers);
      return;
    }
    if (paragraph.page_number) {
      if (pageLabelOnly(paragraph.text)) return flushJoined();
      paragraph.text = withoutDanglingSeparators(std::move(paragraph.text));
      paragraph.page_breaks.clear();
    }
    if (!changed.changes.empty()) d_.changes.place(changed.changes, site(), paragraph.text, &paragraph.page_breaks);
    ParagraphText line;
    if (joined_.holding()) {
      // Joined to the paragraph before it, whose mark was deleted: that one's number and style stay.
      line = joined_.joinedWith(paragraph.text, paragraph.page_breaks);
    } else {
      line = lineOf(std::move(paragraph), p, own, istd);
    }
    if (changed.joins_next && !section_end) return joined_.hold(std::move(line));
    addLine(line);
  }

  void addLine(const ParagraphText& line) {
    const std::string written = blocks.addParagraph(line);
    if (title.empty() && line.title) title = written;
  }
  void flushJoined() {
    if (std::optional<ParagraphText> line = joined_.release()) addLine(*line);
  }

  // A paragraph as a line of its own: its list label (the next number of its list) and outline level.
  ParagraphText lineOf(Paragraph paragraph, const ParagraphProperties& p, const ParagraphProperties* own, uint16_t istd) {
    std::string label;
    bool space = true;
    const int ilfo = p.ilfo.value_or(0);
    if (ilfo > 0 && ilfo != kNoList) {
      const std::string list = std::to_string(ilfo);
      int level = p.ilvl.value_or(-1);
      if (level < 0) level = std::max(d_.numbering.levelForStyle(list, std::to_string(istd), no_styles_), 0);
      label = d_.numbering.next(list, level, no_styles_);
      space = d_.numbering.spaceAfter(list, level, no_styles_);
    }
    int outline = d_.styles.outlineLevel(istd);
    if (own != nullptr && own->outline) outline = *own->outline >= 0 && *own->outline < 9 ? *own->outline : -1;
    return {label, space, std::move(paragraph.text), std::move(paragraph.page_breaks), p.page_break_before.value_or(false),
            outline, d_.styles.isTitle(istd)};
  }

  Document& d_;
  uint64_t subdocument_budget_;  // characters notes and comments may still read
  bool page_numbers_dropped_;
  const DocxStyles no_styles_;  // .doc lists link to no numbering styles
  Paragraph paragraph_;
  FieldState fields_;
  std::vector<bool> levels_;
  DocRevisions revisions_;
  const bool tracking_;  // the file has tracked changes: each character's revision marks are looked up
  DocCharacters::MarksSpan marks_;  // those of the last character looked up
  int boxes_ = 0;      // text boxes being read
  int table_row_ = 0;  // the row of the outermost table being read, from 1
  size_t column_ = 0;  // the cell of that row being read, from 1
  TablePlaces places_;  // that table's cells, for the list to name
  std::optional<ChangeDraft> row_change_;  // that row's, when it was inserted or deleted as a whole
  ParagraphJoin joined_;                   // a paragraph whose mark alone was deleted, until the next comes
  bool row_new_cell_ = false;              // the next text of that row starts a cell
  uint64_t paragraph_begin_ = 0;           // where the paragraph being read started
  std::unordered_map<uint32_t, NoteRef> note_refs_;
  Plc footnote_texts_, endnote_texts_, comment_refs_plc_, comment_texts_;
  std::unordered_map<uint32_t, size_t> comment_refs_;
  std::vector<std::string> authors_;
  std::unordered_map<uint32_t, bool> section_marks_;  // a section's last CP -> a new page follows
  std::unordered_map<uint32_t, uint32_t> shapes_;     // an anchor's CP -> its shape id
  std::unordered_map<uint32_t, size_t> text_boxes_;   // a shape id -> its text box story
  Plc text_box_texts_;
  std::set<size_t> boxes_read_;
};

// Section `i`'s properties (the grpprl of its SEPX), empty for none.
std::string_view sectionProperties(const Document& d, const Plc& sections, size_t i) {
  const uint32_t sepx = d.table.u32(sections.data_at + 12 * uint64_t{i} + 2);
  const DocBytes w{d.word};
  if (sepx == 0xFFFFFFFF || !w.has(sepx, 2)) return {};
  return w.sub(uint64_t{sepx} + 2, std::max<int16_t>(w.i16(sepx), 0));
}

// Each distinct line of the headers and footers Word shows, for listing once after the body. The
// header story ([MS-DOC] 2.8.24, PlcfHdd) holds 6 note separators, then 6 stories a section: even and
// odd header, even and odd footer, first-page header and footer; an empty one repeats the previous
// section's. First-page ones count where the section has a title page, even ones where the document
// has facing pages (DOP fFacingPages).
std::vector<std::string> headerLines(Document& d) {
  const Plc stories = readPlc(d.table, d.fib.at(DocFib::kPlcfHdd), 0);
  const Plc sections = readPlc(d.table, d.fib.at(DocFib::kPlcfSed), 12);
  const FcLcb dop = d.fib.at(DocFib::kDop);
  const bool facing = dop.lcb > 0 && d.table.has(dop.fc, 1) && (d.table.u8(dop.fc) & 1) != 0;
  BodyReader reader(d, /*page_numbers_dropped=*/true);
  const uint64_t start = d.fib.headersStart();
  uint64_t budget = uint64_t{d.fib.ccp_hdd} + (uint64_t{1} << 20);  // overlapping stories read at most this much
  std::set<std::pair<uint32_t, uint32_t>> read;
  constexpr size_t kOrder[] = {4, 1, 0, 5, 3, 2};  // first-page, odd, even header; the footers likewise
  for (size_t s = 0; s < sections.size(); ++s) {
    const bool title_page = sectionHasTitlePage(sectionProperties(d, sections, s));
    for (const size_t k : kOrder) {
      if ((k >= 4 && !title_page) || ((k == 0 || k == 2) && !facing)) continue;
      const size_t i = 6 + 6 * s + k;
      if (i + 1 >= stories.cps.size()) continue;
      const uint32_t b = stories.cps[i], e = std::min(stories.cps[i + 1], d.fib.ccp_hdd);
      if (e <= b || e - b > budget || !read.insert({b, e}).second) continue;
      budget -= e - b;
      reader.story = k == 2 || k == 3 || k == 5 ? "footer" : "header";
      reader.read(start + b, start + e);
    }
  }
  std::vector<std::string> lines;
  std::set<std::string> seen;
  for (std::string& line : reader.blocks.lines()) {
    if (seen.insert(line).second) lines.push_back(std::move(line));
  }
  return lines;
}

Result<std::string> readStream(const ole::CompoundFile& file, const char* stream, const std::string& name, uint64_t max) {
  const auto entry = file.find(stream);
  if (!entry || entry->storage) return badInput(name + ": Word 97-2003 document without its " + stream + " stream");
  return file.read(*entry, max);
}

}  // namespace

Result<ExtractedText> extractDoc(const ole::CompoundFile& file, const std::string& name, uint64_t max_stream_bytes) {
  auto word = readStream(file, "WordDocument", name, max_stream_bytes);
  if (!word.ok()) return word.error();
  auto fib = parseDocFib(*word, name);
  if (!fib.ok()) return fib.error();
  auto table = readStream(file, fib->tableStream(), name, max_stream_bytes);
  if (!table.ok()) return table.error();
  auto pieces = DocPieces::parse(*table, fib->at(DocFib::kClx), name);
  if (!pieces.ok()) return pieces.error();

  Document d{*word, DocBytes{*table}, *fib, std::move(*pieces), {}, {}, {}, {}, {}, {}, {}, {}};
  d.text = d.pieces.text(*word, d.fib.totalCharacters());
  d.paragraphs = DocParagraphs::read(*word, *table, d.fib.at(DocFib::kPlcfBtePapx));
  d.characters = DocCharacters::read(*word, *table, d.fib.at(DocFib::kPlcfBteChpx));
  d.styles = DocStyles::parse(*table, d.fib.at(DocFib::kStshf));
  d.fonts = DocFonts::read(*table, d.fib.at(DocFib::kSttbfFfn));
  readDocLists(*table, d.fib, d.numbering);
  d.revision_authors = readRevisionAuthors(d.table, d.fib.at(DocFib::kSttbfRMark));

  BodyReader reader(d);
  reader.read(0, d.fib.ccp_text);
  // Where the body's changes stand: the headings its passages get, read before anything follows it.
  std::map<int, std::vector<std::string>> change_places;
  if (d.changes.anyInBody()) change_places = changePlacesInBody(reader.blocks.render());
  // The notes' and comments' changes are numbered in the order they are written, after the body's.
  for (size_t i = 0; i < reader.notes.size() && i < reader.note_changes.size(); ++i) {
    d.changes.place(reader.note_changes[i].changes, {reader.note_changes[i].story, ""}, reader.notes[i]);
  }
  for (size_t i = 0; i < reader.comments.size() && i < reader.comment_changes.size(); ++i) {
    d.changes.place(reader.comment_changes[i].changes, {reader.comment_changes[i].story, ""}, reader.comments[i]);
  }
  reader.blocks.addNotes(reader.notes);
  reader.blocks.addSection("Comments", reader.comments);
  // Once, after everything else: they repeat on every page and would otherwise win every search for
  // their words. Their changes are listed before them, with the others.
  const std::vector<std::string> headers = headerLines(d);
  if (!d.changes.empty()) reader.blocks.addSection("Tracked changes", d.changes.lines(change_places));
  reader.blocks.addSection("Headers and footers", headers);
  ExtractedText out = reader.blocks.render();

  const ole::SummaryInformation summary = ole::readSummaryInformation(file, max_stream_bytes);
  out.title = !summary.title.empty() ? summary.title : reader.title;
  out.author = summary.author;
  return out;
}

}  // namespace folio::ingest::office
