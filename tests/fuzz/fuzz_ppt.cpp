// Fuzzes the PowerPoint 97-2003 (.ppt) reader (records, the edit chain and persist directories, slide
// lists, slides' drawings, tables, notes): the input is the Current User atom's offsetToCurrentEdit
// (32 bits) and then the "PowerPoint Document" stream, put in a compound file with a Current User
// stream pointing there, so mutations reach the presentation's records rather than the container.
// Any bytes give an error naming the file, or valid UTF-8 whose page starts increase inside the text
// and whose chunks keep their provenance. Seeds: tools/ppt/make_decks.py --fuzz-seeds.
// fuzz-link: folio_ingest
// fuzz-sources: support/compound_file_writer.cpp
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_extract_support.h"
#include "ingest/office/ppt_extract.h"
#include "ingest/ole/compound_file.h"
#include "support/compound_file_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace folio::ingest;
  if (size < 4 || size > 262144) return 0;
  // CurrentUserAtom: header, size, header token, offsetToCurrentEdit, then the rest PowerPoint writes.
  std::string user("\x00\x00\xF6\x0F\x14\x00\x00\x00\x14\x00\x00\x00\x5F\xC0\x91\xE3", 16);
  user.append(reinterpret_cast<const char*>(data), 4);
  user += std::string("\x00\x00\xF4\x03\x03\x00\x00\x00", 8);
  const std::string document(reinterpret_cast<const char*>(data) + 4, size - 4);
  using folio::test::CfbNode;
  const std::string bytes =
      folio::test::compoundFileBytes({CfbNode::stream("Current User", user), CfbNode::stream("PowerPoint Document", document)});
  auto file = ole::CompoundFile::open(bytes, "fuzz.ppt");
  if (!file.ok()) std::abort();  // the writer's files always open
  auto r = office::extractPpt(*file, "fuzz.ppt");
  if (!r.ok()) {
    if (r.error().message.rfind("fuzz.ppt: ", 0) != 0) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, SourceType{SourceKind::Presentation, ""});
  return 0;
}
