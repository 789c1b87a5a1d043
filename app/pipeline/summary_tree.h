// The summary tree: leaf chunks -> section summaries (consecutive chunks under one top-level heading,
// at most section_input_tokens each) -> a document summary -> a collection summary. Every node is
// stored as soon as it is built, keyed by (summarizer identity, hash of its children's text), so:
// - a later question reuses the stored nodes;
// - a document whose content changed gets new section nodes only where the section text changed, and a
//   new document node; unchanged documents keep every node (only the collection node is rebuilt);
// - a cancelled build keeps what it stored and the next build resumes from there.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/pipeline/summarizer.h"
#include "app/pipeline/summary_store.h"
#include "app/pipeline/usage.h"
#include "ingest/chunker.h"
#include "ingest/library/library.h"

namespace folio::app {

struct SummaryTreeOptions {
  int section_input_tokens = 2048;  // chunks grouped into one section node up to this many tokens
  int section_summary_tokens = 160;
  int document_summary_tokens = 320;
  int collection_summary_tokens = 480;
};

struct SummaryProgress {
  int64_t total = 0;  // nodes this build will visit (sections + documents + collection)
  int64_t done = 0;
  int64_t built = 0;
  int64_t reused = 0;
  std::string current;  // what is being summarized
  double elapsed_s = 0;  // since the build started
  // What is counted: summary nodes, the documents of a question asked of each document
  // (each_document_review.h; `built` counts those answered, nothing is reused), or the cells of a
  // review table (review_table.h).
  enum class Work { Summaries, DocumentAnswers, ReviewCells } work = Work::Summaries;
};
using SummaryProgressFn = std::function<void(const SummaryProgress&)>;

// A group of consecutive chunks that one section node summarizes.
struct SectionGroup {
  std::string heading;
  std::vector<ingest::StoredChunk> chunks;
  int tokens = 0;
};
std::vector<SectionGroup> groupSections(const std::vector<ingest::StoredChunk>& chunks, int max_tokens);

// XXH64 (16 hex digits) over the texts, each followed by a 0x1f separator.
std::string sourceHash(const std::vector<std::string>& texts);

// The key a node summarizing `texts` is reused by: their hash, with the summarizer's version past 1
// (Summarizer::version), so summaries an older summarizer wrote are rebuilt rather than reused.
std::string reuseKey(std::vector<std::string> texts, int summarizer_version);
// A section node's key: its chunks' text and its heading.
std::string sectionReuseKey(const SectionGroup& group, int summarizer_version);

struct DocumentTree {
  ingest::DocumentRecord document;
  SummaryNode summary;                // level 1
  std::vector<SummaryNode> sections;  // level 0, in order
};

struct SummaryTree {
  std::vector<DocumentTree> documents;
  std::optional<SummaryNode> collection;  // when a collection was summarized
  int64_t built = 0, reused = 0;
  StageUsage map, reduce;                 // section summaries; document + collection summaries
};

class SummaryTreeBuilder {
 public:
  SummaryTreeBuilder(ingest::Library& library, Summarizer& summarizer, const ingest::TokenCounter& tokens,
                     SummaryTreeOptions options = {})
      : lib_(library), summarizer_(summarizer), tokens_(tokens), options_(options) {}

  // Summarizes the documents (each must have status ok); with `collection_id` also the collection node
  // over them. Errors: library errors, summarizer errors, Cancelled (stored nodes stay).
  Result<SummaryTree> build(const std::vector<ingest::DocumentRecord>& documents, std::optional<int64_t> collection_id,
                            const SummaryProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

 private:
  Result<DocumentTree> buildDocument(const ingest::DocumentRecord& doc, SummaryTree& tree, SummaryProgress& p,
                                     const SummaryProgressFn& progress, const std::atomic<bool>* cancel);
  Result<SummaryNode> node(SummaryNode wanted, const SummaryRequest& request, StageUsage& usage, SummaryTree& tree);

  ingest::Library& lib_;
  Summarizer& summarizer_;
  const ingest::TokenCounter& tokens_;
  SummaryTreeOptions options_;
  const std::atomic<bool>* cancel_ = nullptr;  // of the build in progress
};

}  // namespace folio::app
