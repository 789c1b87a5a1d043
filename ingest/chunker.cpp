#include "ingest/chunker.h"

namespace folio::ingest {

std::vector<Chunk> chunkDocument(const ExtractedText& doc, const SourceType& type, const TokenCounter& tokens,
                                 const ChunkOptions& options) {
  switch (type.kind) {
    case SourceKind::Code: return chunkCode(doc, type.language, tokens, options);
    case SourceKind::Markdown:
    case SourceKind::Html: return chunkGeneric(doc, tokens, options);
    case SourceKind::Pdf:
    case SourceKind::PlainText:
    case SourceKind::Unknown:
      switch (classifyText(doc.text)) {
        case TextGenre::Legal: return chunkLegal(doc, tokens, options);
        case TextGenre::Paper: return chunkPaper(doc, tokens, options);
        case TextGenre::Generic: return chunkGeneric(doc, tokens, options);
      }
  }
  return chunkGeneric(doc, tokens, options);
}

}  // namespace folio::ingest
