// The tracked changes (redlines) of a Word file as a reviewer reads them. The text stays as Word shows
// it with the changes accepted; a marker "[change N]" follows each changed span where it stands (as
// comments are marked "[comment n]"), and the changes are listed after the body, one a line, numbered in
// the order of their markers. The story readers (body, headers, notes) feed each paragraph's change
// elements to a ParagraphChanges, which groups them: consecutive elements of one author with no unchanged
// text between them are one change, so a deletion beside an insertion is a replacement; a paragraph
// whose text and mark were all inserted or deleted is one change. A DocxChangeLog numbers them, writes
// their markers and lists them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/office/text_blocks.h"
#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {

enum class ChangeMark { None, Inserted, Deleted, MovedFrom, MovedTo };

// w:ins, w:del, w:moveFrom, w:moveTo; None for any other element.
ChangeMark changeMarkOf(std::string_view name);

// Elements that record old formatting (w:rPrChange, w:pPrChange, …): counted, not listed.
bool isFormattingChange(std::string_view name);

// One change as a story reader met it, before it is numbered; its marker goes at `offset` in the text.
struct ChangeDraft {
  enum class Kind { Text, Move, InsertedParagraph, DeletedParagraph, InsertedRow, DeletedRow, InsertedCell, DeletedCell };
  Kind kind = Kind::Text;
  std::string author, date;  // as the file has them (w:author, w:date)
  std::string deleted, inserted;
  std::string move_name;     // a move's range name (w:name), which pairs its two ends
  bool move_source = false;  // the moved-away end (w:moveFrom)
  size_t offset = 0;
};

// A row of a table inserted or deleted as a whole (w:trPr/w:ins, w:trPr/w:del), or a cell of one
// (w:tcPr/w:cellIns, w:tcPr/w:cellDel).
struct RowChange {
  ChangeMark mark = ChangeMark::None;
  std::string author, date;
  void set(ChangeMark m, const XmlAttributes& a);
};

// The change elements of one paragraph, in the order they close.
class ParagraphChanges {
 public:
  // `start`: where the paragraph starts in the text it is written to (a note's paragraphs share one).
  ParagraphChanges() = default;
  explicit ParagraphChanges(size_t start) : start_(start) {}

  void markParagraph(ChangeMark mark, const XmlAttributes& a);  // the paragraph mark's own change
  // A change element opens at element depth `depth`, the paragraph's text being `text_size` long.
  void open(ChangeMark mark, const XmlAttributes& a, std::string_view move_name, size_t text_size, int depth);
  // An element at `depth` ends: when it is the innermost open change, the text it added is text[start, end).
  void close(int depth, const std::string& text);
  void deletedText(std::string_view text);  // the text of the innermost open deletion
  bool inserting() const {  // the innermost open change is an insertion
    return !open_.empty() && (open_.back().mark == ChangeMark::Inserted || open_.back().mark == ChangeMark::MovedTo);
  }
  bool deleting() const {
    return !open_.empty() && (open_.back().mark == ChangeMark::Deleted || open_.back().mark == ChangeMark::MovedFrom);
  }
  void unchangedText() { unchanged_ = true; }  // text outside any insertion was written

  struct Outcome {
    std::vector<ChangeDraft> changes;
    bool removed = false;   // the paragraph itself was deleted (or moved away): it is no part of the text
    int mark_changes = 0;   // paragraph marks inserted or deleted without a whole paragraph
    // Its mark alone was deleted: accepted, its text runs on into the next paragraph's (ECMA-376
    // 17.13.5.15), the joined paragraph keeping this one's properties.
    bool joins_next = false;
  };
  Outcome finish() const;

 private:
  struct Open {
    size_t draft;
    size_t start;
    ChangeMark mark;
    int depth;
  };
  std::vector<ChangeDraft> drafts_;
  std::vector<Open> open_;
  ChangeMark paragraph_mark_ = ChangeMark::None;
  std::string mark_author_, mark_date_;
  bool unchanged_ = false;
  size_t start_ = 0;
};

