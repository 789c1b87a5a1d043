#include "ingest/reader_version.h"

namespace folio::ingest {

int readerVersion(SourceKind kind) {
  switch (kind) {
    case SourceKind::Word: return 2;   // 2: text boxes after their anchor; headers and footers once (.docx, .doc)
    // 2: tiled and JPEG TIFF, interlaced PNG, mirror EXIF orientations. 3: running headers and footers
    // (a fax's sender line) left out, as in PDFs.
    case SourceKind::Image: return 3;
    // 2: attached .xls/.ppt read; attached scans' OCR readings kept. 3: Outlook .pst/.ost stores read, and
    // an .msg's properties read by the code the stores share (mapi_message.h).
    case SourceKind::Email: return 3;
    case SourceKind::Spreadsheet: return 2;  // 2: numbers in their Excel number format ("$1,250.00", "(300)"; .xlsx, .xls)
    // 2: comments (with their authors, dates, quoted highlights and replies) and filled form fields after
    // each page's text; running headers and footers ("CONFIDENTIAL", "Page 3 of 40") left out
    // (running_lines.h); scanned pages' OCR readings are reused, not read again.
    case SourceKind::Pdf: return 2;
    case SourceKind::Presentation:
    case SourceKind::Code:
    case SourceKind::Markdown:
    case SourceKind::Html:
    case SourceKind::PlainText:
    case SourceKind::Unknown: return 1;
  }
  return 1;
}

}  // namespace folio::ingest
