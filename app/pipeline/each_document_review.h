// With a model, a question about each document ("Which contracts allow termination for convenience?")
// is asked of each matching document on its own: one short call reading that document's passage. Every
// matching document gets its own answer however many there are, where one call over all of them could
// read only as many passages as fit its window, and a model reading a hundred passages at once passes
// over some of them. The answer lists the documents, strongest match first, each with its answer and
// its citation.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "app/pipeline/evidence.h"
#include "app/pipeline/model_runtime.h"
#include "app/pipeline/summary_tree.h"
#include "app/pipeline/thinking_stream.h"

namespace folio::app {

inline constexpr const char* kEachDocumentSystemPrompt =
    "You answer a question about one document from a passage of it, given as a numbered passage. "
    "Answer in one or two sentences. Where the question asks whether the document does something, "
    "begin with Yes, No or Unclear. Answer only from the passage; if it does not answer the question, "
    "say Unclear.";

// A call per document is kept short: its thought and its answer are capped at these (or at the
// question's budgets when those are smaller).
inline constexpr int64_t kEachDocumentThinkingTokens = 256;
inline constexpr int64_t kEachDocumentAnswerTokens = 160;
// Documents asked at the same time, their decode steps batched (engine/model/decode_batcher.h): each
// weight is read once per step for all of them, which is what bounds decoding.
inline constexpr int kEachDocumentConcurrent = 8;

struct EachDocumentCalls {
  int64_t context_window = 8192;
  int64_t thinking_budget = kEachDocumentThinkingTokens;
  int64_t answer_budget = kEachDocumentAnswerTokens;
  double expert_threshold = 1.0;
  AnswerStreamFn on_stream;      // each document's thought and answer once done, in order (one at a time:
                                 // the thought as it is generated)
  SummaryProgressFn on_progress;  // documents answered of those matching
  // Each passage's answer (as EachDocumentAnswers::answers holds it) once done, in order, on the calling
  // thread: what a caller keeps of calls that a cancel cuts short.
  std::function<void(size_t passage, const std::string& answer)> on_answer;
  int concurrent = kEachDocumentConcurrent;  // 1: one document after the other
};

struct EachDocumentAnswers {
  std::string text;      // one paragraph per document: "path › heading: answer [n]"
  std::vector<std::string> answers;  // each passage's answer on one line (documentAnswerLine, without its " [n]")
  std::string thinking;  // each document's thought under its "[n] path" line
  std::string finish_reason;  // "length" when any answer was cut at its budget, else the calls' reason
  std::vector<TokenRouting> answer_tokens;
  int64_t largest_prompt_tokens = 0;  // of the calls: what one call needs of the window
};

// Asks `question` of each passage of `passages` (one per document, numbered), one call each, up to
// `concurrent` at a time; the answers are the same as one after the other (on the CPU bit for bit) and
// come out in order, on the calling thread. Each call's session holds only its prompt and budgets.
// Usage adds up in `usage` (times summed over the calls); `cancel` stops between tokens (Cancelled).
Result<EachDocumentAnswers> answerEachDocument(const ModelRuntime& rt, const std::vector<Evidence>& passages,
                                               const std::string& question, const EachDocumentCalls& calls,
                                               StageUsage& usage, const std::atomic<bool>* cancel);

// A model's answer about one passage, as the list shows it: on one line, its own bracketed numbers
// removed (it read one passage; the list cites it), ending with " [n]".
std::string documentAnswerLine(const std::string& answer, int n);

}  // namespace folio::app
