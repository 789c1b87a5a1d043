// A version comparison as people read it: a terminal listing (wdiff's [-deleted-]{+inserted+} marks in
// a few words of context), JSON for programs, and a Report (redline colours) for `--format md|html|pdf`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/compare/compared_document.h"
#include "app/compare/version_compare.h"
#include "app/report/report.h"

namespace folio::app {

// "p. 4, line 12", "pp. 4–5", "line 12", "" (nothing known).
std::string describePlace(const VersionPlace& p);

// One difference as a line: where it stands and what it did, the words around it marked as wdiff does:
// "5.1 General Liability Cap (p. 4): replaced: … fees paid in the [-twelve (12)-]{+six (6)+} months …".
std::string changeLine(const VersionChange& c);

// "9 differences: 6 in the text, 1 clause added, 1 removed, 1 moved; 11 clause numbers changed"
std::string comparisonSummary(const VersionComparison& c);

std::string comparisonText(const ComparedDocument& old_doc, const ComparedDocument& new_doc, const VersionComparison& c);
nlohmann::json comparisonJson(const ComparedDocument& old_doc, const ComparedDocument& new_doc, const VersionComparison& c);
Report comparisonReport(const ComparedDocument& old_doc, const ComparedDocument& new_doc, const VersionComparison& c);

}  // namespace folio::app
