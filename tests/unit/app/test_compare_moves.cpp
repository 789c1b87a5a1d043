// Which of two clauses that changed places is reported as moved (app/compare/version_compare.h): the
// smaller block in words, and of two as long the one with edits of its own — whatever the alignment
// kept in place. The contracts are generated: ninety filler clauses of mostly unique words around the
// clauses that move, a word changed in the first and the last clause so that the whole text is one
// gap aligned by its unique words (the path a long contract takes), where a clause of few unique words
// used to be the one reported moved even when it was the larger.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/compare/comparison_format.h"
#include "app/compare/version_compare.h"

namespace folio::app {
namespace {

struct Clause {
  std::string title, body;
};

// "1.k Title. body" in chunks of their own under "1. Terms › 1.k Title", the way the legal chunker stores them.
VersionText contract(const std::vector<Clause>& clauses) {
  std::vector<ingest::StoredChunk> chunks;
  int64_t id = 1;
  for (size_t k = 0; k < clauses.size(); ++k) {
    ingest::StoredChunk c;
    c.id = id++;
    const std::string number = "1." + std::to_string(k + 1);
    c.heading = "1. Terms › " + number + " " + clauses[k].title;
    c.text = (k == 0 ? "1. Terms\n\n" : "") + number + " " + clauses[k].title + ". " + clauses[k].body;
    c.line_first = static_cast<int>(2 * k + 1);
    chunks.push_back(std::move(c));
  }
  return tokenizeVersion(std::move(chunks));
}

// `n` words: unique ones ("u<tag>x<i>") or the twenty common ones every filler clause also uses.
std::string words(const std::string& tag, int n, bool unique) {
  std::string out;
  for (int i = 0; i < n; ++i) {  // appended piece by piece: GCC 12 warns of a false overlap in "u" + …
    if (unique) {
      ((out += 'u') += tag) += 'x';
      out += std::to_string(i);
    } else {
      out += 'c';
      out += std::to_string((i * 7) % 20);
    }
    out += i + 1 == n ? "." : " ";
  }
  return out;
}

std::vector<Clause> fillers(int n) {
  std::vector<Clause> out;
  for (int k = 0; k < n; ++k) {
    std::string body;
    for (int i = 0; i < 20; ++i) {
      ((body += 'f') += std::to_string(k)) += 'x';
      (body += std::to_string(i)) += ' ';
      if (i % 4 == 3) ((body += 'c') += std::to_string((k + i) % 20)) += ' ';
    }
    out.push_back({"Filler " + std::to_string(k), body + "end."});
  }
  return out;
}

// Old: fillers, `before`, fillers; new: the same with `after` in their place and a word changed in the
// first and the last filler.
struct Versions {
  VersionText old_version, new_version;
};
Versions around(const std::vector<Clause>& before, const std::vector<Clause>& after) {
  const std::vector<Clause> f = fillers(90);
  std::vector<Clause> a(f.begin(), f.begin() + 45), b = a;
  a.insert(a.end(), before.begin(), before.end());
  b.insert(b.end(), after.begin(), after.end());
  a.insert(a.end(), f.begin() + 45, f.end());
  b.insert(b.end(), f.begin() + 45, f.end());
  b.front().body = "changed " + b.front().body;
  b.back().body = "changed " + b.back().body;
  return {contract(a), contract(b)};
}

std::vector<const VersionChange*> moves(const VersionComparison& c) {
  std::vector<const VersionChange*> out;
  for (const auto& ch : c.changes)
    if (ch.kind == ChangeKind::Moved) out.push_back(&ch);
  return out;
}

TEST(CompareMoves, AShortClauseMovedPastALongOneIsTheOneMoved) {
  // Short: 15 unique words. Long: 60 of the common words (its title alone is unique).
  const Clause shorter{"Short", words("s", 15, true)}, longer{"Long", words("l", 60, false)};
  const Versions v = around({shorter, longer}, {longer, shorter});
  ASSERT_GT(v.old_version.tokens.size(), 2100u);  // past the exact alignment's 4 M cells
  const auto c = compareVersions(v.old_version, v.new_version);
  const auto moved = moves(c);
  ASSERT_EQ(moved.size(), 1u) << comparisonText({}, {}, c);
  EXPECT_NE(moved[0]->inserted.find("Short."), std::string::npos) << moved[0]->inserted;
  EXPECT_EQ(c.changes.size(), 3u) << comparisonText({}, {}, c);  // and the two changed words
}

TEST(CompareMoves, ALongClauseMovedPastSeveralShortOnesIsTheOneMoved) {
  // Long: 40 unique words. Three short ones: 18 common words each, 54 together.
  const Clause longer{"Long", words("l", 40, true)};
  const std::vector<Clause> shorter = {{"Short1", words("a", 18, false)}, {"Short2", words("b", 18, false)},
                                       {"Short3", words("c", 18, false)}};
  std::vector<Clause> before = {longer}, after = shorter;
  before.insert(before.end(), shorter.begin(), shorter.end());
  after.push_back(longer);
  const Versions v = around(before, after);
  const auto c = compareVersions(v.old_version, v.new_version);
  const auto moved = moves(c);
  ASSERT_EQ(moved.size(), 1u) << comparisonText({}, {}, c);
  EXPECT_NE(moved[0]->inserted.find("Long."), std::string::npos) << moved[0]->inserted;
}

TEST(CompareMoves, OfTwoAsLongTheOneWithItsOwnEditIsTheOneMoved) {
  // Two clauses of 20 words change places (both renumbered); the second, of unique words, also changes
  // one (as many words).
  const Clause first{"First", words("p", 20, false)}, second{"Second", words("q", 20, true)};
  Clause edited = second;
  edited.body.replace(edited.body.find("uqx5"), 4, "uqx5b");
  const Versions v = around({first, second}, {edited, first});
  const auto c = compareVersions(v.old_version, v.new_version);
  const auto moved = moves(c);
  ASSERT_EQ(moved.size(), 1u) << comparisonText({}, {}, c);
  EXPECT_NE(moved[0]->inserted.find("Second."), std::string::npos) << moved[0]->inserted;
  ASSERT_EQ(moved[0]->inner.size(), 1u);
  EXPECT_EQ(moved[0]->inner[0].inserted, "uqx5b");
}

}  // namespace
}  // namespace folio::app
