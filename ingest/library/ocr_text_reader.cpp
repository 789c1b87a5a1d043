#include "ingest/library/ocr_text_reader.h"

#include <string>

namespace folio::ingest {

Result<OcrTextReader> OcrTextReader::open(const std::filesystem::path& library) {
  DatabaseOptions options;
  options.read_only = true;
  options.create = false;
  options.cache_kib = 2048;  // a few pages' readings at a time
  auto db = Database::open(library, options);
  if (!db) return db.error();
  return OcrTextReader(std::move(*db));
}

Result<OcrPageTexts> OcrTextReader::find(std::string_view pdf_hash, std::string_view languages, int version) {
  auto s = db_.prepare(
      "SELECT page, text FROM ocr_texts WHERE pdf_hash = ?1 AND languages = ?2 AND version = ?3 ORDER BY page");
  if (!s) return s.error();
  s->bind(1, pdf_hash).bind(2, languages).bind(3, version);
  OcrPageTexts out;
  out.pdf_hash = std::string(pdf_hash);
  out.languages = std::string(languages);
  out.version = version;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.pages.emplace(s->columnInt(0), s->columnText(1));  // copies kept by two documents are the same
  }
}

}  // namespace folio::ingest
