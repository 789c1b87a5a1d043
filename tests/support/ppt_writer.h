// Writes PowerPoint 97-2003 presentations (.ppt, [MS-PPT]) for tests, laid out as PowerPoint writes
// them: a "PowerPoint Document" stream of the DocumentContainer (its slide lists), a main master, slide and notes
// containers with their drawings (placeholders, text boxes, tables as groups of cells), a persist
// directory and a UserEditAtom per save, and the "Current User" stream pointing at the newest edit —
// in an OLE compound file (compound_file_writer.h), with a SummaryInformation stream. Checked once
// against LibreOffice Impress 7.4, which opens the files with the same slides, titles, bodies, text
// boxes, notes and hidden slide (not the tables, for which it wants more of PowerPoint's table
// properties, nor the texts kept in the slide list), and catppt, which reads those slide-list texts.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "support/compound_file_writer.h"

namespace folio::test {

struct PptTestSlide {
  std::string title;                             // in a title placeholder; none when empty
  std::vector<std::string> body;                 // paragraphs of a body placeholder
  std::vector<std::string> notes;                // paragraphs of the notes page
  std::vector<std::vector<std::string>> table;   // a table's cells
  std::string text_box;                          // a plain text box (no placeholder), "\v" a line break
  std::string footer;                            // a footer placeholder's text (not the slide's own)
  bool hidden = false;
  bool bytes = false;    // 8-bit TextBytesAtom (Latin-1) instead of UTF-16 TextCharsAtom
  bool outline = false;  // placeholder texts kept in the slide list, the shapes referring to them
};

struct PptTestDeck {
  std::vector<PptTestSlide> slides;
  std::string title, author;  // SummaryInformation; none when both are empty
  // Later incremental saves: each appends new versions of some slides (by index) and its own edit.
  std::vector<std::vector<std::pair<size_t, PptTestSlide>>> saves;
  bool loop = false;       // the first edit points back at the newest one
  bool encrypted = false;  // the Current User atom's token says encrypted
};

struct PptStreams {
  std::string document;      // "PowerPoint Document"
  std::string current_user;  // "Current User"
  std::vector<uint32_t> slide_offsets;  // of each slide's (newest) container in `document`
};

PptStreams pptStreams(const PptTestDeck& deck);
// A compound file holding the streams (and `extra` entries).
std::string pptFileBytes(const PptStreams& streams, const PptTestDeck& deck, std::vector<CfbNode> extra = {});
std::string pptBytes(const PptTestDeck& deck);

// A SummaryInformation property set of a title and an author (8-bit strings in code page 1252).
std::string summaryInformationStream(const std::string& title, const std::string& author);

}  // namespace folio::test
