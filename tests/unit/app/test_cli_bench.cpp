// `folio bench` end to end on a tiny real model: the tables it was asked for are printed with figures,
// B7 reports the memory of a long prompt, and a wrong model directory fails at once with its path.
#include <gtest/gtest.h>

#include <regex>

#include "support/run_process.h"

using folio::test::runProcess;

namespace {

const std::string kModel = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

TEST(CliBench, PrintsTheTablesAskedFor) {
  auto r = runProcess({FOLIO_BINARY, "bench", "--model", kModel, "--threads", "2", "--quick", "--tables",
                       "B3,B4,B5,B6,B7", "--long-tokens", "3000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("B0 machine limits"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("B1 lightning prefill"), std::string::npos) << "B1 was not asked for:\n" << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(triad bandwidth\s+([0-9.]+) GB/s)"))) << r.out;
  EXPECT_GT(std::stod(m[1]), 0.1);
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(tokens/s ([0-9.]+) .* -> ([0-9.]+)% of the bound)"))) << r.out;
  EXPECT_GT(std::stod(m[1]), 1.0);
  EXPECT_GT(std::stod(m[2]), 0.0);
  EXPECT_NE(r.out.find("B5 whole-model prefill"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(growth / formula [0-9.]+)"))) << r.out;
  // B7: the prompt's last row is reported at its full length
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n\s+3000\s+[0-9.]+\s+[0-9.]+)"))) << r.out;
  EXPECT_NE(r.out.find("grew by"), std::string::npos) << r.out;
}

TEST(CliBench, WrongModelDirectoryFailsBeforeMeasuring) {
  auto r = runProcess({FOLIO_BINARY, "bench", "--model", "/nonexistent/folio-model", "--tables", "B4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/folio-model"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("B0"), std::string::npos) << r.out;
}

TEST(CliBench, RejectsAThreadCountOutOfRangeAndUnknownTables) {
  auto r = runProcess({FOLIO_BINARY, "bench", "--threads", "-3"});
  EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
  r = runProcess({FOLIO_BINARY, "bench", "--tables", "B1,B9"});
  EXPECT_EQ(r.exit_code, 64) << r.out << r.err;
  EXPECT_NE(r.err.find("B9"), std::string::npos) << r.err;
}

}  // namespace
