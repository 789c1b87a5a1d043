// A PDF page's comments, filled form fields and signature fields as lines of text after the page's own
// text: plain data in (read from the annotation dictionaries by pdf_markup_reader.cpp, signatures checked
// by pdf_markup_signature.cpp), text out. No poppler here, so the threading, quoting and duplicate rules
// are tested and fuzzed on their own.
#pragma once

#include <cstdint>
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

// What checking a signature's bytes found. Only the signed bytes and the signature over them are
// checked: never whether the certificate is trusted (that needs a trust store Folio does not keep).
enum class PdfSignatureIntegrity {
  Intact,            // the digest of the signed bytes matches, and the signature verifies with its certificate's key
  DigestMismatch,    // the signed bytes are not those that were signed
  SignatureInvalid,  // the digest matches, but the signature value does not verify with the certificate's key
  Unchecked,         // the signature could not be read or is of a kind not checked: `problem` says why
};

struct PdfSignature {
  int ref = -1;  // the terminal field's object number (a field with several widgets on a page: once)
  std::string name;  // /TU, else the full dotted /T name
  bool is_signed = false;  // false: an empty signature field
  std::string signer;       // the signer certificate's common name, UTF-8
  std::string stated_name;  // the signature dictionary's /Name
  std::string signing_time;   // "2024-03-05 14:30 UTC": the signingTime the signature states (the signer's clock)
  std::string stated_date;    // /M as stored: the time when the signature states none
  std::string timestamp_time;  // an RFC 3161 timestamp token's time, "2024-03-05 14:31 UTC"; empty when none
  // A document timestamp (/Type /DocTimeStamp, ETSI.RFC3161): `signer` is the timestamp authority, the
  // integrity whether the bytes match the token's message imprint (and the token's signature verifies).
  bool document_timestamp = false;
  std::string reason, location;  // /Reason, /Location
  int certification = 0;  // a certification (DocMDP) signature's /P: 1–3; 0: an approval signature
  PdfSignatureIntegrity integrity = PdfSignatureIntegrity::Unchecked;
  std::string problem;  // Unchecked: why
  bool frames_contents = true;  // false: the bytes between the signed ranges are not the /Contents string (a
                               // file rewritten after signing); the CMS was then read from the parsed /Contents
  int64_t covered_end = 0;  // the end of the last signed byte range
  int64_t file_size = 0;
  // A field whose widget is in no page's /Annots and names no page (/P): listed after the last page.
  bool on_no_page = false;
};

struct PdfPageMarkup {
  std::vector<PdfComment> comments;  // in /Annots order; Popups, Links and Widgets left out
  std::vector<PdfField> fields;      // in /Annots order; only fields that have a value
  std::vector<PdfSignature> signatures;  // in /Annots order, then those only the AcroForm's /Fields reach;
                                         // signed and empty signature fields
  std::vector<PdfWord> words;        // the page's words (filled only when a comment or field needs them)
};

// "2024-03-05 14:30" from a PDF date ("D:20240305143000+01'00'"); the date alone when it has no time;
// empty when it does not start with a year.
std::string pdfDateText(std::string_view pdf_date);

// "2024-03-05 13:30 UTC" from a PDF date with its offset ("D:20240305143000+01'00'"), "2024-03-05 14:30"
// when it has no offset; otherwise as pdfDateText.
std::string pdfDateUtcText(std::string_view pdf_date);

// The lines for page `page_number` (1-based): fields as "[field p.N, name: value]", signature fields as
// "[signature p.N, name: signed by …; what the check found]" or "[signature p.N, name: not signed]" ("[signature on no
// page, …]" for a field on no page; a document timestamp "timestamped by …"), then comments as
// "[comment p.N, author, date, on highlighted "quoted words": text]" with their replies indented under
// them ("  [reply p.N, …]"). Text boxes and field values drawn in the page text already (found among the
// words inside their rectangle) are left out; a reply whose parent is not on the page, or that is part
// of an /IRT loop, stands on its own. Empty when there is nothing to add; else ends with '\n'.
std::string formatPdfMarkup(int page_number, const PdfPageMarkup& markup);

}  // namespace folio::ingest
