// Reports from the library: one answer, every answer of a collection (a session), or the summary tree
// of a document (stored summaries; an extractive tree is built and stored when none exists).
#pragma once

#include <cstdint>
#include <string>

#include "app/pipeline/answer.h"
#include "app/pipeline/summary_tree.h"
#include "app/report/report.h"
#include "engine/common/result.h"
#include "ingest/library/library.h"

namespace folio::app {

struct ReportOptions {
  bool include_thinking = true;
};

ReportSection answerSection(const AnswerRecord& a, const ReportOptions& options);
Result<Report> answerReport(ingest::Library& lib, int64_t answer_id, const ReportOptions& options = {});
// `session` is a collection name or id; all answers asked in it, oldest first.
Result<Report> sessionReport(ingest::Library& lib, const std::string& session, const ReportOptions& options = {});
// The document's summary by `summarizer` (an identity; "": the newest stored tree of any summarizer,
// or an extractive one built now when there is none).
Result<Report> documentReport(ingest::Library& lib, int64_t document_id, const std::string& summarizer = {});
// A collection's summary tree as built (with its collection node): the collection's summary, then each
// document's summary as a source.
Report collectionReport(const SummaryTree& tree, const std::string& collection);
// The collection's stored summary tree by the summarizer of its newest collection node, or an
// extractive one built (or reused) now when none is stored. Errors name what is missing.
Result<Report> collectionSummaryReport(ingest::Library& lib, const std::string& collection);

}  // namespace folio::app
