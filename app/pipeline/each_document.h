// Questions about each document of a scope ("Which contracts allow termination for convenience?",
// "Which files open a socket?"): instead of reading the few documents whose passages rank best (a
// scope larger than the window is narrowed to AskOptions::max_documents), every document of the scope
// is screened for its one passage that best matches the question, and the answer reads those
// passages, one per document, best first. A lawyer with 300 contracts gets every contract that
// matches, each with the clause that does, not the 12 best.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "app/pipeline/planner.h"
#include "ingest/library/library.h"

namespace folio::app {

inline constexpr const char* kModeEachDocument = "each document";

// Of `question`'s distinct ranking words, how many a document's passage must cover to count as
// matching: all of one or two words, else half of them (rounded up). "termination for convenience
// clause" needs two of termination, convenience, clause.
int minimumCoverage(const std::string& question);

// What is screened for: a question ("Which contracts allow termination for convenience?"), or a
// topic named as a review table's column is ("Term and renewal", "Payment terms"): a passage whose own
// title holds one of a topic's words is about it — "6.1 Term" answers "Term and renewal" though it never
// says renewal, "4.5 Payment" answers "Payment terms" — and is preferred to one that only mentions them.
enum class ScreenFor { Question, Topic };

// Each document of `documents` whose best passage covers minimumCoverage of the question's words and
// half of their weight (wordWeights: a rare word weighs more than one every contract holds), or, for a
// topic, whose passage's title holds one of its words, with that passage (of its few best-scoring
// chunks, the one covering the most weight, then BM25; for a topic a titled one first), best first
// (covered weight, then BM25). `cancel` stops it between documents (Cancelled): screening 100,000
// documents takes seconds.
Result<std::vector<RankedChunk>> bestPassagePerDocument(ingest::Library& lib, const std::string& question,
                                                        const std::vector<ingest::DocumentRecord>& documents,
                                                        const std::atomic<bool>* cancel = nullptr,
                                                        ScreenFor screen = ScreenFor::Question);

// At most this many bytes of each document's passage are read (citationQuote picks them): more
// documents fit the window, each at the sentences (or lines of code) that match.
inline constexpr size_t kEachDocumentPassageBytes = 1200;

struct EachDocumentEvidence {
  std::vector<Evidence> evidence;  // one passage per matching document, numbered from 1, best first
  int64_t matched = 0;             // documents with a matching passage (some may not fit the window)
  std::vector<LeftOut> left_out;   // documents without a match; matching ones that did not fit
};

// The passages of bestPassagePerDocument, each shortened to kEachDocumentPassageBytes, while their
// blocks (formatEvidenceBlock) fit `available_tokens` as counted by `count`.
Result<EachDocumentEvidence> eachDocumentEvidence(ingest::Library& lib, const std::string& question,
                                                  const std::vector<ingest::DocumentRecord>& documents,
                                                  const std::function<int64_t(const std::string&)>& count,
                                                  int64_t available_tokens, const std::atomic<bool>* cancel = nullptr);

}  // namespace folio::app
