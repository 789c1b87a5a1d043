// The engine against the independent float64 NumPy reference (tools/reference/): for every fixture
// under tests/fixtures/golden/, the logits of prefixes of 1, 255, 256, 257 and 640 tokens, chunked
// prefill vs one-shot prefill vs token-by-token decode, snapshot/restore, and the routing choices.
// Dimension letters: T tokens, V vocab, E experts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/npy_writer.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "support/npy.h"

namespace fs = std::filesystem;
using namespace folio;
using namespace folio::engine;

namespace {

const fs::path kFixtures = FOLIO_FIXTURES_DIR;

std::vector<std::string> fixtureNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kFixtures / "golden", ec)) {
    if (e.is_directory() && fs::exists(kFixtures / "models" / e.path().filename())) {
      names.push_back(e.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json readJson(const fs::path& p) {
  std::ifstream f(p);
  return nlohmann::json::parse(f);
}

struct Golden {
  std::shared_ptr<const Model> model;
  std::vector<int32_t> ids;  // [T]
  test::NpyArray logits;     // [T, V]
  bool bf16 = false;
  int64_t V = 0;
};

// Loads the fixture once per test (they are small).
Golden loadGolden(const std::string& name) {
  Golden g;
  auto model = Model::load(kFixtures / "models" / name);
  if (!model.ok()) {
    ADD_FAILURE() << name << ": " << model.error().message;
    return g;
  }
  g.model = model.value();
  g.V = g.model->config().vocab_size;
  const nlohmann::json prompt = readJson(kFixtures / "golden" / name / "prompt.json");
  for (const auto& v : prompt["ids"]) g.ids.push_back(v.get<int32_t>());
  g.logits = test::readNpy(kFixtures / "golden" / name / "logits.npy");
  EXPECT_TRUE(g.logits.ok()) << g.logits.error;
  EXPECT_EQ(g.logits.rows(), static_cast<int64_t>(g.ids.size()));
  EXPECT_EQ(g.logits.cols(), g.V);
  // "dtype" of a fixture = that of every tensor but the router
  g.bf16 = g.model->embedding().dtype == kernels::DType::BF16;
  return g;
}

std::unique_ptr<Session> newSession(const Golden& g, int chunk, int threads = 2) {
  SessionOptions o;
  o.context_capacity = static_cast<int64_t>(g.ids.size()) + 64;
  o.prefill_chunk = chunk;
  o.threads = threads;
  auto s = Session::create(g.model, o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(s.value()) : nullptr;
}

// ‖a − b‖ / ‖b‖ over the first `rows` rows of [*, V] arrays.
double relL2(const float* a, const float* b, int64_t rows, int64_t V) {
  double num = 0, den = 0;
  for (int64_t i = 0; i < rows * V; ++i) {
    const double d = double(a[i]) - double(b[i]);
    num += d * d;
    den += double(b[i]) * double(b[i]);
  }
  return std::sqrt(num / den);
}

int64_t argmaxRow(const float* row, int64_t V) { return std::max_element(row, row + V) - row; }

class GoldenLogits : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(GoldenLogits, PrefixesMatchReference) {
  const Golden g = loadGolden(GetParam());
  ASSERT_TRUE(g.model);
  const double tol = g.bf16 ? 1e-3 : 1e-5;
  for (int64_t n : {1, 255, 256, 257, 640}) {
    ASSERT_LE(n, static_cast<int64_t>(g.ids.size()));
    auto s = newSession(g, static_cast<int>(n));
    ASSERT_TRUE(s);
    std::vector<float> logits;
    ASSERT_TRUE(s->prefill(std::span(g.ids).first(static_cast<size_t>(n)), &logits).ok());
    ASSERT_EQ(logits.size(), static_cast<size_t>(n * g.V));
    const double err = relL2(logits.data(), g.logits.data.data(), n, g.V);
    int argmax_diff = 0;
    for (int64_t t = 0; t < n; ++t) {
      argmax_diff += argmaxRow(&logits[t * g.V], g.V) != argmaxRow(&g.logits.data[t * g.V], g.V);
    }
    std::printf("[ golden ] %-32s prefix %3lld: rel L2 error %.3e (bound %.0e), argmax differs on %d rows\n",
                GetParam().c_str(), static_cast<long long>(n), err, tol, argmax_diff);
    EXPECT_LE(err, tol) << "prefix " << n;
    EXPECT_EQ(argmax_diff, 0) << "prefix " << n;
    EXPECT_EQ(s->position(), n);
    EXPECT_EQ(0, std::memcmp(s->lastLogits().data(), &logits[(n - 1) * g.V], g.V * sizeof(float)));
    if (n == 640) {
      // what `--dump-logits` writes reads back bit-identically
      const fs::path npy = fs::temp_directory_path() / ("folio_golden_" + GetParam() + ".npy");
      ASSERT_TRUE(writeNpyF32(npy, logits.data(), n, g.V).ok());
      const test::NpyArray back = test::readNpy(npy);
      ASSERT_TRUE(back.ok()) << back.error;
      EXPECT_EQ(back.shape, (std::vector<int64_t>{n, g.V}));
      EXPECT_EQ(back.data, logits);
      fs::remove(npy);
    }
  }
}

TEST_P(GoldenLogits, ChunkedPrefillAndDecodeAgreeWithOneShot) {
  const Golden g = loadGolden(GetParam());
  ASSERT_TRUE(g.model);
  const int64_t T = static_cast<int64_t>(g.ids.size());
  std::vector<float> one_shot;
  {
    auto s = newSession(g, static_cast<int>(T));
    ASSERT_TRUE(s->prefill(g.ids, &one_shot).ok());
  }
  for (int chunk : {7, 100, 256}) {
    auto s = newSession(g, chunk);
    std::vector<float> logits;
    ASSERT_TRUE(s->prefill(g.ids, &logits).ok());
    const double err = relL2(logits.data(), one_shot.data(), T, g.V);
    std::printf("[ golden ] %-32s chunk %3d vs one-shot: rel L2 %.3e\n", GetParam().c_str(), chunk, err);
    EXPECT_LE(err, 1e-5) << "chunk " << chunk;
  }
  // token by token through decode, and a prefill of 300 followed by decode of the rest
  for (int64_t split : {int64_t{0}, int64_t{300}}) {
    auto s = newSession(g, 128);
    std::vector<float> logits;
    if (split > 0) ASSERT_TRUE(s->prefill(std::span(g.ids).first(static_cast<size_t>(split)), &logits).ok());
    logits.resize(static_cast<size_t>(T * g.V));
    for (int64_t t = split; t < T; ++t) {
      ASSERT_TRUE(s->decode(g.ids[static_cast<size_t>(t)]).ok());
      std::memcpy(&logits[t * g.V], s->lastLogits().data(), g.V * sizeof(float));
    }
    const double err = relL2(logits.data(), one_shot.data(), T, g.V);
    std::printf("[ golden ] %-32s prefill %3lld + decode vs one-shot: rel L2 %.3e\n", GetParam().c_str(),
                static_cast<long long>(split), err);
    EXPECT_LE(err, 1e-5) << "decode after prefill of " << split;
    EXPECT_EQ(s->position(), T);
    EXPECT_EQ(s->tokens(), g.ids);
  }
}

TEST_P(GoldenLogits, SnapshotRestoreIsBitIdentical) {
  const Golden g = loadGolden(GetParam());
  ASSERT_TRUE(g.model);
  const fs::path snap = fs::temp_directory_path() / ("folio_golden_" + GetParam() + ".state");
  const std::span<const int32_t> ids(g.ids);
  // run A: 300 tokens, snapshot, a few decode steps (deferred decay pending), snapshot, then more
  auto a = newSession(g, 100);
  ASSERT_TRUE(a->prefill(ids.first(300)).ok());
  for (size_t t = 300; t < 305; ++t) ASSERT_TRUE(a->decode(ids[t]).ok());
  ASSERT_TRUE(a->saveState(snap).ok());
  const std::vector<float> at_save(a->lastLogits().begin(), a->lastLogits().end());
  std::vector<float> cont_a;
  ASSERT_TRUE(a->prefill(ids.subspan(305, 40), &cont_a).ok());
  for (size_t t = 345; t < 365; ++t) {
    ASSERT_TRUE(a->decode(ids[t]).ok());
    cont_a.insert(cont_a.end(), a->lastLogits().begin(), a->lastLogits().end());
  }
  // run B: restore into a fresh session with another thread count and continue the same way
  auto b = newSession(g, 100, 3);
  ASSERT_TRUE(b->loadState(snap).ok());
  EXPECT_EQ(b->position(), 305);
  EXPECT_EQ(b->tokens(), std::vector<int32_t>(g.ids.begin(), g.ids.begin() + 305));
  ASSERT_EQ(b->lastLogits().size(), at_save.size());
  EXPECT_EQ(0, std::memcmp(b->lastLogits().data(), at_save.data(), at_save.size() * sizeof(float)));
  std::vector<float> cont_b;
  ASSERT_TRUE(b->prefill(ids.subspan(305, 40), &cont_b).ok());
  for (size_t t = 345; t < 365; ++t) {
    ASSERT_TRUE(b->decode(ids[t]).ok());
    cont_b.insert(cont_b.end(), b->lastLogits().begin(), b->lastLogits().end());
  }
  ASSERT_EQ(cont_a.size(), cont_b.size());
  EXPECT_EQ(0, std::memcmp(cont_a.data(), cont_b.data(), cont_a.size() * sizeof(float)))
      << "continuing from a restored snapshot must give bit-identical logits";
  fs::remove(snap);
}

TEST_P(GoldenLogits, RoutingMatchesReference) {
  const Golden g = loadGolden(GetParam());
  ASSERT_TRUE(g.model);
  const nlohmann::json ref = readJson(kFixtures / "golden" / GetParam() / "routing.json");
  struct Sink : RoutingSink {
    std::map<std::pair<int64_t, int>, std::vector<ExpertChoice>> seen;
    void onRouting(int64_t position, int layer, const ExpertChoice* c, int n) override {
      seen[{position, layer}] = std::vector<ExpertChoice>(c, c + n);
    }
  } sink;
  auto s = newSession(g, 256);
  s->setRoutingSink(&sink);
  ASSERT_TRUE(s->prefill(g.ids).ok());
  const int k = ref["top_k"].get<int>();
  int compared = 0, skipped = 0, mismatched = 0;
  double max_weight_err = 0;
  for (const auto& layer : ref["layers"]) {
    const int l = layer["layer"].get<int>();
    for (size_t t = 0; t < g.ids.size(); ++t) {
      if (layer["margin"][t].get<double>() <= 1e-3) {
        ++skipped;
        continue;
      }
      ++compared;
      const auto& got = sink.seen[{static_cast<int64_t>(t), l}];
      bool same = static_cast<int>(got.size()) == k;
      for (int j = 0; same && j < k; ++j) {
        same = got[static_cast<size_t>(j)].expert == layer["experts"][t][static_cast<size_t>(j)].get<int>();
        max_weight_err = std::max(max_weight_err, std::abs(double(got[static_cast<size_t>(j)].weight) -
                                                           layer["weights"][t][static_cast<size_t>(j)].get<double>()));
      }
      mismatched += !same;
    }
  }
  std::printf("[ golden ] %-32s routing: %d choices compared, %d near-ties skipped, %d differ, max weight error %.2e\n",
              GetParam().c_str(), compared, skipped, mismatched, max_weight_err);
  EXPECT_GT(compared, skipped);
  EXPECT_EQ(mismatched, 0);
  EXPECT_LT(max_weight_err, 1e-4);
  // the aggregate counts every token × layer × top-k choice at τ = 1
  const RoutingAggregate& agg = s->routingAggregate();
  int64_t total = 0;
  for (int64_t c : agg.counts) total += c;
  EXPECT_EQ(total, static_cast<int64_t>(g.ids.size()) * g.model->config().num_layers * k);
  EXPECT_EQ(agg.experts_skipped, 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenLogits, ::testing::ValuesIn(fixtureNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(GoldenFixtures, Present) { EXPECT_GE(fixtureNames().size(), 5u); }
