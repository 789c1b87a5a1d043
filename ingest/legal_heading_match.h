// Recognisers for the heading lines of legal text, written as plain scanners (std::regex took most of
// the legal chunker's time). Each one accepts exactly the lines its documented pattern (ECMAScript
// syntax, \s = space, \t, \n, \v, \f, \r) matches; tests/unit/ingest/test_legal_heading_match.cpp
// checks that against std::regex on generated lines.
#pragma once

#include <optional>
#include <string_view>

namespace folio::ingest {

// \b(definitions?|interpretation)\b, ignoring ASCII case, anywhere in `title`.
bool isDefinitionsTitle(std::string_view title);

// ^(SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix|ANNEXURE|Annexure)\s+
//  ([0-9]{1,3}|[A-Z]|[IVXLC]{1,6})\s*($|[:\-]|–|—)
bool isScheduleHeading(std::string_view line);

// ^(ARTICLE|Article|SECTION|Section|CLAUSE|Clause)\s+([0-9]{1,3}|[IVXLC]{1,6})\.?
//  (\s*$|\s*[:\-.]|\s*–|\s*—|\s+[A-Z])
// Returns the number (the second group: digits or Roman numerals) when the line matches.
std::optional<std::string_view> articleOrSectionNumber(std::string_view line);

}  // namespace folio::ingest
