// One interface for the two ways the pipeline summarizes: with the model (ModelSummarizer) or by
// sentence ranking over the library text (ExtractiveSummarizer, no model needed). The identity is
// stored with each summary node, so summaries of one kind are never taken for the other.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "app/pipeline/usage.h"
#include "engine/common/result.h"

namespace folio::app {

struct SummaryRequest {
  std::string title;               // what is summarized ("contracts/msa.pdf › 10. Term and Termination")
  std::string path;                // the document's relative path ("" for a collection): its kind
  std::vector<std::string> texts;  // the children's text, in document order
  int max_tokens = 256;            // the summary's budget
};

class Summarizer {
 public:
  virtual ~Summarizer() = default;
  // "extractive" or the model identity; stored in summary_nodes.model.
  virtual std::string identity() const = 0;
  // The model as people know it (model_description.h), stored in summary_nodes.model_name; "" when
  // no model summarizes.
  virtual std::string modelName() const = 0;
  virtual bool usesModel() const = 0;
  // Bumped when this identity would now summarize the same text differently (a new sentence filter, a
  // new prompt): stored nodes of another version are rebuilt rather than reused. Version 1 adds
  // nothing to the reuse key, so nodes stored before versions existed stay valid.
  virtual int version() const { return 1; }
  // Adds tokens, time and routing of the work to `usage` (a model summarizer; extractive adds calls).
  virtual Result<std::string> summarize(const SummaryRequest& request, StageUsage& usage,
                                        const std::atomic<bool>* cancel) = 0;
};

inline constexpr const char* kExtractiveIdentity = "extractive";

}  // namespace folio::app
