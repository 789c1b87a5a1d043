// The text of a word-processing document (Word, OpenDocument) as the lines Folio extracts: one
// paragraph per line with a blank line between them, table rows as "cell | cell", a list label before
// its paragraph ("5.2 The Supplier …"), notes after the body, page starts where the document breaks
// pages. The readers of each format walk their XML and feed a TextBlocks; it does the rest the same way.
#pragma once

#include <string>
#include <vector>

#include "ingest/chunk.h"

namespace folio::ingest::office {

struct Block {
  std::string text;
  int heading = -1;                 // 0-based outline level, -1 for body text
  std::vector<size_t> page_breaks;  // offsets into text where a new page starts
  bool numbered = false;            // opens with a list label
  bool title = false;               // the document's title (a Title style)
};

// A paragraph as a reader finished it.
struct ParagraphText {
  std::string label;                // its list label, "" for none
  bool space_after_label = true;
  std::string text;
  std::vector<size_t> page_breaks;  // offsets into text where pages break inside it
  bool page_break_before = false;
  int heading = -1;                 // 0-based outline level, -1 for body text
  bool title = false;
};

class TextBlocks {
 public:
  // A finished paragraph; inside a table cell it becomes part of the cell's text. Returns the line as
  // written (label and text, trimmed).
  std::string addParagraph(const ParagraphText& paragraph);
  void beginRow();
  void endRow();  // writes the row's line (or adds it to the enclosing cell: a table inside a cell)
  void beginCell();
  void endCell();
  bool inCell() const { return !cells_.empty(); }
  // A text box opens inside the paragraph being read (its anchor): the blocks it holds follow that
  // paragraph's line rather than come before it, so a box anchored in a heading stays in its section.
  void beginFloating();
  void endFloating();
  // Appends the notes after the body under a "Notes" line: "[1] text", "[2] text", …
  void addNotes(const std::vector<std::string>& notes);
  // Appends `lines` after the body under a `title` line (a Word file's comments).
  void addSection(const std::string& title, const std::vector<std::string>& lines);

  // The lines as text. Heading paragraphs get Markdown marks ("## Termination") for the generic
  // chunker; in legal text only unnumbered ones other than the title (the legal chunker finds
  // "5. Termination" itself and opens a section at a marked line: "Recitals", "Definitions" styled as
  // headings without numbers); in paper-like text none.
  ExtractedText render() const;
  // The non-empty lines so far, without marks (a header's paragraphs and rows).
  std::vector<std::string> lines() const;

 private:
  void push(Block b);
  void flushFloating();

  struct Cell {
    std::string text;
    bool page_break = false;
    std::string boxes;  // the text of boxes anchored in the paragraph being read, to follow its text
  };
  struct OpenBox {
    size_t cells = 0;        // cells_.size() when it opened (0: outside any table)
    size_t cell_length = 0;  // the innermost cell's text length then
  };
  struct Row {
    std::vector<std::string> cells;
    bool page_break = false;
  };
  std::vector<Block> blocks_;
  std::vector<Row> rows_;
  std::vector<Cell> cells_;
  // floating_[d]: blocks of text boxes at depth d + 1 waiting for the paragraph that anchors them.
  std::vector<std::vector<Block>> floating_;
  size_t floating_depth_ = 0;
  std::vector<OpenBox> open_boxes_;
};

}  // namespace folio::ingest::office
