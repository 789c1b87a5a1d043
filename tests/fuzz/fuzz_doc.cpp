// Fuzzes the Word 97-2003 (.doc) reader (FIB, piece table, FKPs, styles, lists, notes, fields,
// tables): the input is a WordDocument stream and a table stream (a 32-bit length of the first, then
// both), put in a compound file, so mutations reach the .doc structures rather than the container.
// Any bytes give an error or valid UTF-8 whose page starts increase inside the text and whose chunks
// keep their provenance. Seeds: the fixtures' streams (tools/doc/make_doc_fixtures.py --fuzz-seeds).
// fuzz-link: folio_ingest
// fuzz-sources: support/compound_file_writer.cpp
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ingest/chunker.h"
#include "ingest/office/doc_extract.h"
#include "ingest/ole/compound_file.h"
#include "ingest/utf8_text.h"
#include "support/compound_file_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace folio::ingest;
  if (size < 4 || size > 262144) return 0;
  const uint32_t n = static_cast<uint32_t>(data[0] | data[1] << 8 | data[2] << 16 | static_cast<uint32_t>(data[3]) << 24) %
                     static_cast<uint32_t>(size - 3);
  const std::string word(reinterpret_cast<const char*>(data) + 4, n);
  const std::string table(reinterpret_cast<const char*>(data) + 4 + n, size - 4 - n);
  using folio::test::CfbNode;
  const std::string bytes = folio::test::compoundFileBytes(
      {CfbNode::stream("WordDocument", word), CfbNode::stream("0Table", table), CfbNode::stream("1Table", table)});
  auto file = ole::CompoundFile::open(bytes, "fuzz.doc");
  if (!file.ok()) std::abort();  // the writer's files always open
  auto r = office::extractDoc(*file, "fuzz.doc");
  if (!r.ok()) return 0;
  for (const std::string* s : {&r->text, &r->title, &r->author}) {
    for (size_t i = 0; i < s->size();) {
      const size_t k = utf8SequenceLength(*s, i);
      if (k == 0) std::abort();
      i += k;
    }
  }
  for (size_t i = 0; i < r->page_starts.size(); ++i) {
    if (i == 0 ? r->page_starts[0] != 0 : r->page_starts[i] <= r->page_starts[i - 1]) std::abort();
    if (i > 0 && r->page_starts[i] >= static_cast<int64_t>(r->text.size())) std::abort();
  }
  const SourceType type{SourceKind::Word, ""};
  const EstimatingTokenCounter tokens;
  for (const Chunk& c : chunkDocument(*r, type, tokens)) {
    if (c.byte_begin < 0 || c.byte_end > static_cast<int64_t>(r->text.size()) || c.byte_begin >= c.byte_end) std::abort();
  }
  return 0;
}
