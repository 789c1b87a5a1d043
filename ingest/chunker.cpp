#include "ingest/chunker.h"

#include <array>

namespace folio::ingest {
namespace {

struct ChunkerInfo {
  ChunkerId id;
  std::string_view name;  // stored in documents.chunker: never rename one
  int version;            // stored in documents.chunker_version
};

// BUMP A VERSION whenever that chunker's output changes for some input (other chunks, headings, spans
// or token counts): the next ordinary `folio ingest` then re-reads every document it made, so existing
// libraries get the new chunks without `--reread`. A change to classifyText can move Pdf/PlainText
// documents between legal, paper and generic: bump all three. A change to chunk_util.cpp (line
// splitting, token estimates) changes all four. Version 0 is what libraries stored before versions
// were recorded; never use it.
constexpr std::array<ChunkerInfo, 4> kChunkers{{
    {ChunkerId::Code, "code", 3},        // 2: a long line cut into parts that fit the target's tokens;
                                         // 3: Ruby, Lua, Tcl, Perl, shell, make, SQL, ... declarations;
                                         //    units over the target cut into even parts (chunk_util)
    {ChunkerId::Legal, "legal", 4},      // 2: units over the target cut at sentence ends; clauses on long lines;
                                         // 3: units over the target cut into even parts; 4: "# Title"
                                         //    lines (unnumbered Word headings) open sections
    {ChunkerId::Paper, "paper", 3},      // 2, 3: likewise
    {ChunkerId::Generic, "generic", 4},  // 2: likewise; 3: even parts; '#' comments in config text are
                                         //    not headings; packed chunks counted whole; 4: e-mail's
                                         //    attached files read and chunked as their own kinds
}};

constexpr bool indexedById() {
  for (size_t i = 0; i < kChunkers.size(); ++i) {
    if (static_cast<size_t>(kChunkers[i].id) != i) return false;
  }
  return true;
}
static_assert(indexedById(), "kChunkers is looked up by ChunkerId");

const ChunkerInfo& info(ChunkerId id) { return kChunkers[static_cast<size_t>(id)]; }

}  // namespace

std::string_view chunkerName(ChunkerId id) { return info(id).name; }

int chunkerVersion(ChunkerId id) { return info(id).version; }

std::optional<ChunkerId> parseChunkerName(std::string_view name) {
  for (const ChunkerInfo& c : kChunkers) {
    if (c.name == name) return c.id;
  }
  return std::nullopt;
}

bool chunksOutdated(std::string_view name, int version) {
  const auto id = parseChunkerName(name);
  return !id || chunkerVersion(*id) != version;
}

ChunkerId chunkerFor(const ExtractedText& doc, const SourceType& type) {
  switch (type.kind) {
    case SourceKind::Code: return ChunkerId::Code;
    case SourceKind::Markdown:
    case SourceKind::Html:
    case SourceKind::Spreadsheet:
    case SourceKind::Presentation:
    case SourceKind::Email: return ChunkerId::Generic;
    case SourceKind::Pdf:
    case SourceKind::Word:
    case SourceKind::PlainText:
    case SourceKind::Unknown:
      switch (classifyText(doc.text)) {
        case TextGenre::Legal: return ChunkerId::Legal;
        case TextGenre::Paper: return ChunkerId::Paper;
        case TextGenre::Generic: return ChunkerId::Generic;
      }
  }
  return ChunkerId::Generic;
}

std::vector<Chunk> chunkWith(ChunkerId chunker, const ExtractedText& doc, const SourceType& type,
                             const TokenCounter& tokens, const ChunkOptions& options) {
  switch (chunker) {
    case ChunkerId::Code: return chunkCode(doc, type.language, tokens, options);
    case ChunkerId::Legal: return chunkLegal(doc, tokens, options);
    case ChunkerId::Paper: return chunkPaper(doc, tokens, options);
    case ChunkerId::Generic:
      if (type.kind == SourceKind::Email) return chunkMessage(doc, tokens, options);
      return chunkGeneric(doc, tokens, options, type.kind);
  }
  return chunkGeneric(doc, tokens, options, type.kind);
}

std::vector<Chunk> chunkDocument(const ExtractedText& doc, const SourceType& type, const TokenCounter& tokens,
                                 const ChunkOptions& options) {
  return chunkWith(chunkerFor(doc, type), doc, type, tokens, options);
}

}  // namespace folio::ingest
