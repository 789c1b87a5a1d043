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
};

class TextBlocks {
 public:
  // A finished paragraph: its list label ("" for none) and whether a space follows it, its text with
  // the offsets where pages break inside it, a break before it, its outline level. Inside a table cell
  // it becomes part of the cell's text. Returns the line as written (trimmed).
  std::string addParagraph(const std::string& label, bool space_after_label, const std::string& text,
                           const std::vector<size_t>& page_breaks, bool page_break_before, int heading);
  void beginRow();
  void endRow();  // writes the row's line (or adds it to the enclosing cell: a table inside a cell)
  void beginCell();
  void endCell();
  bool inCell() const { return !cells_.empty(); }
  // Appends the notes after the body under a "Notes" line: "[1] text", "[2] text", …
  void addNotes(const std::vector<std::string>& notes);

  // The lines as text. Heading paragraphs get Markdown marks ("## Termination") when the text is not
  // legal or paper-like (for the generic chunker; the legal and paper chunkers find numbered headings
  // themselves).
  ExtractedText render() const;

 private:
  struct Cell {
    std::string text;
    bool page_break = false;
  };
  struct Row {
    std::vector<std::string> cells;
    bool page_break = false;
  };
  std::vector<Block> blocks_;
  std::vector<Row> rows_;
  std::vector<Cell> cells_;
};

}  // namespace folio::ingest::office
