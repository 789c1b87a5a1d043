// Version comparison (app/compare): the token alignment against plain dynamic programming, the
// tokenizer's folding of layout and Folio's own marks, and what a lawyer is shown for each kind of
// change — a replaced phrase, a clause removed (and the clauses after it renumbered, said once), a
// clause added, a clause moved, the same text laid out as a PDF prints it.
#include <gtest/gtest.h>

#include <random>

#include "app/compare/comparison_format.h"
#include "app/compare/token_alignment.h"
#include "app/compare/version_compare.h"
#include "app/compare/version_tokens.h"
#include "app/report/report_render.h"

namespace folio::app {
namespace {

size_t matched(const std::vector<MatchedRun>& runs) {
  size_t n = 0;
  for (const auto& r : runs) n += r.length;
  return n;
}

// Runs must be in order on both sides, non-overlapping, and pair equal keys.
void expectValid(const std::vector<MatchedRun>& runs, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0, j = 0;
  for (const auto& r : runs) {
    ASSERT_GE(r.a, i);
    ASSERT_GE(r.b, j);
    ASSERT_LE(r.a + r.length, a.size());
    ASSERT_LE(r.b + r.length, b.size());
    for (size_t k = 0; k < r.length; ++k) ASSERT_EQ(a[r.a + k], b[r.b + k]);
    i = r.a + r.length;
    j = r.b + r.length;
  }
}

// The longest common subsequence's length, computed independently.
size_t lcsLength(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<uint64_t> edited(const std::vector<uint64_t>& a, std::mt19937& rng, int edits, uint64_t alphabet) {
  std::vector<uint64_t> b = a;
  for (int e = 0; e < edits && !b.empty(); ++e) {
    const size_t at = rng() % b.size();
    switch (rng() % 3) {
      case 0: b[at] = rng() % alphabet; break;
      case 1: b.erase(b.begin() + static_cast<long>(at)); break;
      default: b.insert(b.begin() + static_cast<long>(at), rng() % alphabet);
    }
  }
  return b;
}

TEST(TokenAlignment, ExactPathFindsTheLongestCommonSubsequence) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = 1 + rng() % 61;
    const uint64_t alphabet = 2 + rng() % 9;
    std::vector<uint64_t> a(n);
    for (auto& x : a) x = rng() % alphabet;
    const auto b = edited(a, rng, 1 + static_cast<int>(rng() % 9), alphabet);
    const auto runs = alignTokens(a, b);
    expectValid(runs, a, b);
    EXPECT_EQ(matched(runs), lcsLength(a, b)) << "trial " << trial;
    EXPECT_EQ(matched(alignTokensExactly(a, b)), lcsLength(a, b));
  }
}

TEST(TokenAlignment, AnchoredPathStaysValidAndNearTheOptimum) {
  std::mt19937 rng(11);
  AlignmentLimits tiny;
  tiny.exact_cells = 64;  // forces anchoring on anything but small gaps
  for (int trial = 0; trial < 100; ++trial) {
    const size_t n = 50 + rng() % 451;
    std::vector<uint64_t> a(n);
    for (auto& x : a) x = rng() % 400;  // words: most repeat a little, some are unique
    const auto b = edited(a, rng, 1 + static_cast<int>(rng() % 12), 400);
    const auto runs = alignTokens(a, b, tiny);
    expectValid(runs, a, b);
    const size_t best = lcsLength(a, b);
    EXPECT_LE(matched(runs), best);
    EXPECT_GE(matched(runs) * 100, best * 90) << "trial " << trial << ": " << matched(runs) << " of " << best;
  }
}

TEST(TokenAlignment, LongDocumentWithLocalEditsIsAlignedAlmostWhole) {
  std::mt19937 rng(3);
  std::vector<uint64_t> a(400000);
  for (auto& x : a) x = rng() % 20000;
  const auto b = edited(a, rng, 60, 20000);
  const auto runs = alignTokens(a, b);
  expectValid(runs, a, b);
  EXPECT_GE(matched(runs), a.size() - 200);
}

TEST(TokenAlignment, NothingInCommonAndEmptySides) {
  const std::vector<uint64_t> a = {1, 2, 3}, b = {4, 5}, none;
  EXPECT_TRUE(alignTokens(a, b).empty());
  EXPECT_TRUE(alignTokens(a, none).empty());
  EXPECT_TRUE(alignTokens(none, none).empty());
}

ingest::StoredChunk chunk(std::string heading, std::string text, int page = 0, int line = 1) {
  ingest::StoredChunk c;
  static int64_t next_id = 1;
  c.id = next_id++;
  c.heading = std::move(heading);
  c.text = std::move(text);
  c.page_first = c.page_last = page;
  c.line_first = line;
  return c;
}

std::vector<std::string> texts(const VersionText& v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.tokens.size(); ++i) out.emplace_back(tokenText(v, i));
  return out;
}

