// The legal heading scanners against the std::regex patterns they replace: the same verdict (and the
// same captured number) on hand-picked lines and on many lines generated from the patterns' pieces,
// so the legal chunker cuts exactly the chunks it cut with std::regex.
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "ingest/legal_heading_match.h"

namespace folio::ingest {
namespace {

const std::regex& definitionsRegex() {
  static const std::regex re("\\b(definitions?|interpretation)\\b", std::regex::icase);
  return re;
}

const std::regex& scheduleRegex() {
  static const std::regex re(
      "^(SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|APPENDIX|Appendix|ANNEXURE|Annexure)\\s+([0-9]{1,3}|[A-Z]|"
      "[IVXLC]{1,6})\\s*($|[:\\-]|\xE2\x80\x93|\xE2\x80\x94)");
  return re;
}

const std::regex& articleRegex() {
  static const std::regex re(
      "^(ARTICLE|Article|SECTION|Section|CLAUSE|Clause)\\s+([0-9]{1,3}|[IVXLC]{1,6})\\.?"
      "(\\s*$|\\s*[:\\-.]|\\s*\xE2\x80\x93|\\s*\xE2\x80\x94|\\s+[A-Z])");
  return re;
}

void expectSameAsRegex(const std::string& line) {
  EXPECT_EQ(isDefinitionsTitle(line), std::regex_search(line, definitionsRegex())) << "definitions: `" << line << "`";
  EXPECT_EQ(isScheduleHeading(line), std::regex_search(line, scheduleRegex())) << "schedule: `" << line << "`";
  std::smatch m;
  const bool matched = std::regex_search(line, m, articleRegex());
  const auto number = articleOrSectionNumber(line);
  ASSERT_EQ(number.has_value(), matched) << "article: `" << line << "`";
  if (matched) {
    EXPECT_EQ(std::string(*number), m[2].str()) << "article number: `" << line << "`";
  }
}

TEST(LegalHeadingMatch, HandPickedLines) {
  const std::vector<std::string> lines = {
      "", "Definitions", "1. DEFINITIONS AND INTERPRETATION", "Definitional matters", "Redefinitions",
      "the definition_of terms", "Interpretations", "interpretation.", "DEFINITIONs", "x-definition-y",
      "SCHEDULE 1", "Schedule A - Services", "SCHEDULE 1234", "Schedule IV: Fees", "Schedule IVXLCCI",
      "Schedule AB", "ANNEXURE 2", "ANNEX 3 \xE2\x80\x94 Prices", "Annexure\tB:", "Appendix  XII  -",
      "Exhibit C to the Agreement", "EXHIBIT", "Schedule 1.", "schedule 1",
      "Article 4", "ARTICLE IV \xE2\x80\x93 Term", "Section 4.2 Foo", "Section 12. Payment", "Section 1234",
      "Clause 7: Liability", "Section 3 of the Act", "Section 3 The Fees", "SECTION XIV.", "Article IVA",
      "Section  5  .", "Clause 8\xE2\x80\x94", "Section 9-", "Article 10\t", "Section IIIIIII", "Sections 4",
      "Article 2.1 applies", "Section C. Payment", "Section 5 (a)",
  };
  for (const auto& line : lines) expectSameAsRegex(line);
}

TEST(LegalHeadingMatch, ExamplesMatchAsDocumented) {
  EXPECT_TRUE(isDefinitionsTitle("1. Definitions and Interpretation"));
  EXPECT_FALSE(isDefinitionsTitle("Redefinition of terms"));
  EXPECT_TRUE(isScheduleHeading("Schedule 2 \xE2\x80\x93 Service Levels"));
  EXPECT_FALSE(isScheduleHeading("Schedule 2 applies to the services"));
  EXPECT_EQ(articleOrSectionNumber("ARTICLE XII: GENERAL").value_or(""), "XII");
  EXPECT_EQ(articleOrSectionNumber("Section 4 Payment Terms").value_or(""), "4");
  EXPECT_FALSE(articleOrSectionNumber("Section 4 of this Agreement").has_value());
}

// Lines assembled from the patterns' pieces and near misses, so that every branch meets both verdicts.
TEST(LegalHeadingMatch, GeneratedLinesAgreeWithRegex) {
  const std::vector<std::string> keywords = {
      "SCHEDULE", "Schedule", "schedule", "EXHIBIT", "Exhibit", "ANNEX", "Annex", "ANNEXURE", "Annexure", "APPENDIX",
      "Appendix", "ARTICLE", "Article", "article", "SECTION", "Section", "CLAUSE", "Clause", "Sections", "Definitions",
      "", "1. Definitions", "Interpretation"};
  const std::vector<std::string> spaces = {"", " ", "  ", "\t", " \t ", "\v", "\r"};
  const std::vector<std::string> numbers = {"1", "12", "123", "1234", "0", "A", "Z", "a", "I", "IV", "XIV", "CCLXX",
                                            "IIIIII", "IIIIIII", "IVA", "B1", "4.2", "4.", "_", "", "LX9"};
  const std::vector<std::string> tails = {"", ".", ":", "-", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80", " Term",
                                          "Term", " term", " (a)", ". Payment", " - Fees", ",", " definitions",
                                          "definition", "s", " INTERPRETATION.", "_x", "\xC3\xA9"};
  std::mt19937 rng(1234);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  for (int i = 0; i < 20000; ++i) {
    std::string line = pick(keywords) + pick(spaces) + pick(numbers) + pick(spaces) + pick(tails);
    if (i % 5 == 0) line += pick(spaces) + pick(tails);
    expectSameAsRegex(line);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace folio::ingest
