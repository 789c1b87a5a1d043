#include "ingest/chunk.h"

namespace folio::ingest {

std::string_view chunkKindName(ChunkKind kind) {
  switch (kind) {
    case ChunkKind::Outline: return "outline";
    case ChunkKind::Function: return "function";
    case ChunkKind::Class: return "class";
    case ChunkKind::Section: return "section";
    case ChunkKind::Clause: return "clause";
    case ChunkKind::Definitions: return "definitions";
    case ChunkKind::Schedule: return "schedule";
    case ChunkKind::Abstract: return "abstract";
    case ChunkKind::References: return "references";
    case ChunkKind::Page: return "page";
    case ChunkKind::Paragraph: return "paragraph";
  }
  return "paragraph";
}

}  // namespace folio::ingest
