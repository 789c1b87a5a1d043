// Citation markers: [n], [a, b], [a-b], [a–b]; mapping to evidence; numbers naming nothing dropped.
#include <gtest/gtest.h>

#include "app/pipeline/citations.h"

namespace folio::app {
namespace {

std::vector<Evidence> evidence(int n) {
  std::vector<Evidence> ev;
  for (int i = 1; i <= n; ++i) {
    Evidence e;
    e.n = i;
    e.kind = "chunk";
    e.document_id = 10 + i;
    e.chunk_id = 100 + i;
    e.path = "doc" + std::to_string(i) + ".pdf";
    e.page_first = i;
    e.page_last = i;
    e.line_first = 2 * i;
    e.line_last = 2 * i + 3;
    e.text = "passage " + std::to_string(i);
    ev.push_back(e);
  }
  return ev;
}

TEST(Citations, ParsesSinglesListsAndRanges) {
  const auto m = parseCitationMarkers("A [1]. B [2, 3]. C [2-4] and [5 – 6]; D [7\xE2\x80\x93" "8].");
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].numbers, (std::vector<int>{1}));
  EXPECT_EQ(m[1].numbers, (std::vector<int>{2, 3}));
  EXPECT_EQ(m[2].numbers, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(m[4].numbers, (std::vector<int>{7, 8}));
  EXPECT_EQ(m[0].offset, 2u);
  EXPECT_EQ(m[0].length, 3u);
}

TEST(Citations, IgnoresBracketsThatAreNotCitations) {
  EXPECT_TRUE(parseCitationMarkers("x[i] [a] [] [1,] [-2] [1 2] [12345678901]").empty());
  EXPECT_EQ(parseCitationMarkers("a[0]").size(), 1u);  // parsed; mapping drops it
}

TEST(Citations, MapsToEvidenceAndDropsBogus) {
  const auto ev = evidence(4);
  const auto map = mapCitations("Termination [2]; breach [99]; both [1, 2] and [3-4]; again [99] [0].", ev);
  ASSERT_EQ(map.citations.size(), 4u);
  EXPECT_EQ(map.citations[0].n, 2);
  EXPECT_EQ(map.citations[0].source.document_id, 12);
  EXPECT_EQ(*map.citations[0].source.chunk_id, 102);
  EXPECT_EQ(map.citations[0].source.page_first, 2);
  EXPECT_EQ(map.citations[0].source.line_first, 4);
  EXPECT_EQ(map.citations[0].source.line_last, 7);
  EXPECT_EQ(map.citations[1].n, 1);
  EXPECT_EQ(map.citations[3].n, 4);
  EXPECT_EQ(map.dropped, (std::vector<int>{99, 0}));
}

TEST(Citations, HugeRangesAreNotExpanded) {
  const auto map = mapCitations("[1-100000]", evidence(3));
  ASSERT_EQ(map.citations.size(), 1u);
  EXPECT_EQ(map.dropped, (std::vector<int>{100000}));
}

TEST(Citations, JsonCarriesDocumentPageAndLines) {
  const auto ev = evidence(2);
  const auto j = citationJson({2, ev[1]});
  EXPECT_EQ(j["n"], 2);
  EXPECT_EQ(j["document_id"], 12);
  EXPECT_EQ(j["page_first"], 2);
  EXPECT_EQ(j["line_last"], 7);
  EXPECT_EQ(j["quote"], "passage 2");
}

}  // namespace
}  // namespace folio::app