TEST(VersionTokens, LayoutAndFolioMarksDoNotCount) {
  const VersionText word = tokenizeVersion({chunk("1. Fees", "# 1. Fees\n\nPay \xE2\x80\x9C" "Fees\xE2\x80\x9D[change 2] of 1,500.00 within 6.1 days[comment 1].\n"
                                                            "# Tracked changes\n\n[change 2] 1. Fees — A: inserted \"Fees\"\n"
                                                            "# Notes\n\n[1] A note.")});
  const VersionText pdf = tokenizeVersion({chunk("1. Fees", "1. Fees\nPay \"Fees\"\xC2\xA0of 1,500.00\nwithin 6.1 days.\n"
                                                           "[comment p.1, A, on highlighted \"Pay\": why?]\nNotes\n[1] A note.")});
  EXPECT_EQ(texts(word), (std::vector<std::string>{"1", ".", "Fees", "Pay", "\xE2\x80\x9C", "Fees", "\xE2\x80\x9D", "of",
                                                   "1,500.00", "within", "6.1", "days", ".", "Notes", "[", "1", "]", "A", "note", "."}));
  ASSERT_EQ(word.tokens.size(), pdf.tokens.size());
  for (size_t i = 0; i < word.tokens.size(); ++i) EXPECT_EQ(word.tokens[i].key, pdf.tokens[i].key) << texts(word)[i];
}

TEST(VersionTokens, LigaturesAndDashesFold) {
  const VersionText a = tokenizeVersion({chunk("", "the \xEF\xAC\x81rst fee \xE2\x80\x93 net")});
  const VersionText b = tokenizeVersion({chunk("", "the first fee - net")});
  ASSERT_EQ(a.tokens.size(), b.tokens.size());
  for (size_t i = 0; i < a.tokens.size(); ++i) EXPECT_EQ(a.tokens[i].key, b.tokens[i].key);
}

// A contract of numbered clauses, one chunk each, as the legal chunker stores them.
struct Clause {
  std::string heading, text;
};
VersionText contract(const std::vector<Clause>& clauses) {
  std::vector<ingest::StoredChunk> chunks;
  int line = 1;
  for (const auto& c : clauses) {
    chunks.push_back(chunk(c.heading, c.text, 0, line));
    line += 2;
  }
  return tokenizeVersion(std::move(chunks));
}

const std::vector<Clause> kOld = {
    {"1. Payment › 1.1 Fees", "1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within thirty (30) days of receipt."},
    {"1. Payment › 1.2 Late Payment", "1.2 Late Payment. Late payments bear interest at 1% a month."},
    {"2. Insurance › 2.1 Cover", "2. Insurance\n\n2.1 Cover. The Supplier shall maintain professional indemnity insurance of at least EUR 1,000,000."},
    {"3. Term › 3.1 Duration", "3. Term\n\n3.1 Duration. This agreement runs for two years from the Effective Date."},
    {"3. Term › 3.2 Termination", "3.2 Termination. Either party may terminate on ninety days written notice to the other party."},
    {"4. General › 4.1 Notices", "4. General\n\n4.1 Notices. Notices must be in writing and are effective on receipt by the other party."},
    {"4. General › 4.2 Assignment", "4.2 Assignment. Neither party may assign this agreement without the prior written consent of the other party, which may not be unreasonably withheld."},
};

