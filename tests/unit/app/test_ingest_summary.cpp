// The summary `folio ingest` prints: the rate only where there is one, and documents re-chunked after a
// chunker update named as such.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "app/cli/library_format.h"

namespace folio::cli {
namespace {

std::string summary(const ingest::IngestReport& r) {
  std::ostringstream out;
  printIngestSummary(out, r);
  return out.str();
}

ingest::IngestReport ran(size_t files, double elapsed_s) {
  ingest::IngestReport r;
  r.collection = "default";
  r.added = files;
  r.files_seen = files;
  r.elapsed_s = elapsed_s;
  return r;
}

TEST(IngestSummary, OneSlowPdfHasNoRate) {
  const std::string s = summary(ran(1, 3.2));
  EXPECT_NE(s.find("written in 3.20 s\n"), std::string::npos) << s;
  EXPECT_EQ(s.find("files/s"), std::string::npos) << s;
}

TEST(IngestSummary, ARunUnderASecondHasNoRate) {
  EXPECT_EQ(summary(ran(40, 0.4)).find("files/s"), std::string::npos);
  EXPECT_EQ(formatIngestRate(40, 0.99), "");
  EXPECT_EQ(formatIngestRate(1, 60), "");
  EXPECT_EQ(formatIngestRate(0, 0), "");
}

TEST(IngestSummary, SlowRatesKeepADecimalFastOnesDoNot) {
  EXPECT_NE(summary(ran(3, 2.0)).find("written in 2.00 s (1.5 files/s)\n"), std::string::npos);
  EXPECT_EQ(formatIngestRate(2, 4.0), " (0.5 files/s)");
  EXPECT_EQ(formatIngestRate(50000, 20.0), " (2500 files/s)");
}

TEST(IngestSummary, RechunkedDocumentsAreNamedOnlyWhenThereAreAny) {
  ingest::IngestReport r = ran(10, 2.0);
  EXPECT_EQ(summary(r).find("re-chunked"), std::string::npos);
  r.rechunked = 7;
  r.unchanged = 3;
  r.added = 0;
  const std::string s = summary(r);
  EXPECT_NE(s.find("0 added, 0 updated, 3 unchanged, 0 removed, 0 skipped, 0 failed, re-chunked 7 (chunker or reader updated)\n"),
            std::string::npos)
      << s;
  EXPECT_EQ(ingestReportJson(r)["rechunked"], 7);
}

}  // namespace
}  // namespace folio::cli
