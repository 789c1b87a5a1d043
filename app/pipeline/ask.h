// The question-answering pipeline: scope -> plan -> (inline documents | summary tree + evidence
// selection) -> model generation (or, without a model, an extractive answer made of the best-matching
// passages) -> citations mapped to sources -> stored answer.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/pipeline/answer.h"
#include "app/pipeline/model_runtime.h"
#include "app/pipeline/summary_tree.h"
#include "app/pipeline/thinking_stream.h"
#include "ingest/library/library.h"

namespace folio::app {

// The answering call's running token counts next to its budgets (live budget gauges).
struct AnswerProgress {
  GenerationProgress tokens;
  int64_t context_window = 0;
  int64_t thinking_budget = 0;
  int64_t answer_budget = 0;
};
using AnswerProgressFn = std::function<void(const AnswerProgress&)>;

struct AskOptions {
  std::string question;
  std::optional<std::string> collection;  // none: every document of the library
  std::vector<int64_t> document_ids;      // when not empty: only these documents
  int64_t context_window = 0;             // 0: the model's max_position_embeddings up to 32768 (32768 without a model)
  int64_t thinking_budget = 1024;         // >= 0
  int64_t answer_budget = 512;            // >= 1
  double expert_threshold = 1.0;
  std::optional<std::filesystem::path> state_dir;  // inline prefix snapshots (see ModelRuntime/runChat)
  SummaryTreeOptions tree;
  int extractive_passages = 3;
  int retrieval_limit = 40;
  // A scope too large for the context window (and not chosen document by document) is narrowed to at
  // most this many documents: those whose passages best match the question. Only they are read inline
  // or summarized; the others still give passages through retrieval. Without it a question over a
  // 100,000-file library summarized every file first: hours of extractive work, days with a model.
  // 0: never narrowed.
  int max_documents = 12;
  // A question about each document of the scope (each_document.h): every document is screened for its
  // best passage and the answer reads one passage per matching document, best first, as many as fit
  // the window; no summaries are built. For "which contracts ...?" over more documents than
  // max_documents.
  bool each_document = false;
  bool store = true;                      // record the answer in the library
  // Model mode: receives the answer's thought and text while the reasoning call generates them, on the
  // calling thread; the answer deltas put together are AnswerRecord::text.
  AnswerStreamFn on_stream;
  // Model mode: the answering call's token counts, on the calling thread, once the prompt is known and
  // after each generated token; the last report equals the reason stage's usage.
  AnswerProgressFn on_progress;
};

inline constexpr const char* kAnswerSystemPrompt =
    "You answer questions about the user's documents. The documents are given as numbered passages "
    "[1], [2], ... Answer only from them and cite every statement with the number of the passage it "
    "comes from, in square brackets, e.g. [3] or [1, 4]. If the passages do not contain the answer, say so.";

// The documents in scope (status ok only) and the collection id when a collection was named.
struct Scope {
  std::vector<ingest::DocumentRecord> documents;
  std::optional<int64_t> collection_id;
  std::string collection;
};
Result<Scope> resolveScope(ingest::Library& lib, const std::optional<std::string>& collection,
                           const std::vector<int64_t>& document_ids);

// <library>.states next to the library file.
std::filesystem::path defaultStateDir(const std::filesystem::path& library_path);

// `cancel` (set by another thread or a signal handler) stops the summary build between nodes or the
// generation between tokens: Cancelled, no answer recorded; the summary nodes built so far stay.
Result<AnswerRecord> ask(ingest::Library& lib, const ModelRuntime* runtime, const AskOptions& options,
                         const SummaryProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace folio::app
