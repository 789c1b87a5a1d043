// A text's bottom-k sketch (MinHash): the k smallest hashes of its word triples. Two passages or two
// documents sharing most of their triples share most of their sketches, whatever their layout — what
// finds a moved clause (version_compare.h) and a renamed version (folder_compare.h) without aligning
// every pair.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace folio::app {

// Sorted, distinct, at most `k`; empty for fewer than three tokens.
std::vector<uint64_t> wordTripleSketch(std::span<const uint64_t> keys, size_t k);

}  // namespace folio::app
