// A review table: the same questions asked of every document of a scope, one row per document and one
// column per question — the grid a lawyer fills in by hand for the due diligence of 300 contracts
// (governing law, term, termination, assignment, liability cap, …), or an engineer for the services
// of a repository. Each cell holds the passage of that document that best answers that question (the
// screen a question about each document uses, bestPassagePerDocument), quoted at its sentences, or with
// a model the model's one- or two-sentence answer read from it (answerEachDocument), and where it lies;
// a document none of whose passages holds enough of the question's words says "not found" there, which
// is itself a finding (a contract without a governing-law clause).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/pipeline/each_document_review.h"
#include "app/pipeline/evidence.h"
#include "app/pipeline/model_runtime.h"
#include "app/pipeline/summary_tree.h"
#include "app/pipeline/usage.h"
#include "ingest/library/library.h"

namespace folio::app {

inline constexpr size_t kMaxReviewQuestions = 50;
inline constexpr size_t kMaxReviewQuestionBytes = 500;
// A cell quotes at most this much of its passage (citationQuote picks the sentences that match): a
// table is read across, a cell is a clause's sentence or two, the reader holds the rest.
inline constexpr size_t kReviewQuoteBytes = 400;

// The questions of a commercial contract review, for `--checklist contracts` and the desktop's
// "Contract checklist": short, as the column heads of a due-diligence grid are.
const std::vector<std::string>& contractChecklist();

// Why a review cannot ask `question` ("is empty", "is longer than …", "has no word to look for"), or "".
std::string reviewQuestionProblem(std::string_view question);

// One question per line; blank lines and lines starting with '#' are skipped. BadInput names the line of
// a question it cannot ask (reviewQuestionProblem), and says when there are none or too many.
Result<std::vector<std::string>> parseReviewQuestions(std::string_view text);

struct ReviewOptions {
  std::vector<std::string> questions;     // the columns, 1 … kMaxReviewQuestions
  std::optional<std::string> collection;  // none: every document of the library
  std::vector<int64_t> document_ids;      // when not empty: only these documents
  bool matching_only = false;             // leave out the documents where every cell is "not found"
  // With a model (as a question asked of each document): each call's budgets and window.
  int64_t context_window = 0;  // 0: defaultContextWindow
  int64_t thinking_budget = kEachDocumentThinkingTokens;
  int64_t answer_budget = kEachDocumentAnswerTokens;
  double expert_threshold = 1.0;
  int concurrent = kEachDocumentConcurrent;
};

struct ReviewCell {
  std::optional<Evidence> passage;  // where it lies, its text the quote the reader highlights; none: no
                                    // passage matches (or, stopped, not asked yet: see `asked`)
  std::string text;                 // the model's answer, else the passage quoted at its sentences
  bool asked = true;                // false only in a table stopped before this cell's turn
};

// The row's document: what a table shows and opens of it (100,000 rows hold no more).
struct ReviewDocument {
  int64_t id = 0;
  std::string collection, path, rel_path, kind, title;
};

struct ReviewRow {
  ReviewDocument document;
  std::vector<ReviewCell> cells;  // one per question
  int found() const;
};

struct ReviewTable {
  std::vector<std::string> questions;
  std::vector<ReviewRow> rows;         // by path
  int64_t documents_in_scope = 0;
  std::string collection;              // the scope's collection, "" for the whole library or chosen documents
  std::string engine;                  // the model's name, or "extractive"
  bool stopped = false;                // cancelled: the cells asked before it are kept
  StageUsage usage;                    // the model calls (stage "review"); calls 0 when extractive
  std::vector<int64_t> found;          // per question: documents with a matching passage
  double elapsed_s = 0;
};

// Fills the table, question by question. `progress` counts cells (questions × documents in scope):
// Work::ReviewCells, `current` the question and the document. `cancel` stops between documents or
// generated tokens: the table comes back with `stopped` set and the cells filled so far (a review of
// 300 contracts with a model runs for hours: what was asked is kept, to read or export).
Result<ReviewTable> reviewTable(ingest::Library& lib, const ModelRuntime* runtime, const ReviewOptions& options,
                                const SummaryProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Where a cell's passage lies, as its note: "12.6 Assignment (page 9)", "lines 30–52".
std::string reviewCellWhere(const Evidence& e);

}  // namespace folio::app
