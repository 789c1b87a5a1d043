// `folio_cjk`, the FTS5 tokenizer of chunks_fts (schema.h, kChunkTokenizer): CJK text (cjk_text.h) is
// indexed one character per position, everything else goes to the tokenizer it wraps (its arguments:
// `folio_cjk porter unicode61 remove_diacritics 2` keeps porter stemming and diacritic folding for
// Latin, Greek, Cyrillic ... text, now also where it touches CJK text, as in `Folioは`).
//
// A run of CJK characters c0 c1 ... cn is indexed, as a document, as the single characters c0 ... cn at
// consecutive positions, each but the last with the pair starting there (c0c1, c1c2, ...) colocated at
// its position (FTS5_TOKEN_COLOCATED). A query string is tokenized into the pairs c0c1 ... c(n-1)cn
// and the last character cn, one per position, so the phrase FTS5 makes of a query string matches
// exactly where its characters occur in that order, inside a longer run or not, and its pairs are far
// more selective than single characters (a Japanese や or 的 in Chinese is in nearly every chunk). A
// single character is found through the single characters. Each position's offsets are those of
// its one character, so snippet() and highlight() mark exactly the matched characters (overlapping
// pair offsets would make adjacent matches garble a snippet). This is the character-bigram approach
// of Lucene's CJK analyzer, with unigrams kept so that one-character words and offsets work.
//
// With `identifiers` as its first argument (`folio_cjk identifiers porter unicode61 ...`), a document's
// word that joins words the way code names things (`activeExpireCycle`, `HTTPServer`; `snake_case` the
// wrapped unicode61 already splits) is indexed as itself with its parts' tokens colocated at its
// position (identifier_parts.h), so `expire` finds `activeExpireCycle`. Queries are tokenized as
// before: the whole word finds itself. Colocated tokens do not count in a column's size, so BM25's
// length normalisation is unchanged. Without the argument (libraries before schema v10) the tokens are
// those of v6, which FTS5 needs to delete what it indexed.
#pragma once

#include <sqlite3.h>

#include <string_view>

#include "engine/common/result.h"

namespace folio::ingest {

inline constexpr std::string_view kCjkTokenizerName = "folio_cjk";
inline constexpr std::string_view kIdentifiersOption = "identifiers";

// Registers folio_cjk on the connection; Database::open does this for every connection (a library
// whose chunks_fts names it cannot be read or written without it).
Status registerCjkTokenizer(sqlite3* db);

}  // namespace folio::ingest
