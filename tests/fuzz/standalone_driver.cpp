// Runs a libFuzzer-style target without libFuzzer (gcc builds): every file of the corpus directories
// given on the command line, then --runs=N mutations of them (byte flips, inserts, deletes, splices,
// truncations) from a fixed seed, so a CI smoke run is reproducible. Crashes surface as signals.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<uint8_t> readAll(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void mutate(std::vector<uint8_t>& d, const std::vector<std::vector<uint8_t>>& corpus, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n ? static_cast<size_t>(rng() % n) : 0; };
  const int ops = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < ops; ++i) {
    switch (rng() % 7) {
      case 0: if (!d.empty()) d[pick(d.size())] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
      case 1: if (!d.empty()) d[pick(d.size())] = static_cast<uint8_t>(rng()); break;
      case 2: d.insert(d.begin() + static_cast<long>(pick(d.size() + 1)), static_cast<uint8_t>(rng())); break;
      case 3: if (!d.empty()) d.erase(d.begin() + static_cast<long>(pick(d.size()))); break;
      case 4: if (!d.empty()) d.resize(pick(d.size())); break;
      case 5: {  // splice a piece of another corpus entry
        const auto& o = corpus[pick(corpus.size())];
        if (o.empty()) break;
        const size_t a = pick(o.size()), n = 1 + pick(std::min<size_t>(64, o.size() - a));
        d.insert(d.begin() + static_cast<long>(pick(d.size() + 1)), o.begin() + static_cast<long>(a),
                 o.begin() + static_cast<long>(a + n));
        break;
      }
      case 6: {  // interesting integers (lengths, offsets) written little-endian
        static const uint64_t kValues[] = {0, 1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0xffffffffull, ~0ull, 1ull << 40};
        if (d.size() < 8) break;
        const uint64_t v = kValues[rng() % std::size(kValues)];
        std::memcpy(d.data() + pick(d.size() - 7), &v, 8);
        break;
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  long runs = 1000;
  std::vector<std::vector<uint8_t>> corpus;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--runs=", 7) == 0) { runs = std::atol(argv[i] + 7); continue; }
    std::error_code ec;
    if (std::filesystem::is_directory(argv[i], ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::directory_iterator(argv[i])) if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) corpus.push_back(readAll(f));
    } else if (std::filesystem::is_regular_file(argv[i], ec)) {
      corpus.push_back(readAll(argv[i]));
    }
  }
  if (corpus.empty()) corpus.push_back({});
  for (const auto& c : corpus) LLVMFuzzerTestOneInput(c.data(), c.size());
  std::mt19937_64 rng(0x5eedf011u);
  for (long r = 0; r < runs; ++r) {
    std::vector<uint8_t> d = corpus[static_cast<size_t>(rng() % corpus.size())];
    mutate(d, corpus, rng);
    LLVMFuzzerTestOneInput(d.data(), d.size());
  }
  std::printf("fuzz smoke: %zu corpus inputs + %ld mutations, no crash\n", corpus.size(), runs);
  return 0;
}
