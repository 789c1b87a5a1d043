// The content hash of a document's bytes: XXH64 (seed 0), written here from the published algorithm
// (no dependency). Fast (several GB/s), 64-bit, non-cryptographic: it detects changed files, it does
// not defend against a deliberately colliding file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace folio::ingest {

uint64_t xxh64(std::string_view bytes, uint64_t seed = 0);

// 16 lower-case hex digits of xxh64(bytes): the form stored in documents.content_hash.
std::string contentHashHex(std::string_view bytes);
std::string hashToHex(uint64_t hash);

}  // namespace folio::ingest
