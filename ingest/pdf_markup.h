// A PDF page's comments and filled form fields as lines of text after the page's own text: plain data
// in (read from the annotation dictionaries by pdf_markup_reader.cpp), text out. No poppler here, so
// the threading, quoting and duplicate rules are tested and fuzzed on their own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace folio::ingest {

// A box on the page in the text layer's coordinates (points, y down), as the page's words have them.
struct PdfBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct PdfWord {
  std::string text;  // UTF-8
  PdfBox box;
};

enum class PdfCommentKind { Note, TextBox, Highlight, Underline, StrikeOut, Redact };

struct PdfComment {
  int ref = -1;        // the annotation's object number; -1 when stored directly in /Annots
  int in_reply_to = -1;  // /IRT's object number; -1 when none
  PdfCommentKind kind = PdfCommentKind::Note;
  std::string author;  // /T, UTF-8
  std::string date;    // /CreationDate else /M, as stored ("D:20240305143000+01'00'")
  std::string text;    // /Contents, else /RC as plain text; UTF-8
  PdfBox rect;               // /Rect (a TextBox's text is looked for there)
  std::vector<PdfBox> quads;  // /QuadPoints: the words under them are quoted
};

enum class PdfFieldKind { Text, Choice, List, CheckBox, Options };

struct PdfField {
  int ref = -1;  // the terminal field's object number (a field with several widgets on a page: once)
  std::string name;  // /TU, else the full dotted /T name
  PdfFieldKind kind = PdfFieldKind::Text;
  std::string value;  // Text/Choice/Options: the value shown; List: the selected items joined by "; "
  bool checked = false;  // CheckBox
  PdfBox rect;           // the widget's /Rect: a value drawn there is in the page text already
};

struct PdfPageMarkup {
  std::vector<PdfComment> comments;  // in /Annots order; Popups, Links and Widgets left out
  std::vector<PdfField> fields;      // in /Annots order; only fields that have a value
  std::vector<PdfWord> words;        // the page's words (filled only when a comment or field needs them)
};

// "2024-03-05 14:30" from a PDF date ("D:20240305143000+01'00'"); the date alone when it has no time;
// empty when it does not start with a year.
std::string pdfDateText(std::string_view pdf_date);

// The lines for page `page_number` (1-based): fields as "[field p.N, name: value]", then comments as
// "[comment p.N, author, date, on highlighted "quoted words": text]" with their replies indented under
// them ("  [reply p.N, …]"). Text boxes and field values drawn in the page text already (found among the
// words inside their rectangle) are left out; a reply whose parent is not on the page, or that is part
// of an /IRT loop, stands on its own. Empty when there is nothing to add; else ends with '\n'.
std::string formatPdfMarkup(int page_number, const PdfPageMarkup& markup);

}  // namespace folio::ingest
