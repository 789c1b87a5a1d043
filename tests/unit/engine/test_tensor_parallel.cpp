// Tensor parallelism on the CPU (ranks as threads, engine/parallel/): TP = 2 and 4 (and 3 or 6 where only
// those split) give the TP = 1 logits within 1e-5 (normalised max error) on every tiny fixture — a prefill
// across the lightning block boundary at 256 tokens, in chunks, then decode steps — with identical routing
// records; the state gathered from the ranks matches the whole model's and restores into a fresh group;
// models that cannot be split N ways are refused with a message naming what does not divide. The same
// through Session (SessionOptions::tensor_parallel), snapshots included.
// Dimension letters: T tokens, V vocab.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

#include "engine/model/cpu_forward.h"
#include "engine/parallel/shard.h"
#include "engine/parallel/tensor_parallel_forward.h"
#include "support/tensor_parallel_params.h"
#include "test_session_support.h"

namespace folio::engine {
namespace {

constexpr int64_t kChunk = 128;
constexpr int64_t kPrompt = 300;  // crosses the 256-token lightning block
constexpr int kDecodeSteps = 6;
constexpr int64_t kCapacity = kPrompt + kDecodeSteps;

struct RoutingRecord {
  int64_t position;
  int layer;
  std::vector<std::pair<int, float>> choices;
  bool operator==(const RoutingRecord&) const = default;
};

class RecordingSink final : public RoutingSink {
 public:
  void onRouting(int64_t position, int layer, const ExpertChoice* choices, int n) override {
    RoutingRecord r{position, layer, {}};
    for (int i = 0; i < n; ++i) r.choices.emplace_back(choices[i].expert, choices[i].weight);
    records.push_back(std::move(r));
  }
  std::vector<RoutingRecord> records;
};

// What a run produced: every prompt position's logits, then each decode step's.
struct Trace {
  std::vector<float> prompt_logits;               // [T, V]
  std::vector<std::vector<float>> decode_logits;  // [steps][V]
  std::vector<RoutingRecord> routing;
};

int32_t argmax(const std::vector<float>& v) {
  return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

// Prefill in chunks with every position's logits, then greedy decode steps, through either a whole-model
// CpuForward (tp == nullptr) or a tensor-parallel group.
template <class RunFn>
Trace trace(const Model& model, RunFn&& run) {
  const int64_t V = model.config().vocab_size;
  Trace t;
  RecordingSink sink;
  RoutingAggregate aggregate;
  aggregate.reset(model.config().num_layers, model.config().num_experts);
  const ForwardRouting routing{&sink, &aggregate, 1.0};
  const std::vector<int32_t> ids = test::fixedPrompt(static_cast<size_t>(kPrompt));
  t.prompt_logits.assign(static_cast<size_t>(kPrompt * V), 0.0f);
  std::vector<float> last;
  for (int64_t t0 = 0; t0 < kPrompt; t0 += kChunk) {
    const int64_t n = std::min(kChunk, kPrompt - t0);
    last = run(std::span<const int32_t>(ids).subspan(static_cast<size_t>(t0), static_cast<size_t>(n)), false,
               t.prompt_logits.data() + t0 * V, routing);
  }
  for (int s = 0; s < kDecodeSteps; ++s) {
    const int32_t next[1] = {argmax(last)};
    last = run(std::span<const int32_t>(next), true, nullptr, routing);
    t.decode_logits.push_back(last);
  }
  t.routing = std::move(sink.records);
  return t;
}

Trace wholeModelTrace(const Model& model) {
  ThreadPool pool(1);
  CpuForward forward(model, kChunk, kCapacity, pool);
  SessionState state;
  state.allocate(model.config(), kCapacity);
  return trace(model, [&](std::span<const int32_t> ids, bool decode, float* all, const ForwardRouting& r) {
    forward.run(state, ids, decode, all, r);
    return state.last_logits;
  });
}

std::unique_ptr<TensorParallelForward> makeGroup(const Model& model, int ranks) {
  auto tp = TensorParallelForward::create(model, ranks, kChunk, kCapacity, ranks);
  EXPECT_TRUE(tp.ok()) << (tp.ok() ? "" : tp.error().message);
  return tp.ok() ? std::move(tp.value()) : nullptr;
}

Trace groupTrace(const Model& model, TensorParallelForward& tp) {
  SessionState meta;
  SplitState split = tp.allocateState();
  return trace(model, [&](std::span<const int32_t> ids, bool decode, float* all, const ForwardRouting& r) {
    tp.run(meta, split, ids, decode, all, r);
    return meta.last_logits;
  });
}

// max |a − b| / max |a|
double normalisedMaxError(const float* a, const float* b, size_t n) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < n; ++i) {
    diff = std::max(diff, std::abs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::abs(static_cast<double>(a[i])));
  }
  return diff / std::max(scale, 1e-30);
}

class TensorParallelMatchesOneRank : public ::testing::TestWithParam<::folio::test::FixtureRanks> {};

TEST_P(TensorParallelMatchesOneRank, LogitsAndRouting) {
  const auto& [fixture, ranks] = GetParam();
  const auto model = test::loadFixtureModel(fixture);
  ASSERT_TRUE(model);
  const Trace want = wholeModelTrace(*model);
  auto tp = makeGroup(*model, ranks);
  ASSERT_TRUE(tp);
  const Trace got = groupTrace(*model, *tp);

  const double prefill_err = normalisedMaxError(want.prompt_logits.data(), got.prompt_logits.data(),
                                                want.prompt_logits.size());
  double decode_err = 0;
  for (int s = 0; s < kDecodeSteps; ++s) {
    decode_err = std::max(decode_err, normalisedMaxError(want.decode_logits[static_cast<size_t>(s)].data(),
                                                         got.decode_logits[static_cast<size_t>(s)].data(),
                                                         want.decode_logits[static_cast<size_t>(s)].size()));
  }
  std::printf("%s TP=%d: normalised max error prefill %.3g, decode %.3g\n", fixture.c_str(), ranks, prefill_err,
              decode_err);
  EXPECT_LE(prefill_err, 1e-5);
  EXPECT_LE(decode_err, 1e-5);
  ASSERT_EQ(want.routing.size(), got.routing.size());
  for (size_t i = 0; i < want.routing.size(); ++i) {
    ASSERT_EQ(want.routing[i].position, got.routing[i].position) << i;
    ASSERT_EQ(want.routing[i].layer, got.routing[i].layer) << i;
    ASSERT_EQ(want.routing[i].choices.size(), got.routing[i].choices.size()) << i;
    for (size_t j = 0; j < want.routing[i].choices.size(); ++j) {
      EXPECT_EQ(want.routing[i].choices[j].first, got.routing[i].choices[j].first) << "record " << i;
      EXPECT_NEAR(want.routing[i].choices[j].second, got.routing[i].choices[j].second, 1e-5) << "record " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TensorParallelMatchesOneRank, ::testing::ValuesIn(::folio::test::tensorParallelCases()),
                         ::folio::test::FixtureRanksName());

TEST(TensorParallel, GatheredStateMatchesWholeModelAndRestores) {
  const auto model = test::loadFixtureModel("tiny-bf16-h4-gqa2-lsls-hfcfg");
  ASSERT_TRUE(model);
  const std::vector<int32_t> ids = test::fixedPrompt(200);
  ThreadPool pool(1);
  CpuForward whole(*model, kChunk, kCapacity, pool);
  SessionState want;
  want.allocate(model->config(), kCapacity);
  auto tp = makeGroup(*model, 4);
  ASSERT_TRUE(tp);
  SessionState meta;
  SplitState split = tp->allocateState();
  for (int64_t t0 = 0; t0 < 200; t0 += kChunk) {
    const auto chunk = std::span<const int32_t>(ids).subspan(static_cast<size_t>(t0),
                                                             static_cast<size_t>(std::min<int64_t>(kChunk, 200 - t0)));
    whole.run(want, chunk, false, nullptr, {});
    tp->run(meta, split, chunk, false, nullptr, {});
  }
  const SessionState got = tp->gatherState(meta, split);
  ASSERT_EQ(got.position, 200);
  EXPECT_EQ(got.tokens, want.tokens);
  for (size_t l = 0; l < want.layers.size(); ++l) {
    const LayerState& a = want.layers[l];
    const LayerState& b = got.layers[l];
    EXPECT_EQ(a.pending, b.pending) << "layer " << l;
    if (a.type == AttnType::Lightning) {
      EXPECT_LE(normalisedMaxError(a.lightning.data(), b.lightning.data(), a.lightning.size()), 1e-5) << l;
    } else {
      EXPECT_LE(normalisedMaxError(a.k_cache.data(), b.k_cache.data(), a.k_cache.size()), 1e-5) << l;
      EXPECT_LE(normalisedMaxError(a.v_cache.data(), b.v_cache.data(), a.v_cache.size()), 1e-5) << l;
    }
  }
  // restored into a fresh group of another size, decoding continues as in the original group
  auto restored = makeGroup(*model, 2);
  ASSERT_TRUE(restored);
  SplitState split2 = restored->allocateState();
  restored->scatterState(got, split2);
  SessionState meta2 = got;
  const int32_t next[1] = {argmax(meta.last_logits)};
  tp->run(meta, split, next, true, nullptr, {});
  restored->run(meta2, split2, next, true, nullptr, {});
  whole.run(want, next, true, nullptr, {});
  EXPECT_EQ(meta2.position, 201);
  EXPECT_LE(normalisedMaxError(want.last_logits.data(), meta2.last_logits.data(), want.last_logits.size()), 1e-5);
  EXPECT_LE(normalisedMaxError(meta.last_logits.data(), meta2.last_logits.data(), meta.last_logits.size()), 1e-5);
}

TEST(TensorParallel, RanksThatDoNotSplitTheModelAreRefused) {
  struct Case {
    std::string fixture;
    int ranks;
    std::string message;
  };
  const Case cases[] = {
      {"tiny-f32-h3-1layer", 2, "3 attention heads do not split over 2 ranks"},
      {"tiny-bf16-h6-gqa3-sll-sharded", 4, "6 attention heads do not split over 4 ranks"},
      {"tiny-bf16-h6-gqa3-sll-sharded", 3, "2 KV heads neither split over 3 ranks nor replicate evenly"},
      {"tiny-f32-h4-ls", 0, "the number of ranks must be at least 1"},
  };
  for (const Case& c : cases) {
    const auto model = test::loadFixtureModel(c.fixture);
    ASSERT_TRUE(model);
    auto tp = TensorParallelForward::create(*model, c.ranks, kChunk, kCapacity, 1);
    ASSERT_FALSE(tp.ok()) << c.fixture << " over " << c.ranks;
    EXPECT_EQ(tp.error().kind, ErrorKind::BadInput);
    EXPECT_NE(tp.error().message.find(c.message), std::string::npos) << tp.error().message;
  }
}

// A config with only the sizes the split looks at (one softmax layer).
ModelConfig splitSizes(int heads, int kv_heads, int intermediate, int vocab) {
  ModelConfig c;
  c.num_heads = heads;
  c.num_kv_heads = kv_heads;
  c.intermediate_size = intermediate;
  c.vocab_size = vocab;
  c.num_layers = 1;
  c.layer_types = {AttnType::Softmax};
  return c;
}

TEST(TensorParallel, SizesSmallerThanTheRankCountAreRefused) {
  ModelConfig c = splitSizes(8, 8, 4, 1000);
  EXPECT_TRUE(checkTensorParallel(c, 4).ok());
  Status s = checkTensorParallel(c, 8);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("expert intermediate size 4 is smaller than 8 ranks"), std::string::npos);
  c.intermediate_size = 64;
  c.shared_intermediate_size = 6;
  s = checkTensorParallel(c, 8);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("shared expert intermediate size 6"), std::string::npos);
  c.shared_intermediate_size = 0;
  c.vocab_size = 5;
  s = checkTensorParallel(c, 8);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("vocabulary of 5"), std::string::npos);
}

