// Session behaviour on a fixture model: options and input validation, cancellation, the expert
// threshold τ, the routing aggregate, and thread-count independence.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <vector>

#include "engine/model/model.h"
#include "engine/model/session.h"
#include "unit/engine/test_session_support.h"

using namespace folio;
using namespace folio::engine;

namespace {
std::shared_ptr<const Model> loadFixture(const std::string& name) { return test::loadFixtureModel(name); }
std::unique_ptr<Session> open(std::shared_ptr<const Model> model, SessionOptions o = {}) {
  return test::openSession(std::move(model), o);
}
std::vector<int32_t> prompt(size_t n) { return test::fixedPrompt(n); }
}  // namespace

TEST(Session, RejectsBadOptions) {
  auto model = loadFixture("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  SessionOptions o;
  o.context_capacity = 0;
  EXPECT_FALSE(Session::create(model, o).ok());
  o = {};
  o.prefill_chunk = -1;
  EXPECT_FALSE(Session::create(model, o).ok());
  o = {};
  o.expert_threshold = 0.0;
  auto r = Session::create(model, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("expert_threshold"), std::string::npos);
  o.expert_threshold = 1.5;
  EXPECT_FALSE(Session::create(model, o).ok());
  EXPECT_FALSE(Session::create(nullptr, SessionOptions{}).ok());
}

TEST(Session, RejectsBadTokensAndCapacityWithoutChangingState) {
  auto model = loadFixture("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  SessionOptions o;
  o.context_capacity = 10;
  auto s = open(model, o);
  EXPECT_TRUE(s->lastLogits().empty());
  const std::vector<int32_t> bad = {1, 2, 320};
  Status st = s->prefill(bad);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::BadInput);
  EXPECT_NE(st.error().message.find("320"), std::string::npos);
  EXPECT_FALSE(s->decode(-1).ok());
  EXPECT_EQ(s->position(), 0);
  ASSERT_TRUE(s->prefill(prompt(8)).ok());
  st = s->prefill(prompt(3));  // 8 + 3 > 10: refused before any work
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("capacity"), std::string::npos);
  EXPECT_EQ(s->position(), 8);
  EXPECT_TRUE(s->decode(5).ok());
  EXPECT_TRUE(s->decode(6).ok());
  EXPECT_FALSE(s->decode(7).ok());
  EXPECT_EQ(s->position(), 10);
  EXPECT_EQ(s->lastLogits().size(), 320u);
}

TEST(Session, CancelStopsBetweenChunks) {
  auto model = loadFixture("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  SessionOptions o;
  o.prefill_chunk = 16;
  auto s = open(model, o);
  std::atomic<bool> cancel{true};
  Status st = s->prefill(prompt(40), nullptr, &cancel);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(s->position(), 0);
  // a sink that raises the flag during the first chunk: the prefill stops after it
  struct CancelAt : RoutingSink {
    std::atomic<bool>* flag;
    void onRouting(int64_t position, int, const ExpertChoice*, int) override {
      if (position == 3) flag->store(true);
    }
  } sink;
  sink.flag = &cancel;
  cancel = false;
  s->setRoutingSink(&sink);
  st = s->prefill(prompt(40), nullptr, &cancel);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(s->position(), 16);
}

TEST(Session, ExpertThresholdSkipsExpertsAndOneIsExact) {
  auto model = loadFixture("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  const auto ids = prompt(50);
  const int L = model->config().num_layers, K = model->config().top_k;
  std::vector<float> exact, tau1, tau_low;
  auto a = open(model);
  ASSERT_TRUE(a->prefill(ids, &exact).ok());
  SessionOptions o;
  o.expert_threshold = 1.0;
  auto b = open(model, o);
  ASSERT_TRUE(b->prefill(ids, &tau1).ok());
  EXPECT_EQ(exact, tau1);
  EXPECT_EQ(b->routingAggregate().experts_skipped, 0);
  EXPECT_EQ(b->routingAggregate().experts_evaluated, int64_t{50} * L * K);

  auto c = open(model);
  c->setExpertThreshold(0.5);  // keeps one expert wherever the first has ≥ half the top-k mass: always for k = 2
  ASSERT_TRUE(c->prefill(ids, &tau_low).ok());
  const RoutingAggregate& agg = c->routingAggregate();
  EXPECT_EQ(agg.experts_evaluated + agg.experts_skipped, int64_t{50} * L * K);
  EXPECT_EQ(agg.experts_skipped, int64_t{50} * L);
  const int64_t routed = std::accumulate(agg.counts.begin(), agg.counts.end(), int64_t{0});
  EXPECT_EQ(routed, agg.experts_evaluated);
  double weight = std::accumulate(agg.weight_sums.begin(), agg.weight_sums.end(), 0.0);
  EXPECT_NEAR(weight, 50.0 * L, 1e-3);  // kept weights renormalised to 1 per token and layer
  EXPECT_NE(exact, tau_low);
  for (float v : tau_low) ASSERT_TRUE(std::isfinite(v));
}

TEST(Session, ThreadCountDoesNotChangeResults) {
  auto model = loadFixture("tiny-bf16-h6-gqa3-sll-sharded");
  ASSERT_TRUE(model);
  const auto ids = prompt(70);
  std::vector<std::vector<float>> runs;
  for (int threads : {1, 2, 3}) {
    SessionOptions o;
    o.threads = threads;
    o.prefill_chunk = 32;
    auto s = open(model, o);
    std::vector<float> logits;
    ASSERT_TRUE(s->prefill(ids, &logits).ok());
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(s->decode(ids[static_cast<size_t>(i)]).ok());
      logits.insert(logits.end(), s->lastLogits().begin(), s->lastLogits().end());
    }
    runs.push_back(std::move(logits));
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], runs[2]);
}

TEST(Session, ModelIdentityDependsOnWeightsAndConfig) {
  auto a = loadFixture("tiny-f32-h4-ls");
  auto b = loadFixture("tiny-f32-h4-shared-text01");
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->identity().empty());
  EXPECT_NE(a->identity(), b->identity());
  EXPECT_EQ(a->identity(), loadFixture("tiny-f32-h4-ls")->identity());
  ModelConfig changed = a->config();
  changed.rope_theta *= 2;
  EXPECT_NE(configHash(changed), configHash(a->config()));
}