TEST(VersionCompare, IdenticalVersionsHaveNoDifferences) {
  const auto c = compareVersions(contract(kOld), contract(kOld));
  EXPECT_TRUE(c.changes.empty());
  EXPECT_TRUE(c.renumbered.empty());
  EXPECT_EQ(c.unchanged_tokens, c.old_tokens);
  EXPECT_EQ(comparisonSummary(c), "no differences in the text");
}

TEST(VersionCompare, AReplacedPhraseIsOneChangeInItsClauseWithBalancedBrackets) {
  auto changed = kOld;
  changed[0].text = "1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within sixty (60) days of receipt.";
  const auto c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u);
  const VersionChange& ch = c.changes[0];
  EXPECT_EQ(ch.kind, ChangeKind::Replaced);
  EXPECT_EQ(ch.deleted, "thirty (30)");
  EXPECT_EQ(ch.inserted, "sixty (60)");
  EXPECT_EQ(ch.new_place.heading, "1. Payment › 1.1 Fees");
  EXPECT_EQ(ch.before, "Customer shall pay each invoice within ");
  EXPECT_EQ(ch.after, " days of receipt.");
}

TEST(VersionCompare, ARemovedClauseIsSaidOnceAndTheRenumberingApart) {
  // 2. Insurance goes; 3 and 4 become 2 and 3, with their sub-clauses.
  std::vector<Clause> changed = {kOld[0], kOld[1],
                                 {"2. Term › 2.1 Duration", "2. Term\n\n2.1 Duration. This agreement runs for two years from the Effective Date."},
                                 {"2. Term › 2.2 Termination", "2.2 Termination. Either party may terminate on ninety days written notice to the other party."},
                                 {"3. General › 3.1 Notices", "3. General\n\n3.1 Notices. Notices must be in writing and are effective on receipt by the other party."},
                                 {"3. General › 3.2 Assignment", "3.2 Assignment. Neither party may assign this agreement without the prior written consent of the other party, which may not be unreasonably withheld."}};
  const auto c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u) << comparisonSummary(c);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::ClauseRemoved);
  EXPECT_NE(c.changes[0].deleted.find("professional indemnity insurance"), std::string::npos);
  EXPECT_EQ(c.changes[0].old_place.heading, "2. Insurance › 2.1 Cover");
  EXPECT_EQ(c.changes[0].new_place.heading, "1. Payment › 1.2 Late Payment");  // it followed 1.2
  ASSERT_EQ(c.renumbered.size(), 6u);
  EXPECT_EQ(c.renumbered[0].old_number, "3");
  EXPECT_EQ(c.renumbered[0].new_number, "2");
  EXPECT_EQ(c.renumbered[5].old_number, "4.2");
  EXPECT_EQ(c.renumbered[5].new_number, "3.2");
  EXPECT_EQ(comparisonSummary(c), "1 difference: 1 removed; 6 clause numbers changed");
}

TEST(VersionCompare, AnAddedClauseAfterAnAmendedOneIsAddedWhole) {
  auto changed = kOld;
  changed[5].text = "4. General\n\n4.1 Notices. Notices must be in writing and are effective on receipt by the other party by email.";
  changed.push_back({"4. General › 4.3 Audit", "4.3 Audit. The Customer may audit the Supplier's records once a year on thirty days notice."});
  const auto c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u + 1u) << comparisonText({}, {}, c);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::Inserted);
  EXPECT_EQ(c.changes[0].inserted, "by email");
  EXPECT_EQ(c.changes[1].kind, ChangeKind::ClauseAdded);
  EXPECT_EQ(c.changes[1].new_place.heading, "4. General › 4.3 Audit");
}

