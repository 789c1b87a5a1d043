// Structure-aware chunking: ExtractedText -> chunks with provenance (byte offsets into
// ExtractedText::text, 1-based line spans, 1-based page spans from page_starts, heading path, tokens).
//
// chunkDocument dispatches on the source type:
//   Code                 -> chunkCode (declarations + one Outline chunk per file)
//   Pdf/Word/PlainText   -> classifyText: legal -> chunkLegal, paper -> chunkPaper, else chunkGeneric
//   Markdown/Html/Email  -> chunkGeneric (headings and paragraphs; in text other than Markdown and HTML,
//                           '#' lines can be comments, and then only banner lines are headings); a
//                           message's attached files each as their own kind (chunkMessage)
// Units larger than target_tokens are split into consecutive parts carrying the same heading path:
// prose at sentence ends (chunk_util endsSentenceAt), code at line boundaries, a single over-long line
// where the tokens run out. Small neighbouring declarations of code share a chunk up to target_tokens
// (chunk_code_pack.cpp), and generic paragraphs are packed up to target_tokens with overlap_tokens of
// overlap; legal clauses and paper sections are never merged (each is its own chunk).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "ingest/chunk.h"
#include "ingest/source_kind.h"

namespace folio::ingest {

struct ChunkOptions {
  int target_tokens = 512;
  int overlap_tokens = 32;
};

class TokenCounter {
 public:
  virtual ~TokenCounter();
  virtual int count(std::string_view text) const = 0;
};

// An estimate for when no tokenizer is loaded: BPE tokenizers average about 4 bytes per token on
// English prose, but short words and punctuation-heavy text (code) produce more tokens than bytes/4
// suggests. The estimate is max(ceil(bytes / 4), words + ceil(punctuation / 2)), where words are
// maximal runs of letters/digits/underscore/non-ASCII bytes and punctuation counts the other non-space
// bytes. The rounding makes it subadditive: the counts of the lines of a text add up to at least the
// count of the whole, so chunks packed line by line never exceed their target.
class EstimatingTokenCounter final : public TokenCounter {
 public:
  int count(std::string_view text) const override;
};

// What kind of text a PDF or plain-text document is (see chunk_classify.cpp for the heuristic).
enum class TextGenre { Legal, Paper, Generic };
TextGenre classifyText(std::string_view text);
std::string_view textGenreName(TextGenre genre);

// The chunkers chunkDocument picks from. The library stores with each document which one made its
// chunks and that chunker's version (documents.chunker, documents.chunker_version), and an ordinary
// ingest re-reads the documents whose chunker's version has changed since.
enum class ChunkerId : uint8_t { Code, Legal, Paper, Generic };
std::string_view chunkerName(ChunkerId id);
std::optional<ChunkerId> parseChunkerName(std::string_view name);
// The version of a chunker's output (chunker.cpp); bump it whenever the chunks it makes change.
int chunkerVersion(ChunkerId id);
// Whether chunks stored as made by chunker `name` at `version` are not what this build would make:
// an unknown name (documents stored before chunker versions were recorded have '') or another version.
bool chunksOutdated(std::string_view name, int version);

// The chunker chunkDocument uses for this document.
ChunkerId chunkerFor(const ExtractedText& doc, const SourceType& type);

std::vector<Chunk> chunkDocument(const ExtractedText& doc, const SourceType& type, const TokenCounter& tokens,
                                 const ChunkOptions& options = {});
// chunkDocument with a chunker picked beforehand (chunkerFor).
std::vector<Chunk> chunkWith(ChunkerId chunker, const ExtractedText& doc, const SourceType& type,
                             const TokenCounter& tokens, const ChunkOptions& options = {});

// The individual chunkers (chunkDocument picks one); `language` as in SourceType::language.
std::vector<Chunk> chunkCode(const ExtractedText& doc, std::string_view language, const TokenCounter& tokens,
                             const ChunkOptions& options = {});
// An e-mail whose text holds attached files (chunk_message.cpp): each attached file's text chunked as
// that file's kind, under "Attachment: <name>"; the rest generic.
// `holder`: Email, or Archive for a zip archive's files (headed "File: <name>" rather than "Attachment: …").
std::vector<Chunk> chunkMessage(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options = {},
                                SourceKind holder = SourceKind::Email);
std::vector<Chunk> chunkLegal(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options = {});
std::vector<Chunk> chunkPaper(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options = {});
// `kind` is the document's source kind: in Markdown and HTML every ATX line ("# x") is a heading; in
// other text '#' lines may be comments (chunk_generic.cpp hashCommented), and then only banners such as
// "#### NETWORK ####" are headings.
std::vector<Chunk> chunkGeneric(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options = {},
                                SourceKind kind = SourceKind::Unknown);

}  // namespace folio::ingest
