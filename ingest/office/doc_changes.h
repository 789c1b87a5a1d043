// The tracked changes of a Word 97-2003 (.doc) document, grouped and listed as a .docx's are
// (docx_changes.h): its characters carry revision marks (inserted or deleted, an author, a time) rather
// than elements around runs, so a change opens where a character's mark differs from the one before it
// and closes where the next differs or the paragraph ends.
#pragma once

#include <string>
#include <vector>

#include "ingest/office/doc_bytes.h"
#include "ingest/office/doc_fib.h"
#include "ingest/office/doc_properties.h"
#include "ingest/office/docx_changes.h"

namespace folio::ingest::office {

// The authors of revisions (SttbfRMark, [MS-DOC] 2.9.263), which sprmCIbstRMark indexes.
std::vector<std::string> readRevisionAuthors(const DocBytes& table, FcLcb sttbf_rmark);

class DocRevisions {
 public:
  // A text box's reading saves and restores the state of the paragraph anchoring it: copies are fine.
  DocRevisions(DocxChangeLog& log, const std::vector<std::string>& authors) : log_(&log), authors_(&authors) {}

  // A character about to be read into `text` (a paragraph's, or a note's) has `revision`.
  void character(const DocCharacters::Marks& marks, ParagraphChanges& paragraph, const std::string& text);
  // The paragraph ends with a mark of `revision`: its open change closes.
  void endParagraph(const DocCharacters::Revision& revision, ParagraphChanges& paragraph, const std::string& text);

 private:
  XmlAttributes attributes(const DocCharacters::Revision& revision);

  DocxChangeLog* log_;
  const std::vector<std::string>* authors_;
  DocCharacters::Revision open_;
  bool format_open_ = false;
  std::string author_, date_;  // what attributes() points at
};

}  // namespace folio::ingest::office
