// Fuzzes version comparison (app/compare): the input holds two versions of a document separated by a
// line "=====" (document text as extraction leaves it: valid UTF-8), each cut into chunks at blank
// lines, a chunk's first line its heading. The alignment's runs pair equal tokens in order on both
// sides; a version compared with itself has no differences; every difference's text is valid UTF-8;
// no more tokens are unchanged than either side has.
// fuzz-link: folio_app folio_ingest
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/compare/comparison_format.h"
#include "app/compare/token_alignment.h"
#include "app/compare/version_compare.h"
#include "ingest/utf8_text.h"

namespace {

folio::app::VersionText versionOf(const std::string& text) {
  std::vector<folio::ingest::StoredChunk> chunks;
  size_t pos = 0;
  int line = 1;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    if (end == std::string::npos) end = text.size();
    folio::ingest::StoredChunk c;
    c.id = static_cast<int64_t>(chunks.size()) + 1;
    c.text = text.substr(pos, end - pos);
    c.heading = c.text.substr(0, std::min(c.text.find('\n'), size_t{40}));
    if (!c.heading.empty() && !folio::ingest::isValidUtf8(c.heading)) c.heading.clear();
    c.page_first = c.page_last = 1 + static_cast<int>(chunks.size() % 3);
    c.line_first = line;
    line += 2;
    chunks.push_back(std::move(c));
    pos = end + 2;
  }
  return folio::app::tokenizeVersion(std::move(chunks));
}

void check(const folio::app::VersionChange& c) {
  for (const std::string* s : {&c.deleted, &c.inserted, &c.before, &c.after, &c.old_place.heading, &c.new_place.heading}) {
    if (!folio::ingest::isValidUtf8(*s)) std::abort();
  }
  if (!folio::ingest::isValidUtf8(folio::app::changeLine(c))) std::abort();
  for (const auto& inner : c.inner) check(inner);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  const std::string text = folio::ingest::normalizeText(std::string(reinterpret_cast<const char*>(data), size));
  const size_t split = text.find("\n=====\n");
  const std::string old_text = text.substr(0, split);
  const std::string new_text = split == std::string::npos ? text : text.substr(split + 7);
  const folio::app::VersionText a = versionOf(old_text), b = versionOf(new_text);

  std::vector<uint64_t> ka, kb;
  for (const auto& t : a.tokens) ka.push_back(t.key);
  for (const auto& t : b.tokens) kb.push_back(t.key);
  folio::app::AlignmentLimits tiny;
  tiny.exact_cells = 16;  // the anchored path too, not only exact alignment
  for (const auto& limits : {folio::app::AlignmentLimits{}, tiny}) {
    size_t i = 0, j = 0;
    for (const auto& r : folio::app::alignTokens(ka, kb, limits)) {
      if (r.length == 0 || r.a < i || r.b < j || r.a + r.length > ka.size() || r.b + r.length > kb.size()) std::abort();
      for (size_t k = 0; k < r.length; ++k) {
        if (ka[r.a + k] != kb[r.b + k]) std::abort();
      }
      i = r.a + r.length;
      j = r.b + r.length;
    }
  }
  const auto c = folio::app::compareVersions(a, b);
  if (c.unchanged_tokens > a.tokens.size() || c.unchanged_tokens > b.tokens.size()) std::abort();
  for (const auto& change : c.changes) check(change);
  const auto same = folio::app::compareVersions(a, versionOf(old_text));
  if (!same.changes.empty() || !same.renumbered.empty()) std::abort();
  return 0;
}
