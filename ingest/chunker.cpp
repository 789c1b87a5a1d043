#include "ingest/chunker.h"

#include <algorithm>
#include <array>
#include <string>

#include "ingest/utf8_text.h"

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
    {ChunkerId::Code, "code", 4},        // 2: a long line cut into parts that fit the target's tokens;
                                         // 3: Ruby, Lua, Tcl, Perl, shell, make, SQL, ... declarations;
                                         //    units over the target cut into even parts (chunk_util);
                                         // 4: PHP heredocs, '#' comments, inline HTML; Dart '''strings'''
    {ChunkerId::Legal, "legal", 4},      // 2: units over the target cut at sentence ends; clauses on long lines;
                                         // 3: units over the target cut into even parts; 4: "# Title"
                                         //    lines (unnumbered Word headings) open sections
    {ChunkerId::Paper, "paper", 3},      // 2, 3: likewise
    {ChunkerId::Generic, "generic", 5},  // 2: likewise; 3: even parts; '#' comments in config text are
                                         //    not headings; packed chunks counted whole; 4: e-mail's
                                         //    attached files read and chunked as their own kinds;
                                         //    spreadsheet chunks name their columns; 5: spreadsheet
                                         //    rows are never cut (parts end at line ends)
}};

constexpr bool indexedById() {
  for (size_t i = 0; i < kChunkers.size(); ++i) {
    if (static_cast<size_t>(kChunkers[i].id) != i) return false;
  }
  return true;
}
static_assert(indexedById(), "kChunkers is looked up by ChunkerId");

const ChunkerInfo& info(ChunkerId id) { return kChunkers[static_cast<size_t>(id)]; }

// A spreadsheet's rows mean little without their columns' names: a chunk of rows that does not hold
// its sheet's first row (xlsx_extract writes it right after "## Sheet: <name>") gets that row as the
// last part of its heading path, which citations and the model's passages show.
void labelColumns(std::vector<Chunk>& chunks, const std::string& text) {
  constexpr std::string_view kSheet = "## Sheet: ";
  constexpr size_t kMaxLabel = 300;
  struct Header {
    size_t sheet;  // where the sheet's heading line starts
    size_t end;    // where its first row ends
    std::string row;
  };
  std::vector<Header> headers;  // in text order
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (text.compare(pos, kSheet.size(), kSheet) == 0 && nl < text.size()) {
      const size_t row_end = std::min(text.find('\n', nl + 1), text.size());
      std::string row = text.substr(nl + 1, row_end - nl - 1);
      if (row.size() > kMaxLabel) row = row.substr(0, utf8Boundary(row, kMaxLabel)) + "…";
      if (!row.empty() && row.rfind(kSheet, 0) != 0) headers.push_back({pos, row_end, std::move(row)});
    }
    pos = nl + 1;
  }
  for (Chunk& c : chunks) {
    // The sheet the chunk starts in, if the chunk starts after that sheet's first row.
    const auto at = static_cast<size_t>(c.byte_begin);
    const auto after = std::upper_bound(headers.begin(), headers.end(), at,
                                        [](size_t begin, const Header& h) { return begin < h.sheet; });
    if (after == headers.begin() || at < std::prev(after)->end) continue;
    c.heading_path.push_back(std::prev(after)->row);
  }
}

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
    case SourceKind::Image:
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
    case ChunkerId::Generic: {
      if (type.kind == SourceKind::Email) return chunkMessage(doc, tokens, options);
      std::vector<Chunk> chunks = chunkGeneric(doc, tokens, options, type.kind);
      if (type.kind == SourceKind::Spreadsheet) labelColumns(chunks, doc.text);
      return chunks;
    }
  }
  return chunkGeneric(doc, tokens, options, type.kind);
}

std::vector<Chunk> chunkDocument(const ExtractedText& doc, const SourceType& type, const TokenCounter& tokens,
                                 const ChunkOptions& options) {
  return chunkWith(chunkerFor(doc, type), doc, type, tokens, options);
}

}  // namespace folio::ingest
