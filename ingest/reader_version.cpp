#include "ingest/reader_version.h"

namespace folio::ingest {

int readerVersion(SourceKind kind) {
  switch (kind) {
    // 2: text boxes after their anchor; headers and footers once (.docx, .doc). 3: tracked changes marked
    // and listed; a deleted clause gone with its number. 4: a deleted paragraph mark joins its paragraph
    // to the next, deleted table cells gone from their rows. 5: .doc paragraphs whose mark alone was
    // deleted join the next (as .docx); changes in table cells name the row's label and the column.
    case SourceKind::Word: return 6;  // 6: .docx charts after their anchoring paragraph (title, kind, axes, series' points)
    // 2: tiled and JPEG TIFF, interlaced PNG, mirror EXIF orientations. 3: running headers and footers
    // (a fax's sender line) left out, as in PDFs.
    case SourceKind::Image: return 3;
    // 2: attached .xls/.ppt read; attached scans' OCR readings kept. 3: Outlook .pst/.ost stores read, and
    // an .msg's properties read by the code the stores share (mapi_message.h).
    // 4: Outlook's appointments, contacts, distribution lists and tasks with their own fields (named
    // properties). 5: appointments in the organizer's time zone. 6: Outlook 2013+ offline stores (4 KiB
    // pages, compressed blocks), which were refused. 7: attached zip archives read, each file inside as its kind.
    case SourceKind::Email: return 7;
    // 2: numbers in their Excel number format ("$1,250.00", "(300)"; .xlsx, .xls).
    // 3: .xlsx charts after their sheet's cells, chart sheets as pages.
    case SourceKind::Spreadsheet: return 4;  // 4: .xlsx chart series without cached points read from the workbook's cells
    // 2: comments (with their authors, dates, quoted highlights and replies) and filled form fields after
    // each page's text; running headers and footers ("CONFIDENTIAL", "Page 3 of 40") left out
    // (running_lines.h); scanned pages' OCR readings are reused, not read again.
    // 3: signature fields, signed or not, with the signer, time and whether the signed bytes still hold.
    // 4: signature fields in no page's /Annots (found through the AcroForm), document timestamps checked.
    case SourceKind::Pdf: return 4;
    case SourceKind::Presentation: return 2;  // 2: .pptx charts in their slide; alternate content's fallback left out
    case SourceKind::Archive:
    case SourceKind::Code:
    case SourceKind::Markdown:
    case SourceKind::Html:
    case SourceKind::PlainText:
    case SourceKind::Unknown: return 1;
  }
  return 1;
}

}  // namespace folio::ingest
