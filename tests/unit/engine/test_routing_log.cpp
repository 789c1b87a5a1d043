// RoutingLog: records every token × layer in any arrival order, aggregates counts and weight sums, and
// serialises to the documented JSON schema atomically.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "engine/common/file_io.h"
#include "engine/generation/routing_log.h"

using folio::engine::ExpertChoice;
using folio::engine::RoutingLog;

namespace {
// Deterministic fake routing: token at `pos`, layer `l` keeps 1 or 2 of experts.
std::vector<ExpertChoice> fakeChoices(int64_t pos, int l, int num_experts) {
  const auto e0 = static_cast<int16_t>((pos * 3 + l) % num_experts);
  const auto e1 = static_cast<int16_t>((e0 + 1 + l) % num_experts);
  if ((pos + l) % 3 == 0) return {{e0, 1.0f}};  // τ kept a single expert
  return {{e0, 0.75f}, {e1, 0.25f}};
}
}  // namespace

TEST(RoutingLog, RecordsLayerMajorArrivalAndAggregates) {
  const int L = 3, E = 5, K = 2;
  RoutingLog log(L, E, K);
  const int64_t first = 10, T = 7;  // a restored session starts past 0
  // Prefill order: all tokens of layer 0, then layer 1, ...
  for (int l = 0; l < L; ++l)
    for (int64_t p = first; p < first + T; ++p) {
      auto c = fakeChoices(p, l, E);
      log.onRouting(p, l, c.data(), static_cast<int>(c.size()));
    }
  std::vector<int32_t> ids = {5, 6, 7, 8, 9, 10, 11};
  log.noteTokens(first, ids);
  ASSERT_EQ(log.numTokens(), T);
  EXPECT_EQ(log.firstPosition(), first);

  std::vector<int64_t> counts(L * E, 0);
  std::vector<double> sums(L * E, 0);
  int64_t evaluated = 0, skipped = 0;
  for (int64_t row = 0; row < T; ++row) {
    EXPECT_EQ(log.tokenId(row), ids[static_cast<size_t>(row)]);
    for (int l = 0; l < L; ++l) {
      const auto want = fakeChoices(first + row, l, E);
      const auto got = log.choices(row, l);
      ASSERT_EQ(got.size(), want.size());
      for (size_t j = 0; j < want.size(); ++j) {
        EXPECT_EQ(got[j].expert, want[j].expert);
        EXPECT_EQ(got[j].weight, want[j].weight);
        ++counts[static_cast<size_t>(l * E + want[j].expert)];
        sums[static_cast<size_t>(l * E + want[j].expert)] += want[j].weight;
      }
      evaluated += static_cast<int64_t>(want.size());
      skipped += K - static_cast<int64_t>(want.size());
    }
  }
  EXPECT_EQ(log.aggregate().counts, counts);
  for (size_t i = 0; i < sums.size(); ++i) EXPECT_DOUBLE_EQ(log.aggregate().weight_sums[i], sums[i]);
  EXPECT_EQ(log.aggregate().experts_evaluated, evaluated);
  EXPECT_EQ(log.aggregate().experts_skipped, skipped);
  EXPECT_GT(skipped, 0);
}

TEST(RoutingLog, ConcurrentReportsFromSeveralThreads) {
  const int L = 4, E = 8, K = 2;
  RoutingLog log(L, E, K);
  std::vector<std::thread> workers;
  for (int l = 0; l < L; ++l)
    workers.emplace_back([&log, l] {
      for (int64_t p = 0; p < 200; ++p) {
        auto c = fakeChoices(p, l, 8);
        log.onRouting(p, l, c.data(), static_cast<int>(c.size()));
      }
    });
  for (auto& w : workers) w.join();
  ASSERT_EQ(log.numTokens(), 200);
  int64_t total = 0;
  for (int64_t c : log.aggregate().counts) total += c;
  EXPECT_EQ(total, log.aggregate().experts_evaluated);
  for (int64_t row = 0; row < 200; ++row)
    for (int l = 0; l < L; ++l) EXPECT_EQ(log.choices(row, l).size(), fakeChoices(row, l, 8).size());
}

TEST(RoutingLog, JsonFollowsTheDocumentedSchemaAndIsWrittenAtomically) {
  const int L = 2, E = 4, K = 2;
  RoutingLog log(L, E, K);
  for (int64_t p = 0; p < 3; ++p)
    for (int l = 0; l < L; ++l) {
      auto c = fakeChoices(p, l, E);
      log.onRouting(p, l, c.data(), static_cast<int>(c.size()));
    }
  const std::vector<int32_t> ids = {42, 43, 44};
  log.noteTokens(0, ids);
  const auto dir = std::filesystem::temp_directory_path() / ("folio-routing-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "routing.json";
  ASSERT_TRUE(log.writeJson(path, "tiny").ok());
  auto text = folio::readFile(path);
  ASSERT_TRUE(text.ok());
  const auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j.at("model"), "tiny");
  EXPECT_EQ(j.at("num_layers"), L);
  EXPECT_EQ(j.at("num_experts"), E);
  EXPECT_EQ(j.at("top_k"), K);
  ASSERT_EQ(j.at("tokens").size(), 3u);
  std::vector<std::vector<int64_t>> counts(L, std::vector<int64_t>(E, 0));
  for (size_t t = 0; t < 3; ++t) {
    const auto& tok = j["tokens"][t];
    EXPECT_EQ(tok.at("position"), static_cast<int64_t>(t));
    EXPECT_EQ(tok.at("id"), ids[t]);
    ASSERT_EQ(tok.at("layers").size(), static_cast<size_t>(L));
    for (int l = 0; l < L; ++l) {
      const auto want = fakeChoices(static_cast<int64_t>(t), l, E);
      const auto& got = tok["layers"][static_cast<size_t>(l)];
      ASSERT_EQ(got.size(), want.size());
      for (size_t k = 0; k < want.size(); ++k) {
        EXPECT_EQ(got[k][0].get<int>(), want[k].expert);
        EXPECT_FLOAT_EQ(got[k][1].get<float>(), want[k].weight);
        ++counts[static_cast<size_t>(l)][static_cast<size_t>(want[k].expert)];
      }
    }
  }
  EXPECT_EQ(j.at("counts").get<std::vector<std::vector<int64_t>>>(), counts);
  EXPECT_EQ(j.at("weight_sums").size(), static_cast<size_t>(L));
  EXPECT_EQ(j.at("experts_evaluated").get<int64_t>() + j.at("experts_skipped").get<int64_t>(), 3 * L * K);
  int leftovers = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) leftovers += e.path().filename() != "routing.json";
  EXPECT_EQ(leftovers, 0);
  std::filesystem::remove_all(dir);
}

TEST(RoutingLog, UnwritablePathIsAnErrorNamingIt) {
  RoutingLog log(1, 2, 1);
  auto st = log.writeJson("/nonexistent-dir/x/routing.json", "m");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("/nonexistent-dir/x/routing.json"), std::string::npos);
}
