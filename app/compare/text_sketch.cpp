#include "app/compare/text_sketch.h"

#include <algorithm>

namespace folio::app {

std::vector<uint64_t> wordTripleSketch(std::span<const uint64_t> keys, size_t k) {
  std::vector<uint64_t> grams;
  if (keys.size() < 3) return grams;
  grams.reserve(keys.size() - 2);
  for (size_t i = 0; i + 3 <= keys.size(); ++i) {
    grams.push_back((keys[i] * 0x9E3779B97F4A7C15ull) ^ (keys[i + 1] * 0xC2B2AE3D27D4EB4Full) ^ keys[i + 2]);
  }
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  if (grams.size() > k) grams.resize(k);
  return grams;
}

}  // namespace folio::app