TEST(VersionCompare, AMovedClauseIsFoundWithItsOwnEdits) {
  // 4.2 Assignment moves up to follow 1.2 (renumbered 1.3) and says "reasonably" for "unreasonably".
  std::vector<Clause> changed = {kOld[0], kOld[1],
                                 {"1. Payment › 1.3 Assignment", "1.3 Assignment. Neither party may assign this agreement without the prior written consent of the other party, which may not be reasonably withheld."},
                                 kOld[2], kOld[3], kOld[4], kOld[5]};
  const auto c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u) << comparisonText({}, {}, c);
  const VersionChange& m = c.changes[0];
  EXPECT_EQ(m.kind, ChangeKind::Moved);
  EXPECT_EQ(m.old_place.heading, "4. General › 4.2 Assignment");
  EXPECT_EQ(m.new_place.heading, "1. Payment › 1.3 Assignment");
  ASSERT_EQ(m.inner.size(), 1u);  // the word; its number is its heading's
  EXPECT_EQ(m.inner[0].deleted, "unreasonably");
  EXPECT_EQ(m.inner[0].inserted, "reasonably");
}

// Nothing but `kind` in `c`: the text of each change, for failure messages.
std::string kinds(const VersionComparison& c) {
  std::string out;
  for (const auto& ch : c.changes) out += std::string(changeKindName(ch.kind)) + ": -" + ch.deleted + " +" + ch.inserted + "\n";
  return out;
}

TEST(VersionCompare, AClauseThatLeftTheHeadOfItsSectionIsMovedNotItsHeading) {
  // 4.1 Notices moves up to the end of section 3 (as 3.3); "4. General" stays, now over Assignment.
  std::vector<Clause> changed = {kOld[0], kOld[1], kOld[2], kOld[3], kOld[4],
                                 {"3. Term › 3.3 Notices", "3.3 Notices. Notices must be in writing and are effective on receipt by the other party."},
                                 {"4. General › 4.1 Assignment", "4. General\n\n4.1 Assignment. Neither party may assign this agreement without the prior written consent of the other party, which may not be unreasonably withheld."}};
  const auto c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u) << kinds(c);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::Moved);
  EXPECT_EQ(c.changes[0].inserted.rfind("3.3 Notices.", 0), 0u) << c.changes[0].inserted;
  EXPECT_EQ(c.changes[0].old_place.heading, "4. General › 4.1 Notices");
  EXPECT_EQ(c.changes[0].new_place.heading, "3. Term › 3.3 Notices");
  ASSERT_EQ(c.renumbered.size(), 1u);  // Assignment 4.2 → 4.1; the heading itself did not change
  EXPECT_EQ(c.renumbered[0].old_number, "4.2");
}

TEST(VersionCompare, ASectionWhoseOnlyClauseMovedKeepsItsHeading) {
  // 2.1 Cover (a short clause) moves into section 1 as 1.3; "2. Insurance" stays, empty.
  std::vector<Clause> old_version = kOld, changed = kOld;
  old_version[2] = {"2. Insurance › 2.1 Cover", "2. Insurance\n\n2.1 Cover. The Supplier insures the goods."};
  changed[2] = {"1. Payment › 1.3 Cover", "1.3 Cover. The Supplier insures the goods.\n\n2. Insurance"};
  const auto c = compareVersions(contract(old_version), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u) << kinds(c);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::Moved);  // a whole clause, though shorter than move_min_tokens
  EXPECT_EQ(c.changes[0].inserted, "1.3 Cover. The Supplier insures the goods.");
  EXPECT_EQ(c.changes[0].deleted, "2.1 Cover. The Supplier insures the goods.");
  // A few words that are not a whole clause are no move.
  auto words = kOld;
  words[3].text = "3. Term\n\n3.1 Duration. This agreement runs for two years from the Effective Date at the latest.";
  words[4].text = "3.2 Termination. Either party may terminate on ninety days written notice to the other party.";
  words[0].text = "1. Payment\n\n1.1 Fees. The Customer shall pay each invoice at the latest within thirty (30) days of receipt.";
  for (const auto& ch : compareVersions(contract(kOld), contract(words)).changes) EXPECT_NE(ch.kind, ChangeKind::Moved) << ch.inserted;
}

