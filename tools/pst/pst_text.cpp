// Prints the text Folio extracts from a mail store (.pst/.ost), read in place as `folio ingest` reads
// it, with the time taken and the peak memory on stderr: tools/pst/compare_pst.py compares it with
// readpst's and pffexport's reading.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "ingest/extract.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s STORE.pst\n", argv[0]);
    return 2;
  }
  using namespace folio::ingest;
  const auto start = std::chrono::steady_clock::now();
  auto text = extractMailStore(argv[1], argv[1]);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!text) {
    std::fprintf(stderr, "%s\n", text.error().message.c_str());
    return 1;
  }
  std::cout << text->text;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(stderr, "pages %zu, %.2f s, peak RSS %ld MiB\n", text->page_starts.size(), seconds, usage.ru_maxrss / 1024);
  return 0;
}
