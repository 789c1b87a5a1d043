// A review table as people read it: a listing per document for the terminal, JSON for programs, and a
// Report whose table is the grid (documents × questions) for `--format md|html|pdf|csv`.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/pipeline/review_table.h"
#include "app/report/report.h"
#include "app/report/report_render.h"

namespace folio::app {

// What a cell says: its text, "not found", or "not asked (stopped)".
std::string reviewCellText(const ReviewCell& c);
// "Governing law 11/12 · Term and renewal 12/12 · …": how many documents each question found; in a
// stopped table "Warranties not asked", "Indemnification 4/12 (7 asked)".
std::string reviewFoundLine(const ReviewTable& t);
// "Extractive (no model loaded): each cell quotes …" or "Answers of MiniMax-M1 (…)".
std::string reviewEngineLabel(const ReviewTable& t);

std::string reviewText(const ReviewTable& t);
nlohmann::json reviewJson(const ReviewTable& t);
// reviewJson's object written a row at a time, a row a line (100,000 rows are not held as one JSON
// value), invalid UTF-8 replaced.
void writeReviewJson(std::ostream& out, const ReviewTable& t);

// How a review is laid out in a report: the grid (a row per document, a column per question), or a
// section per document with its questions and answers one under the other — what a page can hold when
// a dozen columns would leave each a word wide.
enum class ReviewLayout { Grid, ByDocument };
// The grid for CSV and for up to 4 questions, else by document.
ReviewLayout reviewLayoutFor(ReportFormat format, size_t questions);
Report reviewReport(const ReviewTable& t, ReviewLayout layout = ReviewLayout::Grid);

}  // namespace folio::app
