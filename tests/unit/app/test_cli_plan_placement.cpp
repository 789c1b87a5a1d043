// `folio plan --gpus N --gpu-memory G` on the MiniMax-M1 release config, through the real binary: the
// placement it prints, its JSON, the refusal (exit 1, the shortfall on stderr) and the usage error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_process.h"

namespace {

const std::string kM1 = std::string(FOLIO_SHARED_DIR) + "/models/minimax-m1";

folio::test::ProcessResult plan(std::vector<std::string> args) {
  args.insert(args.begin(), {FOLIO_BINARY, "plan", "--model", kM1});
  return folio::test::runProcess(args);
}

TEST(CliPlanPlacement, EightH200sFitAndPrintEachShare) {
  auto r = plan({"--gpus", "8", "--gpu-memory", "141"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* s : {"Placement on 8 × 141.0 GiB GPUs (tensor parallel 8, experts bf16",
                        "routed experts", "101.25 GiB", "KV cache", "4.77 GiB", "total", "114.13 GiB  fits"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  }
}

TEST(CliPlanPlacement, JsonCarriesThePerGpuBytes) {
  auto r = plan({"--gpus", "8", "--gpu-memory", "80", "--experts-int8", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json p = nlohmann::json::parse(r.out)["placement"];
  EXPECT_EQ(p["gpus"], 8);
  EXPECT_EQ(p["fits"], true);
  EXPECT_EQ(p["int8_experts"], true);
  EXPECT_EQ(p["per_gpu_bytes"]["total"], 68288623680ull);
  EXPECT_EQ(p["per_gpu_bytes"]["kv_cache"], 5120000000ull);
}

TEST(CliPlanPlacement, OneEightyGigabyteGpuIsRefusedWithTheShortfall) {
  auto r = plan({"--gpus", "1", "--gpu-memory", "80"});
  EXPECT_FALSE(r.signaled);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("DOES NOT FIT"), std::string::npos) << r.out;
  for (const char* s : {"folio plan: does not fit: 1 × 80.0 GiB needs 892.1 GiB per GPU", "weights 849.6 GiB",
                        "812.1 GiB more than each GPU has", "16 such GPUs would fit"}) {
    EXPECT_NE(r.err.find(s), std::string::npos) << s << "\n" << r.err;
  }
}

TEST(CliPlanPlacement, SplitThatDoesNotDivideAndMissingMemory) {
  auto r = plan({"--gpus", "3", "--gpu-memory", "141"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("64 attention heads do not split over 3 ranks"), std::string::npos) << r.err;
  r = plan({"--gpus", "8"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("--gpus needs --gpu-memory"), std::string::npos) << r.err;
}

}  // namespace