TEST(VersionCompare, ASectionMovedWholeIsOneMoveWithItsHeading) {
  // 2. Insurance (one clause) goes after 3. Term (two clauses, the longer section): Insurance moved,
  // heading and all, renumbered 3; Term renumbered 2 in place.
  std::vector<Clause> changed = {kOld[0], kOld[1],
                                 {"2. Term › 2.1 Duration", "2. Term\n\n2.1 Duration. This agreement runs for two years from the Effective Date."},
                                 {"2. Term › 2.2 Termination", "2.2 Termination. Either party may terminate on ninety days written notice to the other party."},
                                 {"3. Insurance › 3.1 Cover", "3. Insurance\n\n3.1 Cover. The Supplier shall maintain professional indemnity insurance of at least EUR 1,000,000."},
                                 kOld[5], kOld[6]};
  const auto c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u) << kinds(c);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::Moved);
  EXPECT_EQ(c.changes[0].deleted.rfind("2. Insurance 2.1 Cover.", 0), 0u) << c.changes[0].deleted;
  EXPECT_EQ(c.changes[0].inserted.rfind("3. Insurance 3.1 Cover.", 0), 0u) << c.changes[0].inserted;
}

TEST(VersionCompare, ADeletedListItemRelabelsTheRestOnce) {
  const std::vector<Clause> old_list = {
      {"1. Use › 1.1 Restrictions", "1. Use\n\n1.1 Restrictions. Customer will not:\n(a) copy the Software;\n(b) sell or lease the Software;\n"
                                    "(c) reverse engineer the Software; or\n(d) remove any proprietary notices."}};
  const std::vector<Clause> new_list = {
      {"1. Use › 1.1 Restrictions", "1. Use\n\n1.1 Restrictions. Customer will not:\n(a) copy the Software;\n"
                                    "(b) reverse engineer the Software; or\n(c) remove any proprietary notices."}};
  const auto c = compareVersions(contract(old_list), contract(new_list));
  ASSERT_EQ(c.changes.size(), 1u) << comparisonText({}, {}, c);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::Deleted);
  EXPECT_EQ(c.changes[0].deleted, "(b) sell or lease the Software;");
  ASSERT_EQ(c.renumbered.size(), 2u);
  EXPECT_EQ(c.renumbered[0].old_number, "(c)");
  EXPECT_EQ(c.renumbered[0].new_number, "(b)");
}

TEST(VersionCompare, SmallDifferencesOfAScanAreFlaggedButNeverNumbers) {
  auto scanned = kOld;
  scanned[3].text = "3. Term\n\n3.1 Duration. This agreement runs for two years frorn the Effective Date.";  // rn for m
  scanned[0].text = "1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within thirty (36) days of receipt.";
  VersionText scan = contract(scanned);
  scan.ocr_pages = 3;
  const auto c = compareVersions(contract(kOld), scan);
  ASSERT_EQ(c.changes.size(), 2u) << comparisonText({}, {}, c);
  EXPECT_EQ(c.changes[0].inserted, "36");
  EXPECT_FALSE(c.changes[0].maybe_misread);  // a number is never waved through
  EXPECT_EQ(c.changes[1].inserted, "frorn");
  EXPECT_TRUE(c.changes[1].maybe_misread);
  EXPECT_NE(changeLine(c.changes[1]).find("perhaps misread by OCR"), std::string::npos);
  // Without OCR the same difference is a plain replacement.
  const auto typed = compareVersions(contract(kOld), contract(scanned));
  ASSERT_EQ(typed.changes.size(), 2u);
  EXPECT_FALSE(typed.changes[1].maybe_misread);
}

