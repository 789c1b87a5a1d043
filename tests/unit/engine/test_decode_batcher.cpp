// Batched decode of several sequences: CpuForward::decodeBatch and the DecodeBatcher that sessions share
// must leave every sequence bit-identical to decoding it alone (logits, state, routing), on prompts of
// different lengths (past the 256-token lightning block), τ < 1, GQA, a shared expert, bf16 and f32.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <tuple>

#include "engine/model/cpu_forward.h"
#include "engine/model/decode_batcher.h"
#include "engine/parallel/tensor_parallel_forward.h"
#include "test_session_support.h"

namespace folio::engine {
namespace {

// Every routing decision as (position, layer, expert, weight bits).
class RecordingSink final : public RoutingSink {
 public:
  void onRouting(int64_t position, int layer, const ExpertChoice* choices, int n) override {
    for (int j = 0; j < n; ++j) {
      uint32_t bits;
      std::memcpy(&bits, &choices[j].weight, 4);
      rows.emplace_back(position, layer, choices[j].expert, bits);
    }
  }
  std::vector<std::tuple<int64_t, int, int, uint32_t>> rows;
};

bool sameFloats(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

bool sameState(const SessionState& a, const SessionState& b) {
  if (a.position != b.position || a.tokens != b.tokens || !sameFloats(a.last_logits, b.last_logits)) return false;
  for (size_t l = 0; l < a.layers.size(); ++l) {
    const LayerState& x = a.layers[l];
    const LayerState& y = b.layers[l];
    if (!sameFloats(x.lightning, y.lightning) || x.pending != y.pending) return false;
    if (!sameFloats(x.k_cache, y.k_cache) || !sameFloats(x.v_cache, y.v_cache)) return false;
  }
  return true;
}

// The prompts of the sequences: lengths on both sides of the 256-token block and a single token.
const std::vector<size_t> kPromptLengths = {300, 7, 129, 1, 260};
constexpr int kSteps = 24;
constexpr int64_t kCapacity = 340;

// Token fed to sequence s at step i (decode input, not sampled: the comparison is of the model).
int32_t feedToken(size_t s, int i) { return static_cast<int32_t>((s * 31 + static_cast<size_t>(i) * 17 + 5) % 306); }

// Drives S sequences twice through a runner: side 0 decodes each alone, side 1 in batched steps (all
// sequences, then a shrinking subset: sequences finish at different times), and expects every logits
// row, the final states and the routing records to be the same bits. A Runner has
//   run(side, s, ids, decode, routing)  one sequence alone (prefill chunks, and side 0's decode steps)
//   step(ids, routing)                  one batched decode step of side 1's sequences 0 … ids.size() − 1
//   meta(side, s)                        its SessionState (position, tokens, logits)
//   state(side, s)                       its whole-model state
template <class Runner>
void expectBatchEqualsAlone(const ModelConfig& cfg, Runner& runner) {
  const size_t S = kPromptLengths.size();
  std::vector<RecordingSink> sink[2] = {std::vector<RecordingSink>(S), std::vector<RecordingSink>(S)};
  std::vector<RoutingAggregate> agg[2] = {std::vector<RoutingAggregate>(S), std::vector<RoutingAggregate>(S)};
  std::vector<ForwardRouting> routing[2];
  for (int side = 0; side < 2; ++side) {
    for (size_t s = 0; s < S; ++s) {
      agg[side][s].reset(cfg.num_layers, cfg.num_experts);
      const double tau = s == 2 ? 0.5 : 1.0;  // one sequence skips low-weight experts
      routing[side].push_back({&sink[side][s], &agg[side][s], tau});
    }
  }
  for (size_t s = 0; s < S; ++s) {
    const auto prompt = test::fixedPrompt(kPromptLengths[s], 7919 + 2 * static_cast<uint32_t>(s));
    for (size_t t0 = 0; t0 < prompt.size(); t0 += 512) {
      const std::span<const int32_t> chunk(prompt.data() + t0, std::min<size_t>(512, prompt.size() - t0));
      for (int side = 0; side < 2; ++side) runner.run(side, s, chunk, false, routing[side][s]);
    }
  }
  for (int i = 0; i < kSteps; ++i) {
    const size_t n = i < kSteps / 2 ? S : S - static_cast<size_t>(i % 3);
    std::vector<int32_t> ids;
    for (size_t s = 0; s < n; ++s) ids.push_back(feedToken(s, i));
    runner.step(ids, std::span<const ForwardRouting>(routing[1].data(), n));
    for (size_t s = 0; s < n; ++s) {
      const int32_t id[1] = {ids[s]};
      runner.run(0, s, id, true, routing[0][s]);
      ASSERT_TRUE(sameFloats(runner.meta(0, s).last_logits, runner.meta(1, s).last_logits))
          << "sequence " << s << " step " << i;
    }
  }
  for (size_t s = 0; s < S; ++s) {
    EXPECT_TRUE(sameState(runner.state(0, s), runner.state(1, s))) << "sequence " << s;
    EXPECT_EQ(sink[0][s].rows, sink[1][s].rows) << "sequence " << s;
    EXPECT_EQ(agg[0][s].counts, agg[1][s].counts) << "sequence " << s;
    EXPECT_EQ(agg[0][s].experts_skipped, agg[1][s].experts_skipped) << "sequence " << s;
  }
}

// The whole model on one pool: CpuForward::decodeBatch against CpuForward::run.
struct WholeRunner {
  WholeRunner(const Model& model, size_t S)
      : pool(2), alone(model, 512, kCapacity, pool), batch(model, static_cast<int64_t>(S), kCapacity, pool) {
    for (auto& side : states) {
      side.resize(S);
      for (auto& st : side) st.allocate(model.config(), kCapacity);
    }
    for (auto& st : states[1]) members.push_back(&st);
  }
  void run(int side, size_t s, std::span<const int32_t> ids, bool decode, const ForwardRouting& r) {
    alone.run(states[side][s], ids, decode, nullptr, r);
  }
  void step(std::span<const int32_t> ids, std::span<const ForwardRouting> r) {
    batch.decodeBatch(std::span(members.data(), ids.size()), ids, r);
  }
  const SessionState& meta(int side, size_t s) const { return states[side][s]; }
  const SessionState& state(int side, size_t s) const { return states[side][s]; }

  ThreadPool pool;
  CpuForward alone, batch;
  std::vector<SessionState> states[2];
  std::vector<SessionState*> members;
};

// Split over tensor-parallel ranks: a group's decodeBatch against the group running each sequence alone
// (the collectives sum in rank order per element, so the bits match too).
struct SplitRunner {
  SplitRunner(std::unique_ptr<TensorParallelForward> alone_group, std::unique_ptr<TensorParallelForward> batch_group,
              size_t S)
      : alone(std::move(alone_group)), batch(std::move(batch_group)) {
    for (int side = 0; side < 2; ++side) {
      metas[side].resize(S);
      for (size_t s = 0; s < S; ++s) splits[side].push_back(alone->allocateState());
    }
    for (size_t s = 0; s < S; ++s) {
      meta_ptrs.push_back(&metas[1][s]);
      split_ptrs.push_back(&splits[1][s]);
    }
  }
  void run(int side, size_t s, std::span<const int32_t> ids, bool decode, const ForwardRouting& r) {
    alone->run(metas[side][s], splits[side][s], ids, decode, nullptr, r);
  }
  void step(std::span<const int32_t> ids, std::span<const ForwardRouting> r) {
    batch->decodeBatch(std::span(meta_ptrs.data(), ids.size()), std::span(split_ptrs.data(), ids.size()), ids, r);
  }
  const SessionState& meta(int side, size_t s) const { return metas[side][s]; }
  SessionState state(int side, size_t s) const { return alone->gatherState(metas[side][s], splits[side][s]); }

  std::unique_ptr<TensorParallelForward> alone, batch;
  std::vector<SessionState> metas[2];  // position, tokens, logits
  std::vector<SplitState> splits[2];
  std::vector<SessionState*> meta_ptrs;
  std::vector<SplitState*> split_ptrs;
};

void expectBatchEqualsAlone(const std::string& fixture) {
  SCOPED_TRACE(fixture);
  auto model = test::loadFixtureModel(fixture);
  ASSERT_TRUE(model);
  WholeRunner runner(*model, kPromptLengths.size());
  expectBatchEqualsAlone(model->config(), runner);
}

void expectSplitBatchEqualsAlone(const std::string& fixture, int ranks) {
  SCOPED_TRACE(fixture + ", " + std::to_string(ranks) + " ranks");
  auto model = test::loadFixtureModel(fixture);
  ASSERT_TRUE(model);
  auto alone = TensorParallelForward::create(*model, ranks, 512, kCapacity, ranks);
  auto batch = TensorParallelForward::create(*model, ranks, static_cast<int64_t>(kPromptLengths.size()), kCapacity,
                                             2 * ranks);
  ASSERT_TRUE(alone.ok() && batch.ok());
  SplitRunner runner(std::move(alone.value()), std::move(batch.value()), kPromptLengths.size());
  expectBatchEqualsAlone(model->config(), runner);
}

TEST(DecodeBatch, EqualsDecodingAloneF32) { expectBatchEqualsAlone("tiny-f32-h4-ls"); }
TEST(DecodeBatch, EqualsDecodingAloneBf16Gqa) { expectBatchEqualsAlone("tiny-bf16-h4-gqa2-lsls-hfcfg"); }
TEST(DecodeBatch, EqualsDecodingAloneSharedExpert) { expectBatchEqualsAlone("tiny-f32-h4-shared-text01"); }
TEST(DecodeBatch, EqualsDecodingAloneHeadDim64) { expectBatchEqualsAlone("tiny-bf16-d64-ls"); }
TEST(DecodeBatch, SplitOverTwoRanksEqualsDecodingAlone) { expectSplitBatchEqualsAlone("tiny-f32-h4-shared-text01", 2); }
// 4 ranks over 2 KV heads: each KV head replicated on two ranks
TEST(DecodeBatch, SplitOverFourRanksEqualsDecodingAloneBf16Gqa) {
  expectSplitBatchEqualsAlone("tiny-bf16-h4-gqa2-lsls-hfcfg", 4);
}
// 3 ranks: the expert hidden units split unevenly (11/11/10)
TEST(DecodeBatch, SplitOverThreeRanksEqualsDecodingAlone) { expectSplitBatchEqualsAlone("tiny-f32-h3-1layer", 3); }

// --- the batcher shared by sessions ---

std::shared_ptr<DecodeBatcher> makeBatcher(std::shared_ptr<const Model> model, DecodeBatcher::Options o = {}) {
  auto b = DecodeBatcher::create(std::move(model), o);
  EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
  return b.ok() ? b.value() : nullptr;
}

SessionOptions sessionOptions(std::shared_ptr<DecodeBatcher> batcher, int tensor_parallel = 1) {
  SessionOptions o;
  o.context_capacity = kCapacity;
  o.threads = tensor_parallel;
  o.tensor_parallel = tensor_parallel;
  o.decode_batcher = std::move(batcher);
  return o;
}

// Sessions decoding in their own threads through one batcher give, step by step, the logits of sessions
// decoding alone, and every token they hand in runs exactly once; whole or split over ranks alike.
void expectConcurrentSessionsMatchSessionsAlone(int tensor_parallel) {
  SCOPED_TRACE(std::to_string(tensor_parallel) + " tensor-parallel ranks");
  auto model = test::loadFixtureModel("tiny-bf16-h6-gqa3-sll-sharded");
  ASSERT_TRUE(model);
  // fewer than the sessions: steps split
  auto batcher = makeBatcher(model, {.threads = 2 * tensor_parallel, .max_batch = 3});
  ASSERT_TRUE(batcher);
  constexpr size_t kSessions = 4;
  constexpr int kTokens = 30;
  const size_t V = static_cast<size_t>(model->config().vocab_size);
  std::vector<std::vector<float>> alone(kSessions), together(kSessions);  // [kTokens · V] each
  for (size_t s = 0; s < kSessions; ++s) {
    auto session = test::openSession(model, sessionOptions(nullptr, tensor_parallel));
    ASSERT_TRUE(session);
    ASSERT_TRUE(session->prefill(test::fixedPrompt(kPromptLengths[s], 7919 + 2 * static_cast<uint32_t>(s))).ok());
    for (int i = 0; i < kTokens; ++i) {
      ASSERT_TRUE(session->decode(feedToken(s, i)).ok());
      alone[s].insert(alone[s].end(), session->lastLogits().begin(), session->lastLogits().end());
    }
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (size_t s = 0; s < kSessions; ++s) {
    threads.emplace_back([&, s] {
      auto session = Session::create(model, sessionOptions(batcher, tensor_parallel));
      if (!session.ok() || !(*session)->prefill(test::fixedPrompt(kPromptLengths[s], 7919 + 2 * static_cast<uint32_t>(s))).ok()) {
        ++failures;
        return;
      }
      for (int i = 0; i < kTokens; ++i) {
        if (!(*session)->decode(feedToken(s, i)).ok()) ++failures;
        together[s].insert(together[s].end(), (*session)->lastLogits().begin(), (*session)->lastLogits().end());
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  for (size_t s = 0; s < kSessions; ++s) {
    ASSERT_EQ(together[s].size(), kTokens * V);
    for (int i = 0; i < kTokens; ++i) {
      const std::span<const float> a(alone[s].data() + i * V, V), b(together[s].data() + i * V, V);
      ASSERT_TRUE(sameFloats(a, b)) << "session " << s << " token " << i;
    }
  }
  const auto stats = batcher->stats();
  EXPECT_EQ(stats.tokens, static_cast<int64_t>(kSessions) * kTokens);
  EXPECT_LE(stats.largest_step, 3);
  EXPECT_EQ(stats.waiting, 0);
}

TEST(DecodeBatcher, ConcurrentSessionsMatchSessionsAlone) { expectConcurrentSessionsMatchSessionsAlone(1); }
TEST(DecodeBatcher, ConcurrentSplitSessionsMatchSplitSessionsAlone) { expectConcurrentSessionsMatchSessionsAlone(2); }

// The gathering, step by step: a token waits for the sequences of the previous step, runs with them, and a
// session that ends stops the wait for it. The window is long (60 s) so that only the policy can end a
// wait within the test's time.
TEST(DecodeBatcher, AStepWaitsForThePreviousStepsSequences) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto batcher = makeBatcher(model, {.threads = 1, .max_batch = 8, .min_gather = std::chrono::seconds(60),
                                     .max_gather = std::chrono::seconds(60)});
  ASSERT_TRUE(batcher);
  auto a = test::openSession(model, sessionOptions(batcher));
  auto b = test::openSession(model, sessionOptions(batcher));
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->prefill(test::fixedPrompt(20)).ok());
  ASSERT_TRUE(b->prefill(test::fixedPrompt(9, 104729)).ok());
  ASSERT_TRUE(a->decode(3).ok());  // a new sequence with no previous step runs at once
  EXPECT_EQ(batcher->stats().steps, 1);

  std::thread tb([&] { EXPECT_TRUE(b->decode(4).ok()); });  // waits: a was in the previous step
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (batcher->stats().waiting < 1 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(batcher->stats().waiting, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(batcher->stats().steps, 1) << "b's token ran without waiting for a";
  ASSERT_TRUE(a->decode(5).ok());  // a is back: one step for both
  tb.join();
  auto stats = batcher->stats();
  EXPECT_EQ(stats.steps, 2);
  EXPECT_EQ(stats.largest_step, 2);
  EXPECT_EQ(stats.tokens, 3);

  a.reset();  // a leaves: b's next token must not wait for it
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(b->decode(6).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(30)) << "b waited for a session that ended";
  EXPECT_EQ(batcher->stats().steps, 3);
  EXPECT_EQ(b->position(), 11);
}

TEST(DecodeBatcher, SessionsOutsideItsReachDecodeAlone) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto batcher = makeBatcher(model, {.threads = 1, .max_capacity = 64});
  ASSERT_TRUE(batcher);
  EXPECT_EQ(batcher->maxCapacity(), 64);
  SessionOptions big = sessionOptions(batcher);
  big.context_capacity = 65;  // over the batcher's capacity
  auto whole = test::openSession(model, sessionOptions(batcher));  // the batcher's backend: the whole model
  ASSERT_TRUE(whole);
  for (const SessionOptions& o : {big, sessionOptions(batcher, 2)}) {  // split over 2 ranks: another backend
    auto s = test::openSession(model, o);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->prefill(test::fixedPrompt(5)).ok());
    ASSERT_TRUE(s->decode(7).ok());
  }
  EXPECT_EQ(batcher->stats().steps, 0);
}

// A runner that only counts its steps (another backend's, as far as the batcher knows).
class CountingRunner final : public BatchDecodeRunner {
 public:
  explicit CountingRunner(int* steps) : steps_(steps) {}
  void run(std::span<DecodeSlot* const> slots) override {
    ++*steps_;
    for (DecodeSlot* s : slots) s->result = {};
  }

 private:
  int* steps_;
};

TEST(DecodeBatcher, ServesOneBackendAndAFailedRunnerLeavesItFree) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto batcher = makeBatcher(model, {.threads = 1});
  ASSERT_TRUE(batcher);
  auto failed = batcher->join("other", []() -> Result<std::unique_ptr<BatchDecodeRunner>> {
    return Error{ErrorKind::Internal, "no device memory"};
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("no device memory"), std::string::npos) << failed.error().message;
  int steps = 0;
  auto joined = batcher->join("other", [&]() -> Result<std::unique_ptr<BatchDecodeRunner>> {
    return std::unique_ptr<BatchDecodeRunner>(new CountingRunner(&steps));
  });
  ASSERT_TRUE(joined.ok() && joined.value());
  // a CPU session now decodes alone, and gives what a session without the batcher gives
  auto with = test::openSession(model, sessionOptions(batcher));
  auto without = test::openSession(model, sessionOptions(nullptr));
  ASSERT_TRUE(with && without);
  for (Session* s : {with.get(), without.get()}) {
    ASSERT_TRUE(s->prefill(test::fixedPrompt(12)).ok());
    ASSERT_TRUE(s->decode(9).ok());
  }
  EXPECT_TRUE(sameFloats(with->lastLogits(), without->lastLogits()));
  EXPECT_EQ(batcher->stats().steps, 0);
  EXPECT_EQ(steps, 0);
  // the other backend's sequences go through its runner
  DecodeSlot slot{&steps, 1, {}};
  EXPECT_TRUE(batcher->decode(slot).ok());
  EXPECT_EQ(steps, 1);
  batcher->leave(&steps);
}

TEST(DecodeBatcher, RefusesAnotherModelAndBadOptions) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  auto other = test::loadFixtureModel("tiny-f32-h3-1layer");
  ASSERT_TRUE(model && other);
  auto batcher = makeBatcher(model);
  ASSERT_TRUE(batcher);
  auto s = Session::create(other, sessionOptions(batcher));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::BadInput);
  EXPECT_NE(s.error().message.find("decode batcher"), std::string::npos) << s.error().message;

  for (const DecodeBatcher::Options& o :
       {DecodeBatcher::Options{.max_batch = 0}, DecodeBatcher::Options{.max_batch = 257},
        DecodeBatcher::Options{.threads = -1}, DecodeBatcher::Options{.max_capacity = -1},
        DecodeBatcher::Options{.min_gather = std::chrono::milliseconds(5), .max_gather = std::chrono::milliseconds(1)}}) {
    auto b = DecodeBatcher::create(model, o);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error().kind, ErrorKind::BadInput);
    EXPECT_NE(b.error().message.find("decode batcher"), std::string::npos) << b.error().message;
  }
  EXPECT_FALSE(DecodeBatcher::create(nullptr, {}).ok());
}

}  // namespace
}  // namespace folio::engine
