// Prints the text Folio extracts from a mail store (.pst/.ost), read in place as `folio ingest` reads
// it, with the time taken and the peak memory on stderr: tools/pst/compare_pst.py compares it with
// readpst's and pffexport's reading. `--hash FILE` times the content hash of any file as ingest takes it.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include <cstring>

#include "ingest/content_hash.h"
#include "ingest/extract.h"

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s STORE.pst | --hash FILE\n", argv[0]);
    return 2;
  }
  using namespace folio::ingest;
  if (argc == 3 && std::strcmp(argv[1], "--hash") == 0) {
    const auto start = std::chrono::steady_clock::now();
    auto hash = fileContentHashHex(argv[2]);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!hash) return std::fprintf(stderr, "%s\n", hash.error().message.c_str()), 1;
    std::printf("%s %.2f s\n", hash->c_str(), seconds);
    return 0;
  }
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