TEST(VersionCompare, ADeletedWordKeepsItsSpacing) {
  auto changed = kOld;
  changed[1].text = "1.2 Late Payment. Late payments bear interest at 2% a month.";
  auto c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_EQ(c.changes[0].before, "Late payments bear interest at ");
  EXPECT_EQ(c.changes[0].after, "% a month.");
  changed[1].text = "1.2 Late Payment. Late payments bear interest.";
  c = compareVersions(contract(kOld), contract(changed));
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::Deleted);
  EXPECT_EQ(c.changes[0].deleted, "at 1% a month");
  EXPECT_EQ(c.changes[0].before, "Late payments bear interest ");
  EXPECT_EQ(c.changes[0].after, ".");
}

TEST(VersionCompare, TheSameTextLaidOutAsAPdfHasNoDifferences) {
  // A PDF's lines break anywhere, its clauses split across chunks differently, its pages number lines.
  std::vector<ingest::StoredChunk> pdf = {
      chunk("1. Payment › 1.1 Fees", "1. Payment\n1.1 Fees. The Customer shall pay each invoice within\nthirty (30) days of receipt.\n1.2 Late Payment. Late payments bear interest at 1%\na month.", 1, 1),
      chunk("2. Insurance › 2.1 Cover", "2. Insurance\n2.1 Cover. The Supplier shall maintain professional indemnity\ninsurance of at least EUR 1,000,000.\n3. Term\n3.1 Duration. This agreement runs for two years from the\nEffective Date.", 1, 6),
      chunk("3. Term › 3.2 Termination", "3.2 Termination. Either party may terminate on ninety days written notice to the\nother party.\n4. General\n4.1 Notices. Notices must be in writing and are effective on receipt by the other party.\n"
                                         "4.2 Assignment. Neither party may assign this agreement without the prior written\nconsent of the other party, which may not be unreasonably withheld.", 2, 1)};
  const auto c = compareVersions(contract(kOld), tokenizeVersion(std::move(pdf)));
  EXPECT_TRUE(c.changes.empty()) << comparisonText({}, {}, c);
  EXPECT_TRUE(c.renumbered.empty());
}

TEST(VersionCompare, ChangesCarryTheirPagesAndLines) {
  std::vector<ingest::StoredChunk> pdf = {chunk("1. Payment › 1.1 Fees", "1. Payment\n1.1 Fees. The Customer shall pay each invoice within\nsixty (60) days of receipt.", 3, 10)};
  const auto c = compareVersions(contract({kOld[0]}), tokenizeVersion(std::move(pdf)));
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_EQ(describePlace(c.changes[0].new_place), "p. 3, line 12");
  EXPECT_EQ(describePlace(c.changes[0].old_place), "line 3");
}

TEST(VersionCompare, ReportMarksDeletionsAndInsertions) {
  auto changed = kOld;
  changed[0].text = "1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within sixty (60) days of receipt.";
  ComparedDocument a, b;
  a.name = "MSA v1.docx";
  b.name = "MSA v2.pdf";
  a.text = contract(kOld);
  b.text = contract(changed);
  const auto c = compareVersions(a.text, b.text);
  const Report r = comparisonReport(a, b, c);
  const std::string md = renderMarkdown(r, {});
  EXPECT_NE(md.find("~~thirty (30)~~ **sixty (60)**"), std::string::npos) << md;
  const std::string html = renderHtml(r, {});
  EXPECT_NE(html.find("line-through\">thirty (30)</span>"), std::string::npos);
  const std::string text = comparisonText(a, b, c);
  EXPECT_NE(text.find("[-thirty (30)-]{+sixty (60)+}"), std::string::npos) << text;
  const auto j = comparisonJson(a, b, c);
  EXPECT_EQ(j["changes"][0]["kind"], "replaced");
  EXPECT_EQ(j["changes"][0]["new"]["heading"], "1. Payment › 1.1 Fees");
}

}  // namespace
}  // namespace folio::app
