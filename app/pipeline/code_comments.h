// What the comments of a piece of source code say, as prose: what an extractive summary of code
// should quote (the code itself, ranked as sentences, gave "redisDb *db = server.db+(...); data.db =
// db; */ data.sampled = 0;"). Whole-line comments only (a trailing "// note" is about one line),
// markers stripped (//, /* */, leading *, #, --, Python docstrings), each comment block a paragraph.
// License headers are left out.
#pragma once

#include <string>
#include <string_view>

namespace folio::app {

// The comment prose of `source` written in `language` (ingest/source_kind.h names: "c", "python",
// "ruby", "lua", ...); paragraphs separated by blank lines; "" when it has none or the language's
// comment syntax is not known.
std::string codeCommentText(std::string_view source, std::string_view language);

}  // namespace folio::app