TEST(TensorParallel, RankLayoutSplitsAndReplicates) {
  const ModelConfig c = splitSizes(64, 8, 9216, 200064);
  // 8 ranks: one KV head each, 8 query heads each, 1152 expert hidden units, 25008 vocabulary rows
  for (int r = 0; r < 8; ++r) {
    const RankLayout l = rankLayout(c, Shard{r, 8});
    EXPECT_EQ(l.heads.begin, 8 * r);
    EXPECT_EQ(l.heads.size(), 8);
    EXPECT_EQ(l.kv_heads.begin, r);
    EXPECT_EQ(l.kv_heads.size(), 1);
    EXPECT_EQ(l.intermediate.size(), 1152);
    EXPECT_EQ(l.vocab.size(), 25008);
    EXPECT_EQ(l.vocab_stride, 25008);
  }
  // 16 ranks: 4 query heads each; ranks 2k and 2k+1 share KV head k
  for (int r = 0; r < 16; ++r) {
    const RankLayout l = rankLayout(c, Shard{r, 16});
    EXPECT_EQ(l.kv_heads.begin, r / 2);
    EXPECT_EQ(l.kv_heads.size(), 1);
    EXPECT_EQ(l.heads.begin / (64 / 8), l.kv_heads.begin);  // its query heads read that KV head
  }
  // uneven parts differ by at most one and cover the range
  int64_t next = 0;
  for (int r = 0; r < 3; ++r) {
    const IndexRange part = splitRange(32, 3, r);
    EXPECT_EQ(part.begin, next);
    EXPECT_TRUE(part.size() == 10 || part.size() == 11);
    next = part.end;
  }
  EXPECT_EQ(next, 32);
}


