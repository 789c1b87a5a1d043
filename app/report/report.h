// A report: what `folio report` exports (a question with its answer, a whole session of answers, or a
// document summary) independent of the output format. Built from the library by report_builder.h,
// rendered by report_render.h.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/routing.h"

namespace folio::app {

struct ReportSource {
  std::string marker;   // "[3]" for a citation, "§2" for a summarized section
  std::string path;
  std::string heading;
  std::string span;     // "page 4, lines 3–9"
  std::string quote;    // the cited text (shortened)
  bool verbatim = false;  // code or data: shown as preformatted lines (quotesLines)
};

struct ReportBudgetRow {
  std::string stage, engine;
  int64_t calls = 0, reused = 0, prompt_tokens = 0, reused_prefix_tokens = 0, thinking_tokens = 0, answer_tokens = 0;
  double elapsed_ms = 0, tokens_per_s = 0;
};

// One difference of a version comparison (app/compare): where, what, and the words around it, shown as
// a redline — the deleted text struck through, the inserted text marked.
struct ReportChange {
  std::string where;  // "5. Limitation of Liability › 5.1 General Liability Cap (p. 4; was p. 4)"
  std::string what;   // "replaced", "clause added", "moved from 3.2 (p. 3)", …
  std::string before, deleted, inserted, after;
};

// A table after a section's body: a review's documents against its questions, a timeline's events.
// A cell's note (where its text comes from: "12.6 Assignment, p. 9") is shown under its text, and
// as a column of its own in CSV.
struct ReportTableCell {
  std::string text;
  std::string note;
};

struct ReportTable {
  std::vector<std::string> header;
  std::vector<std::vector<ReportTableCell>> rows;  // each as wide as the header
  // CSV: the heading of each column's notes where they are not where its text lies ("" or absent:
  // "<header> (where)").
  std::vector<std::string> note_headers;
};

struct ReportSection {
  std::string heading;   // the question, or the document path
  std::string label;     // "Model answer (…)", "Extractive answer (no model loaded)", "Document summary (…)"
  std::string body;
  std::string thinking;  // empty when none or not exported
  std::vector<ReportSource> sources;
  std::vector<std::string> dropped;  // citations that named no source, e.g. "[99]"
  std::vector<std::pair<std::string, std::string>> facts;  // plan and budget facts, in order
  std::vector<ReportBudgetRow> budgets;
  engine::RoutingAggregate routing;  // 0 layers: no model ran, no heatmap
  std::vector<ReportChange> changes;  // a comparison's, after the body
  std::vector<ReportTable> tables;    // after the body (and the changes)
};

struct Report {
  std::string title;
  std::string subtitle;
  std::vector<ReportSection> sections;
  bool wide = false;  // a table of many columns: the PDF laid out on landscape pages, the HTML page full width
};

}  // namespace folio::app
