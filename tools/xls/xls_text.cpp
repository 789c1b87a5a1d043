// Prints the text Folio extracts from one file (an .xls, or any format Folio reads), as the ingest
// pipeline gets it before chunking: for tools/xls/compare_xls.py, which compares it cell by cell with
// other readers, and for timing the reader alone. Usage: folio_xls_text FILE (exit 1 with the error).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "ingest/extract.h"
#include "ingest/source_kind.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: folio_xls_text FILE\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  folio::ingest::ExtractOptions options;
  options.ocr = false;
  auto text = folio::ingest::extractBytes(bytes, folio::ingest::classifySource(argv[1]), argv[1], options);
  if (!text.ok()) {
    std::fprintf(stderr, "%s\n", text.error().message.c_str());
    return 1;
  }
  std::fwrite(text->text.data(), 1, text->text.size(), stdout);
  return 0;
}
