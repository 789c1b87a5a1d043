// Summaries written by the model: the children's text in a user turn after a summarization
// instruction, thinking budget 0 (a thought the model opens is closed at once), at most max_tokens of
// output. Input that does not fit the context window is cut at a chunk boundary, then by tokens.
#pragma once

#include "app/pipeline/model_description.h"
#include "app/pipeline/model_runtime.h"
#include "app/pipeline/summarizer.h"

namespace folio::app {

class ModelSummarizer final : public Summarizer {
 public:
  ModelSummarizer(const ModelRuntime& runtime, int64_t context_window, double expert_threshold)
      : rt_(runtime), context_window_(context_window), tau_(expert_threshold),
        name_(describeModel(runtime, expert_threshold)) {}
  std::string identity() const override { return rt_.identity; }
  std::string modelName() const override { return name_; }
  bool usesModel() const override { return true; }
  Result<std::string> summarize(const SummaryRequest& request, StageUsage& usage,
                                const std::atomic<bool>* cancel) override;

 private:
  const ModelRuntime& rt_;
  int64_t context_window_;
  double tau_;
  std::string name_;  // counting the parameters walks every tensor: once, not per node
};

inline constexpr const char* kSummarySystemPrompt =
    "You summarize documents for a reader who will ask questions about them. Write a faithful, dense "
    "summary of the text the user gives: keep names, numbers, obligations, definitions and clause or "
    "function names; add nothing that is not in the text.";

}  // namespace folio::app