// Where a change stands: `story` is "" for the body (its place then comes from the heading the chunker
// gives its marker) or "footnote 3", "header", …; `detail` says "table row 2", "table row 3, column
// \"Monthly fee\"" or "text box".
struct ChangeSite {
  std::string story;
  std::string detail;
};

// A table row's place in the list: "table row 3" (rows counted from 1, a header row too).
std::string tableRowPlace(int row);

// Where in a table a change in a cell stands, in words a reader of the list finds it by: "table row 3
// (Support), column \"Notes\"": the row's first cell's text (when the change is in another cell) and
// the column's header text (the text of its cell in the table's header row: Word's "repeat as header
// row", w:tblHeader or sprmTTableHeader), else "table row 3, column 3" (cells counted from 1 in their
// row). Texts as accepted, on one line, shortened past 60 bytes. The .docx and .doc readers feed it the
// cells of their outermost table.
class TablePlaces {
 public:
  void startTable() { header_.clear(), first_row_.clear(); }
  void startRow(int row) { row_ = row, label_.clear(); }
  // The text of a paragraph of cell `column` (from 1) of the row being read.
  void cellText(size_t column, std::string_view text);
  // The row ends; `is_header`: it is the table's header row (its first, marked so).
  void endRow(bool is_header);
  std::string place(size_t column) const;

 private:
  int row_ = 0;
  std::string label_;                          // the row's first cell
  std::vector<std::string> header_, first_row_;  // the header row's cells, the first row's being read
};

class DocxChangeLog {
 public:
  // Numbers `drafts` in order (a move's second end keeps its first end's number) and writes their
  // markers into `text`; page breaks after a marker move with it.
  void place(const std::vector<ChangeDraft>& drafts, const ChangeSite& site, std::string& text,
             std::vector<size_t>* page_breaks = nullptr);
  // The markers alone, for changes whose text is gone (a deleted paragraph or row): a line of their own.
  ParagraphText markerLine(const std::vector<ChangeDraft>& drafts, const ChangeSite& site) {
    ParagraphText line;
    place(drafts, site, line.text);
    return line;
  }
  void countFormatting() { ++formatting_; }
  void countParagraphMarks(int n) { paragraph_marks_ += n; }
  bool empty() const { return entries_.empty() && formatting_ == 0 && paragraph_marks_ == 0; }
  bool anyInBody() const { return body_sites_ > 0; }

  // The listing, one line a change: "[change 3] 8.1 Liability Caps — Opposing Counsel, 2024-03-05 14:30:
  // deleted "twelve (12) months", inserted "six (6) months"", then the count of formatting changes.
  // `body_places[n]`: the heading of each body marker of change n, in text order.
  std::vector<std::string> lines(const std::map<int, std::vector<std::string>>& body_places) const;

 private:
  struct Site {
    ChangeSite where;
    bool move_source = false;
    size_t body_index = 0;  // among this change's markers in the body
  };
  struct Entry {
    ChangeDraft change;
    std::vector<Site> sites;
  };
  int add(const ChangeDraft& draft, const ChangeSite& site);
  std::string placeOf(int number, const Site& site, const std::map<int, std::vector<std::string>>& body_places) const;

  std::vector<Entry> entries_;              // change n is entries_[n - 1]
  std::map<std::string, size_t> moves_;     // a move's name (or its text) -> its entry
  size_t body_sites_ = 0;
  int formatting_ = 0, paragraph_marks_ = 0;
};

// `text` without the characters of `lead` at its start and of `trail` at its end; the changes' markers
// stay where they were in the text.
void trimWithChanges(std::string& text, std::string_view lead, std::string_view trail, std::vector<ChangeDraft>& changes);

// `text` on one line: its runs of white space single spaces, none at its ends.
std::string oneLine(std::string_view text);

// The mark of a comment or change where it stands in the text: "[comment 2]", "[change 3]".
std::string markerText(std::string_view kind, int number);
inline std::string changeMarker(int number) { return markerText("change", number); }

// w:date ("2024-03-05T14:30:00Z") as "2024-03-05 14:30"; "" when it is no such date.
std::string changeDate(std::string_view date);

}  // namespace folio::ingest::office
