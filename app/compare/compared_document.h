// One side of a comparison, found the way a person names it: a document id of the library ("7"), its
// file as ingested ("/cases/acme/MSA v2.docx", "acme/MSA v2.docx", "MSA v2.docx" when that ends one
// document's path only), or any readable file not in the library, read and chunked now as an ingest
// would (nothing is stored). A library document compares as stored: a scan's OCR reading is not redone.
#pragma once

#include <atomic>
#include <string>

#include "app/compare/version_tokens.h"
#include "engine/common/result.h"
#include "ingest/extract.h"
#include "ingest/library/library.h"

namespace folio::app {

struct ComparedDocument {
  int64_t document_id = 0;  // 0: read from a file outside the library
  std::string name;         // as shown: the path relative to its ingested root, else the path given
  std::string path;         // the file's absolute path
  std::string kind;         // sourceKindName()
  int page_count = 0;
  VersionText text;
};

// `library` may be null (no library: files only). Errors name what was asked for and why: no such
// document or file, several documents ending with that name (listed), a document without text (skipped
// or failed, with its recorded reason), a file Folio does not read.
// A library document by id alone (the HTTP API, which reads no file a request names).
Result<ComparedDocument> findLibraryDocument(ingest::Library& library, int64_t document_id);

Result<ComparedDocument> findComparedDocument(ingest::Library* library, const std::string& ref,
                                              const ingest::ExtractOptions& extract = {});

}  // namespace folio::app
