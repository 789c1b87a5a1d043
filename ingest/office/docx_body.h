// Reads the paragraphs and tables of a WordprocessingML story — the document body, a header or a
// footer — into TextBlocks: list labels written out, tracked deletions, hidden text and the tables of
// contents left out, text boxes after the paragraph that anchors them (once: the fallback copy of
// alternate content is skipped), charts (c:chart, cx:chart) after that paragraph too when the reader is
// given the story's charts. Along the way it records the note and comment marks, the tracked
// changes (a "[change N]" marker after each, docx_changes.h) and, in the body, each section's header and
// footer references.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/office/docx_change_scanner.h"
#include "ingest/office/docx_changes.h"
#include "ingest/office/docx_numbering.h"
#include "ingest/office/docx_paragraph_join.h"
#include "ingest/office/docx_styles.h"
#include "ingest/office/related_charts.h"
#include "ingest/office/text_blocks.h"
#include "ingest/office/xml_reader.h"

namespace folio::ingest::office {

// Elements whose whole subtree is no part of the text Word shows (deleted runs, old properties of
// tracked changes, the fallback copy of alternate content).
bool docxSkippedSubtree(std::string_view name);

// A section's header or footer as its w:sectPr references it.
struct DocxStoryRef {
  bool footer = false;
  std::string type;  // "default", "first", "even"
  std::string id;    // the relationship id
};

struct DocxSection {
  std::vector<DocxStoryRef> refs;
  bool title_page = false;  // w:titlePg: the first page has its own header and footer
};

class DocxBodyReader {
 public:
  // `changes` numbers and lists the tracked changes; `story` names where they stand ("" for the body,
  // "header", "footer"). `page_fields_dropped`: a header's page numbers (PAGE, NUMPAGES fields) are left
  // out, and a paragraph left with nothing but a label ("Page of") with them.
  DocxBodyReader(DocxStyles& styles, DocxNumbering& numbering, DocxChangeLog& changes, std::string story = "",
                 bool page_fields_dropped = false)
      : styles_(styles),
        numbering_(numbering),
        changes_(changes),
        story_(std::move(story)),
        page_fields_dropped_(page_fields_dropped),
        scanner_(changes) {}

  XmlHandler handler();

  // The story's charts, read where their graphics are anchored; nullptr leaves charts out.
  RelatedCharts* charts = nullptr;
  TextBlocks blocks;
  std::string title;
  struct NoteRef {
    bool endnote;
    std::string id;
  };
  std::vector<NoteRef> notes;         // in the order of their marks; mark n is notes[n-1]
  std::vector<std::string> comments;  // comment ids in the order of their marks ("[comment n]")
  std::vector<DocxSection> sections;  // in document order

 private:
  struct Paragraph {
    std::string style;
    std::string num_id;
    int num_level = -1;
    bool has_numbering = false;
    int outline = -1;
    bool page_break_before = false;
    bool page_field = false;  // held a page-number field that was left out
    bool section_end = false;  // its mark ends a section (w:pPr/w:sectPr)
    std::string text;
    std::vector<size_t> page_breaks;
    ParagraphChanges changes;
  };
  // A table row or cell inserted or deleted as a whole, with its text for the listing.
  struct ChangedPart {
    RowChange change;
    std::string text;
    bool new_cell = false;  // the next text read starts a cell
    bool deleted() const { return change.mark == ChangeMark::Deleted || change.mark == ChangeMark::MovedFrom; }
  };
  struct Row {
    int index = 0;      // 1-based, in its table
    size_t column = 0;  // the cell being read, 1-based in the row (an inserted or deleted one counts)
    bool header = false;  // w:tblHeader: a header row
    ChangedPart whole;
    ChangedPart cell;           // the cell being read
    bool cell_pending = false;  // its w:tc started and its content not yet: w:tcPr may delete it
    bool cell_open = false;     // opened in the blocks (a deleted cell never is)
    std::vector<std::pair<ChangeDraft, size_t>> cell_changes;  // its cells inserted or deleted (and their columns), listed after it
  };
  struct Field {
    std::string code;
    bool result = false;  // past its separator: what follows is shown
    bool page = false;    // a page number, left out in headers
  };

  void start(std::string_view name, const XmlAttributes& a);
  void end(std::string_view name);
  void text(std::string_view text);
  bool sectionElement(std::string_view name, const XmlAttributes& a);
  void fieldElement(std::string_view name, const XmlAttributes& a);
  bool inPageField() const;
  void finishParagraph();
  void placeChart(const ChartText& chart);
  void finishRow();
  void openPendingCell();
  void finishCell();
  void addLine(ParagraphText line);
  void flushJoined();
  void appendShown(Paragraph& p, std::string_view text);
  void noteShown(Paragraph& p, size_t from);
  ChangedPart* changedPart();
  ChangeSite site() const;
  std::string cellPlace(size_t column) const;
  std::pair<std::string, int> numberingOf(const Paragraph& p, const std::string& style) const;

  DocxStyles& styles_;
  DocxNumbering& numbering_;
  DocxChangeLog& changes_;
  std::string story_;
  bool page_fields_dropped_;
  DocxChangeScanner scanner_;
  std::vector<int> table_rows_;  // rows so far in each open table
  TablePlaces places_;           // the outermost table's cells, for the list to name
  std::vector<Row> rows_;        // open table rows, innermost last
  int boxes_ = 0;                // open text boxes
  std::vector<Paragraph> paragraphs_;  // nested: a text box's paragraphs sit inside a paragraph
  std::vector<Field> fields_;
  // A paragraph whose mark alone was deleted, waiting to be joined by the paragraph after it.
  ParagraphJoin joined_;
  SubtreeSkipper skipper_;
  int runs_open_ = 0;  // a text box's runs sit inside a run of the paragraph holding it
  bool in_ppr_ = false, in_text_ = false, in_instruction_ = false, hidden_ = false, in_sectpr_ = false;
};

}  // namespace folio::ingest::office
