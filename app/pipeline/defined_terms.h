// The definitions a cited clause relies on. A clause is read with its contract's defined terms: "each
// party's liability will not be more than the General Cap Amount" answers nothing until "“General Cap
// Amount” means ..." is read beside it, and that definition shares none of the question's words, so
// retrieval alone never brings it. The legal chunker names each definition's chunk by its term
// (chunk_legal: "13. Definitions › 13.27 “Prohibited Data”").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/pipeline/evidence.h"
#include "engine/common/result.h"
#include "ingest/library/library.h"

namespace folio::app {

// The term a definition chunk's heading names: "13. Definitions › 13.27 “Prohibited Data”" ->
// "Prohibited Data", '1.2 "Customer Data"' -> "Customer Data"; empty for other headings.
std::string definedTermOf(std::string_view heading);

// The terms a definitions chunk's text defines, each at the start of a line: '“Borrower” means …',
// '"Business Day" shall mean …', '“Affiliate” has the meaning …' — a US "Section 1.01 Defined Terms" or
// a UK "1.1 In this Agreement:" holds many in one chunk.
std::vector<std::string> termsDefinedIn(std::string_view text);

// The lines of `text` that define `term`: from the line opening with it quoted to the next line that
// opens another definition, or a blank line (at most 1,500 bytes); empty when no line opens with it.
std::string definitionOf(std::string_view text, std::string_view term);

// Whether `text` uses `term` as a word (case as written: a defined term is capitalised).
bool usesTerm(std::string_view text, std::string_view term);

// The definitions of the terms `passages` use, from each passage's own document, in the order the
// passages use them, at most `limit`, none of `passages` themselves.
Result<std::vector<RankedChunk>> definitionsUsed(ingest::Library& lib, const std::vector<RankedChunk>& passages,
                                                 size_t limit);

}  // namespace folio::app