SessionOptions sessionOptions(int tensor_parallel) {
  SessionOptions o;
  o.context_capacity = kCapacity;
  o.prefill_chunk = static_cast<int>(kChunk);
  o.threads = tensor_parallel;
  o.tensor_parallel = tensor_parallel;
  return o;
}

TEST(TensorParallelSession, MatchesOneRankAndSnapshotsAcrossRankCounts) {
  const auto model = test::loadFixtureModel("tiny-f32-h4-shared-text01");
  ASSERT_TRUE(model);
  auto one = test::openSession(model, sessionOptions(1));
  auto two = test::openSession(model, sessionOptions(2));
  ASSERT_TRUE(one && two);
  const std::vector<int32_t> ids = test::fixedPrompt(270);
  std::vector<float> want, got;
  ASSERT_TRUE(one->prefill(ids, &want).ok());
  ASSERT_TRUE(two->prefill(ids, &got).ok());
  ASSERT_EQ(want.size(), got.size());
  EXPECT_LE(normalisedMaxError(want.data(), got.data(), want.size()), 1e-5);
  EXPECT_EQ(two->position(), 270);
  EXPECT_EQ(two->tokens(), one->tokens());
  EXPECT_EQ(one->routingAggregate().counts, two->routingAggregate().counts);

  // a snapshot of the 2-rank session restores into a 1-rank and a 4-rank session
  const auto path = std::filesystem::temp_directory_path() / ("folio_tp_snapshot_" + std::to_string(::getpid()));
  ASSERT_TRUE(two->saveState(path).ok());
  auto restored_one = test::openSession(model, sessionOptions(1));
  auto restored_four = test::openSession(model, sessionOptions(4));
  ASSERT_TRUE(restored_one && restored_four);
  ASSERT_TRUE(restored_one->loadState(path).ok());
  ASSERT_TRUE(restored_four->loadState(path).ok());
  std::filesystem::remove(path);
  for (Session* s : {one.get(), two.get(), restored_one.get(), restored_four.get()}) ASSERT_TRUE(s->decode(42).ok());
  const auto reference = one->lastLogits();
  for (Session* s : {two.get(), restored_one.get(), restored_four.get()}) {
    EXPECT_EQ(s->position(), 271);
    EXPECT_LE(normalisedMaxError(reference.data(), s->lastLogits().data(), reference.size()), 1e-5);
  }
}

TEST(TensorParallelSession, RefusesSplitsAndBadCounts) {
  const auto model = test::loadFixtureModel("tiny-f32-h3-1layer");
  ASSERT_TRUE(model);
  auto s = Session::create(model, sessionOptions(2));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "session: tensor parallel: 3 attention heads do not split over 2 ranks (heads % ranks must be 0)");
  s = Session::create(model, sessionOptions(0));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("tensor_parallel must be at least 1"), std::string::npos) << s.error().message;
  SessionOptions cuda = sessionOptions(3);
  cuda.backend = Backend::Cuda;
  s = Session::create(model, cuda);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("tensor_parallel splits the CPU backend"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace folio::engine
