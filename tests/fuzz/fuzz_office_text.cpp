// Fuzzes Word and OpenDocument extraction. Random bytes rarely survive a zip's checksums, so the input
// is mostly the XML parts, which the harness zips: for Word, body, styles, numbering and footnotes
// separated by NUL bytes; after a leading "ODT\n", an OpenDocument's content.xml, styles.xml and
// meta.xml. An input starting with "PK" is read as the file itself. Checks: a failure names the file; text is
// valid UTF-8; page starts increase from 0 inside the text; chunking keeps its provenance.
// fuzz-link: folio_ingest
// fuzz-sources: support/docx_writer.cpp
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/utf8_text.h"
#include "support/docx_writer.h"

namespace {

std::vector<std::string> splitParts(std::string_view in) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (parts.size() < 4) {
    const size_t nul = in.find('\0', pos);
    parts.emplace_back(in.substr(pos, nul == std::string_view::npos ? std::string_view::npos : nul - pos));
    if (nul == std::string_view::npos) break;
    pos = nul + 1;
  }
  parts.resize(4);
  return parts;
}

std::string docxFromParts(std::string_view in) {
  const auto parts = splitParts(in);
  folio::test::DocxParts p;
  p.body = parts[0];
  p.styles = parts[1];
  p.numbering = parts[2];
  p.footnotes = parts[3];
  p.title = "fuzz";
  return folio::test::docxBytes(p);
}

std::string odtFromParts(std::string_view in) {
  const auto parts = splitParts(in);
  return folio::test::zipBytes({{"mimetype", "application/vnd.oasis.opendocument.text"},
                                {"content.xml", parts[0]},
                                {"styles.xml", parts[1]},
                                {"meta.xml", parts[2]}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string bytes = in.substr(0, 2) == "PK"     ? std::string(in)
                            : in.substr(0, 4) == "ODT\n" ? odtFromParts(in.substr(4))
                                                         : docxFromParts(in);
  const SourceType word{SourceKind::Word, ""};
  ExtractOptions options;
  options.max_file_bytes = 1u << 20;
  auto r = extractBytes(bytes, word, "fuzz.docx", options);
  if (!r.ok()) {
    if (r.error().message.find("fuzz.docx") == std::string::npos) std::abort();
    return 0;
  }
  const ExtractedText& t = *r;
  for (size_t i = 0; i < t.text.size();) {
    const size_t n = utf8SequenceLength(t.text, i);
    if (n == 0) std::abort();
    i += n;
  }
  for (size_t i = 0; i < t.page_starts.size(); ++i) {
    if (i == 0 ? t.page_starts[0] != 0 : t.page_starts[i] <= t.page_starts[i - 1]) std::abort();
    if (t.page_starts[i] >= static_cast<int64_t>(t.text.size()) && i > 0) std::abort();
  }
  const EstimatingTokenCounter tokens;
  for (const Chunk& c : chunkDocument(t, word, tokens)) {
    if (c.byte_begin < 0 || c.byte_end > static_cast<int64_t>(t.text.size()) || c.byte_begin >= c.byte_end) std::abort();
    if (!t.page_starts.empty() && (c.page_first < 1 || c.page_last < c.page_first)) std::abort();
  }
  return 0;
}
