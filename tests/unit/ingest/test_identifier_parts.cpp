// identifierParts: the words inside code identifiers, as the search index and the coverage ranking
// split them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/library/identifier_parts.h"

using namespace folio::ingest;

namespace {

std::vector<std::string> parts(std::string_view word) {
  std::vector<std::string> out;
  for (const auto& p : identifierParts(word)) out.emplace_back(word.substr(p.offset, p.size));
  return out;
}

using Words = std::vector<std::string>;

}  // namespace

TEST(IdentifierParts, SplitsAtCaseChangesAndUnderscores) {
  EXPECT_EQ(parts("activeExpireCycle"), (Words{"active", "Expire", "Cycle"}));
  EXPECT_EQ(parts("RedisModuleString"), (Words{"Redis", "Module", "String"}));
  EXPECT_EQ(parts("HTTPServer"), (Words{"HTTP", "Server"}));
  EXPECT_EQ(parts("parseJSONValue"), (Words{"parse", "JSON", "Value"}));
  EXPECT_EQ(parts("utf8Decode"), (Words{"utf8", "Decode"}));
  EXPECT_EQ(parts("MAX_VALUE"), (Words{"MAX", "VALUE"}));
  EXPECT_EQ(parts("__expire_if_needed__"), (Words{"expire", "if", "needed"}));
  EXPECT_EQ(parts("getURLs"), (Words{"get", "URLs"}));
  EXPECT_EQ(parts("userIDsForRole"), (Words{"user", "IDs", "For", "Role"}));
}

TEST(IdentifierParts, OnePartOrNotAnIdentifierGivesNone) {
  for (std::string_view word : {"expire", "Expire", "HTTP", "x86", "_private", "", "_", "__"})
    EXPECT_TRUE(parts(word).empty()) << word;
  // Only ASCII identifiers: a word with other bytes (a name in another script, "café") is left whole.
  EXPECT_TRUE(parts("caféBar").empty());
  EXPECT_TRUE(parts("foo.Bar").empty());
}
