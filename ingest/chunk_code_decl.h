// The declarations the code chunker finds (chunk_code.cpp) and their packing into chunks
// (chunk_code_pack.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ingest/chunk_util.h"

namespace folio::ingest {

struct CodeDecl {
  ChunkKind kind = ChunkKind::Function;
  std::string label;      // heading path entry: "class RouteCache", "lengthOf"
  std::string signature;  // one line for the outline
  int64_t begin = 0, end = 0;
  std::vector<CodeDecl> children;
};

// Chunks for the declarations `list` (in text order) and the text around them in [0, text size).
// Neighbouring declarations and the text between them share a chunk while together they fit
// options.target_tokens. A declaration over the target is a chunk of its own: its members are packed
// the same way under its heading, or, without members, it is cut at lines. The text before, between
// and after declarations goes with its neighbours, or is dropped when it is under 8 tokens and has
// none ("};", "package geo").
void emitCodeDecls(const TextIndex& index, const std::vector<CodeDecl>& list, const TokenCounter& tokens,
                   const ChunkOptions& options, std::vector<Chunk>& out);

}  // namespace folio::ingest
