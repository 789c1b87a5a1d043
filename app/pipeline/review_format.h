// A review table as people read it: a listing per document for the terminal, JSON for programs, and a
// Report whose table is the grid (documents × questions) for `--format md|html|pdf|csv`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/pipeline/review_table.h"
#include "app/report/report.h"

namespace folio::app {

// What a cell says: its text, "not found", or "not asked (stopped)".
std::string reviewCellText(const ReviewCell& c);
// "Governing law 11/12 · Term and renewal 12/12 · …": how many documents each question found.
std::string reviewFoundLine(const ReviewTable& t);
// "Extractive (no model loaded): each cell quotes …" or "Answers of MiniMax-M1 (…)".
std::string reviewEngineLabel(const ReviewTable& t);

std::string reviewText(const ReviewTable& t);
nlohmann::json reviewJson(const ReviewTable& t);
Report reviewReport(const ReviewTable& t);

}  // namespace folio::app
