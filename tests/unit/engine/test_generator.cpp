// Generation pieces that need no model: stop strings across piece boundaries and the think tracker.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/generation/stop_matcher.h"
#include "engine/generation/think_tracker.h"

using folio::engine::StopMatcher;
using folio::engine::ThinkTracker;

namespace {
// Pushes the pieces; returns everything emitted (plus the flush when no stop matched) and whether it stopped.
std::pair<std::string, bool> runStops(std::vector<std::string> stops, const std::vector<std::string>& pieces) {
  auto m = StopMatcher::create(std::move(stops));
  EXPECT_TRUE(m.ok());
  std::string out;
  for (const auto& p : pieces) {
    auto step = m->push(p);
    out += step.emit;
    if (step.stopped) return {out, true};
  }
  return {out + m->flush(), false};
}
}  // namespace

TEST(StopMatcher, StopInsideOnePiece) {
  EXPECT_EQ(runStops({"END"}, {"hello ", "wEND there"}), std::make_pair(std::string("hello w"), true));
}

TEST(StopMatcher, StopSpanningSeveralPieces) {
  EXPECT_EQ(runStops({"<|stop|>"}, {"ab<", "|s", "t", "op", "|>tail"}), std::make_pair(std::string("ab"), true));
}

TEST(StopMatcher, HeldBackTextIsReleasedWhenItStopsMatching) {
  auto m = StopMatcher::create({"xyz"});
  ASSERT_TRUE(m.ok());
  auto a = m->push("abx");
  EXPECT_EQ(a.emit, "ab");  // "x" could begin "xyz"
  EXPECT_EQ(m->heldBytes(), 1u);
  auto b = m->push("y!");
  EXPECT_EQ(b.emit, "xy!");
  EXPECT_FALSE(b.stopped);
  auto c = m->push("xy");
  EXPECT_EQ(c.emit, "");
  EXPECT_EQ(m->flush(), "xy");  // the stream ended: the held text is output
}

TEST(StopMatcher, EarliestOfSeveralStopsWins) {
  EXPECT_EQ(runStops({"cd", "b"}, {"abcd"}), std::make_pair(std::string("a"), true));
  EXPECT_EQ(runStops({"bcd", "cx"}, {"ab", "c", "d"}), std::make_pair(std::string("a"), true));
}

TEST(StopMatcher, NoStopsPassesEverythingThrough) {
  EXPECT_EQ(runStops({}, {"a", "b", ""}), std::make_pair(std::string("ab"), false));
}

TEST(StopMatcher, EmptyStopStringIsRefusedByName) {
  auto m = StopMatcher::create({"ok", ""});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("stop[1]"), std::string::npos);
}

TEST(ThinkTracker, PromptStateFromTheLastTag) {
  ThinkTracker t(-1, -1);
  t.resetFromText("user asks<think>");
  EXPECT_TRUE(t.inside());
  t.resetFromText("<think>a</think>answer");
  EXPECT_FALSE(t.inside());
  t.resetFromText("<think>a</think>b<think>c");
  EXPECT_TRUE(t.inside());
  t.resetFromText("no tags");
  EXPECT_FALSE(t.inside());
}

TEST(ThinkTracker, SpecialIdsAndSpelledTagsAcrossPieces) {
  ThinkTracker t(310, 311);
  EXPECT_FALSE(t.observe(5, "hi"));
  EXPECT_TRUE(t.observe(310, "<think>"));  // the opening tag belongs to the thought
  EXPECT_TRUE(t.inside());
  EXPECT_TRUE(t.observe(7, "hmm"));
  EXPECT_TRUE(t.observe(311, "</think>"));  // so does the closing one
  EXPECT_FALSE(t.inside());
  EXPECT_FALSE(t.observe(9, "\nanswer"));
  // Tags spelled out in ordinary text, split over pieces.
  EXPECT_FALSE(t.observe(1, "<th"));
  EXPECT_TRUE(t.observe(2, "ink>x"));
  EXPECT_TRUE(t.inside());
  EXPECT_TRUE(t.observe(3, "y</"));
  EXPECT_TRUE(t.observe(4, "think"));
  EXPECT_TRUE(t.inside());
  EXPECT_TRUE(t.observe(5, ">z"));
  EXPECT_FALSE(t.inside());
  EXPECT_FALSE(t.observe(6, "tail"));
}

// ---------------------------------------------------------------------------------------------------
// The generation loop on a tiny real model (tests/fixtures/models/tiny-f32-h4-ls: L = 2, E = 8, top-k 2,
// V = 320, the tiny tokenizer with <end_of_sentence> = 307, <think> = 310, </think> = 311).
#include <atomic>
#include <filesystem>
#include <memory>

#include "engine/generation/generator.h"
#include "engine/generation/routing_log.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/utf8.h"

namespace fe = folio::engine;

namespace {

const std::filesystem::path kModelDir = std::filesystem::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls";

struct Fixture {
  std::shared_ptr<const fe::Model> model;
  std::unique_ptr<fe::Tokenizer> tokenizer;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    auto m = fe::Model::load(kModelDir);
    EXPECT_TRUE(m.ok()) << m.error().message;
    if (m.ok()) out.model = *m;
    auto t = fe::Tokenizer::fromFile(kModelDir / "tokenizer.json");
    EXPECT_TRUE(t.ok()) << t.error().message;
    if (t.ok()) out.tokenizer = std::make_unique<fe::Tokenizer>(std::move(*t));
    return out;
  }();
  return f;
}

std::unique_ptr<fe::Session> newSession(int64_t capacity = 512) {
  fe::SessionOptions o;
  o.context_capacity = capacity;
  o.threads = 1;
  auto s = fe::Session::create(fixture().model, o);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return std::move(*s);
}

std::vector<int32_t> promptIds(const std::string& text) { return fixture().tokenizer->encode(text); }

fe::GenerateRequest greedy(std::vector<int32_t> prompt, int64_t max_tokens) {
  fe::GenerateRequest r;
  r.prompt_ids = std::move(prompt);
  r.max_output_tokens = max_tokens;
  return r;
}

fe::GenerateResult run(const fe::GenerateRequest& r, fe::Session* session = nullptr) {
  std::unique_ptr<fe::Session> own;
  if (!session) {
    own = newSession();
    session = own.get();
  }
  auto res = fe::generate(*session, *fixture().tokenizer, r);
  EXPECT_TRUE(res.ok()) << res.error().message;
  return res.ok() ? std::move(*res) : fe::GenerateResult{};
}

// The text a stream of these ids shows: bytes decoded, invalid UTF-8 repaired (the random fixture
// model emits arbitrary byte tokens).
std::string shown(std::span<const int32_t> ids) { return fe::utf8::repaired(fixture().tokenizer->decode(ids)); }

bool contains(const std::vector<int32_t>& v, int32_t id) { return std::find(v.begin(), v.end(), id) != v.end(); }

constexpr int32_t kEos = 307, kThinkOpen = 310, kThinkClose = 311;

}  // namespace

TEST(Generator, FixtureTokenizerHasTheSpecialsTheTestsUse) {
  ASSERT_TRUE(fixture().model && fixture().tokenizer);
  EXPECT_EQ(fixture().tokenizer->specialTokenId("<end_of_sentence>"), kEos);
  EXPECT_EQ(fixture().tokenizer->specialTokenId("<think>"), kThinkOpen);
  EXPECT_EQ(fixture().tokenizer->specialTokenId("</think>"), kThinkClose);
}

TEST(Generator, PromptPastTheContextWindowFailsBeforeAnyWork) {
  auto session = newSession();
  auto r = greedy(promptIds("The quick brown fox jumps over the lazy dog."), 4);
  r.context_window = static_cast<int64_t>(r.prompt_ids.size()) - 1;
  auto res = fe::generate(*session, *fixture().tokenizer, r);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, folio::ErrorKind::BadInput);
  EXPECT_NE(res.error().message.find("context_window"), std::string::npos) << res.error().message;
  EXPECT_EQ(session->position(), 0);
  EXPECT_EQ(session->routingAggregate().experts_evaluated, 0);
}

TEST(Generator, GreedyIsTheArgmaxOfTheSessionLogitsAndMaxTokensHolds) {
  const auto prompt = promptIds("Once upon a time");
  const auto res = run(greedy(prompt, 12));
  // The same loop by hand: argmax of the last logits, decode, repeat.
  auto s = newSession();
  ASSERT_TRUE(s->prefill(prompt).ok());
  std::vector<int32_t> expect;
  for (int i = 0; i < 12; ++i) {
    const int32_t id = fe::argmaxLogit(s->lastLogits());
    if (id == kEos) break;
    expect.push_back(id);
    ASSERT_TRUE(s->decode(id).ok());
  }
  EXPECT_EQ(res.ids, expect);
  if (expect.size() == 12) EXPECT_EQ(res.finish_reason, fe::FinishReason::Length);
  EXPECT_EQ(res.usage.prompt_tokens, static_cast<int64_t>(prompt.size()));
  EXPECT_EQ(res.usage.answer_tokens + res.usage.thinking_tokens, static_cast<int64_t>(res.ids.size()));
  EXPECT_EQ(res.text, shown(res.ids));
}

TEST(Generator, MaxTokensZeroRunsOnlyThePrompt) {
  auto s = newSession();
  const auto prompt = promptIds("hello world");
  const auto res = run(greedy(prompt, 0), s.get());
  EXPECT_TRUE(res.ids.empty());
  EXPECT_EQ(res.finish_reason, fe::FinishReason::Length);
  EXPECT_EQ(s->position(), static_cast<int64_t>(prompt.size()));
}

TEST(Generator, OutputStopsAtTheContextWindow) {
  const auto prompt = promptIds("one two three");
  auto r = greedy(prompt, 100);
  r.context_window = static_cast<int64_t>(prompt.size()) + 5;
  auto s = newSession();
  const auto res = run(r, s.get());
  if (contains(res.ids, kEos)) GTEST_FAIL() << "eos is never part of ids";
  if (res.finish_reason != fe::FinishReason::Eos) {
    EXPECT_EQ(res.finish_reason, fe::FinishReason::Context);
    EXPECT_EQ(res.ids.size(), 5u);
    EXPECT_EQ(s->position(), r.context_window);
  }
}

TEST(Generator, StreamingPiecesAddUpToTheTextAndEveryTokenIsFedToTheSession) {
  std::string streamed;
  int calls = 0;
  auto r = greedy(promptIds("Streaming: "), 20);
  r.on_token = [&](int32_t id, std::string_view piece, bool) {
    if (id >= 0) ++calls;
    streamed += piece;
  };
  auto s = newSession();
  const auto prompt = r.prompt_ids;
  const auto res = run(r, s.get());
  EXPECT_EQ(streamed, res.text);
  EXPECT_EQ(calls, static_cast<int>(res.ids.size()));
  std::vector<int32_t> all = prompt;
  all.insert(all.end(), res.ids.begin(), res.ids.end());
  EXPECT_EQ(s->tokens(), all);
}

TEST(Generator, StopStringAcrossATokenBoundaryIsCutFromTheText) {
  const auto prompt = promptIds("The lazy dog");
  // The pieces each token adds to the stream.
  std::vector<std::string> pieces;
  auto base_req = greedy(prompt, 40);
  base_req.on_token = [&](int32_t id, std::string_view piece, bool) {
    if (id >= 0) pieces.emplace_back(piece);
  };
  const auto base = run(base_req);
  ASSERT_EQ(pieces.size(), base.ids.size());
  // A stop string made of the last character of one piece and the first of the next (ASCII both), whose
  // first occurrence in the text is exactly at that boundary.
  const auto printable = [](char c) { return c > ' ' && c < 0x7f; };
  std::string stop, before;
  size_t boundary_at = 0, offset = 0;
  for (size_t i = 0; i + 1 < pieces.size() && stop.empty(); offset += pieces[i++].size()) {
    const std::string &a = pieces[i], &b = pieces[i + 1];
    if (a.empty() || b.empty() || !printable(a.back()) || !printable(b.front())) continue;
    const std::string candidate{a.back(), b.front()};
    if (base.text.find(candidate) != offset + a.size() - 1) continue;
    stop = candidate;
    boundary_at = i;
    before = base.text.substr(0, offset + a.size() - 1);
  }
  ASSERT_FALSE(stop.empty()) << "no usable boundary in: " << base.text;
  auto r = greedy(prompt, 40);
  r.stop = {"never-occurs-xyz", stop};
  std::string streamed;
  r.on_token = [&](int32_t, std::string_view piece, bool) { streamed += piece; };
  const auto res = run(r);
  EXPECT_EQ(res.finish_reason, fe::FinishReason::Stop);
  EXPECT_EQ(res.text, before);
  EXPECT_EQ(streamed, before);  // the stop string never reached the stream
  EXPECT_EQ(res.ids.size(), boundary_at + 2);
}

TEST(Generator, EndOfSentenceEndsGenerationAndIsNotPartOfTheOutput) {
  // Sampling at a high temperature reaches <end_of_sentence> for some seed; the run must end there.
  const auto prompt = promptIds("Tell me a story.");
  bool seen = false;
  for (uint64_t seed = 0; seed < 200 && !seen; ++seed) {
    auto r = greedy(prompt, 64);
    r.sampling.temperature = 2.0;
    r.seed = seed;
    auto s = newSession();
    const auto res = run(r, s.get());
    if (res.finish_reason != fe::FinishReason::Eos) continue;
    seen = true;
    EXPECT_FALSE(contains(res.ids, kEos));
    EXPECT_LT(res.ids.size(), 64u);
    // Replay the draws: the sampler with the same seed yields these ids and then eos.
    auto replay = newSession();
    ASSERT_TRUE(replay->prefill(prompt).ok());
    fe::Sampler sampler(320, r.sampling, seed);
    for (int32_t id : res.ids) {
      ASSERT_EQ(sampler.sample(replay->lastLogits()), id);
      ASSERT_TRUE(replay->decode(id).ok());
    }
    EXPECT_EQ(sampler.sample(replay->lastLogits()), kEos);
    EXPECT_EQ(s->position(), static_cast<int64_t>(prompt.size() + res.ids.size()));
  }
  EXPECT_TRUE(seen) << "no seed reached <end_of_sentence>";
}

TEST(Generator, SameSeedSameTokens) {
  auto r = greedy(promptIds("Seeds"), 24);
  r.sampling.temperature = 1.0;
  r.sampling.top_p = 0.9;
  r.seed = 99;
  EXPECT_EQ(run(r).ids, run(r).ids);
  auto r2 = r;
  r2.seed = 100;
  EXPECT_NE(run(r).ids, run(r2).ids);
}

TEST(Generator, ThinkingBudgetForcesTheClosingTagThenTheAnswer) {
  auto prompt = promptIds("Question: why?");
  prompt.push_back(kThinkOpen);  // the prompt ends inside an open thought
  const auto close_ids = fixture().tokenizer->encode("</think>\n");
  ASSERT_EQ(close_ids.front(), kThinkClose);
  const int64_t budget = 3;
  const auto free_run = run(greedy(prompt, 12));
  ASSERT_GE(free_run.ids.size(), static_cast<size_t>(budget));
  if (contains(std::vector<int32_t>(free_run.ids.begin(), free_run.ids.begin() + budget), kThinkClose))
    GTEST_SKIP() << "the fixture closes its thought by itself within the budget";

  auto r = greedy(prompt, 12);
  r.thinking_budget = budget;
  std::vector<bool> thinking_flags;
  r.on_token = [&](int32_t id, std::string_view, bool is_thinking) {
    if (id >= 0) thinking_flags.push_back(is_thinking);
  };
  const auto res = run(r);
  ASSERT_GE(res.ids.size(), static_cast<size_t>(budget) + close_ids.size());
  // The thought up to the budget is what the model says anyway; then "</think>\n" is forced.
  EXPECT_TRUE(std::equal(free_run.ids.begin(), free_run.ids.begin() + budget, res.ids.begin()));
  EXPECT_TRUE(std::equal(close_ids.begin(), close_ids.end(), res.ids.begin() + budget));
  EXPECT_EQ(std::count(res.ids.begin(), res.ids.end(), kThinkClose), 1);
  // Thinking tokens: the budget plus the closing tag; everything after belongs to the answer.
  EXPECT_EQ(res.usage.thinking_tokens, budget + 1);
  EXPECT_EQ(res.usage.thinking_tokens + res.usage.answer_tokens, static_cast<int64_t>(res.ids.size()));
  ASSERT_EQ(thinking_flags.size(), res.ids.size());
  for (size_t i = 0; i < thinking_flags.size(); ++i) EXPECT_EQ(thinking_flags[i], i <= static_cast<size_t>(budget)) << i;
  const std::string thought = shown(std::span(res.ids.data(), budget));
  EXPECT_EQ(res.text.find("</think>"), thought.size());
  EXPECT_NE(thought.find(res.thinking), std::string::npos);  // the split trims whitespace only
  EXPECT_FALSE(res.thinking.empty() && thought.find_first_not_of(" \t\n") != std::string::npos);
  EXPECT_EQ(res.answer.find("</think>"), std::string::npos);
}

TEST(Generator, ThinkingTokensCountTowardMaxOutputTokens) {
  auto prompt = promptIds("Q?");
  prompt.push_back(kThinkOpen);
  auto r = greedy(prompt, 4);
  r.thinking_budget = 0;  // close at once
  const auto res = run(r);
  const auto close_ids = fixture().tokenizer->encode("</think>\n");
  ASSERT_EQ(res.ids.size(), 4u);  // forced tags + answer fill max_output_tokens, not more
  EXPECT_TRUE(std::equal(close_ids.begin(), close_ids.end(), res.ids.begin()));
  EXPECT_EQ(res.finish_reason, fe::FinishReason::Length);
  EXPECT_EQ(res.usage.thinking_tokens, 1);  // the closing tag
  EXPECT_EQ(res.usage.answer_tokens, 3);
  EXPECT_TRUE(res.thinking.empty());

  // With a budget larger than max_output_tokens the whole output is thought.
  auto r2 = greedy(prompt, 3);
  r2.thinking_budget = 100;
  const auto res2 = run(r2);
  if (!contains(res2.ids, kThinkClose) && res2.finish_reason == fe::FinishReason::Length) {
    EXPECT_EQ(res2.usage.thinking_tokens, 3);
    EXPECT_EQ(res2.usage.answer_tokens, 0);
    EXPECT_TRUE(res2.answer.empty());
  }
}

TEST(Generator, AnswerBudgetStopsTheAnswerButNotTheThought) {
  // a model that does not think: max_output_tokens (thinking + answer budgets in an ask) would let the
  // answer take the thinking budget too; the answer budget stops it
  const auto plain = promptIds("Q?");
  auto r = greedy(plain, 12);
  r.answer_budget = 3;
  const auto res = run(r);
  if (res.finish_reason != fe::FinishReason::Eos) {
    EXPECT_EQ(res.finish_reason, fe::FinishReason::Length);
    EXPECT_EQ(res.usage.answer_tokens, 3);
    EXPECT_EQ(res.usage.thinking_tokens, 0);
    EXPECT_EQ(res.ids.size(), 3u);
  }
  EXPECT_LE(res.usage.answer_tokens, 3);

  // thought tokens do not count: a forced close after 2, then 2 answer tokens ("\n" is the first)
  auto thinking = promptIds("Q?");
  thinking.push_back(kThinkOpen);
  auto r2 = greedy(thinking, 20);
  r2.thinking_budget = 2;
  r2.answer_budget = 2;
  const auto res2 = run(r2);
  EXPECT_LE(res2.usage.answer_tokens, 2);
  if (res2.finish_reason == fe::FinishReason::Length) {
    EXPECT_EQ(res2.usage.answer_tokens, 2);
    EXPECT_LT(static_cast<int64_t>(res2.ids.size()), 20);
    EXPECT_EQ(res2.usage.thinking_tokens + res2.usage.answer_tokens, static_cast<int64_t>(res2.ids.size()));
  }
}

TEST(Generator, ExpertThresholdOneEvaluatesTopKAndSmallThresholdSavesEvaluations) {
  const auto& cfg = fixture().model->config();
  const auto prompt = promptIds("Mixture of experts routing");
  for (double tau : {1.0, 1e-6}) {
    fe::RoutingLog log(cfg.num_layers, cfg.num_experts, cfg.top_k);
    auto r = greedy(prompt, 6);
    r.expert_threshold = tau;
    r.routing_log = &log;
    auto s = newSession();
    const auto res = run(r, s.get());
    const int64_t tokens = static_cast<int64_t>(prompt.size() + res.ids.size());
    const int64_t slots = tokens * cfg.num_layers;
    if (tau == 1.0) {
      EXPECT_EQ(res.usage.experts_evaluated, slots * cfg.top_k);
      EXPECT_EQ(res.usage.experts_skipped, 0);
    } else {
      // τ → 0 keeps exactly one expert per token and layer.
      EXPECT_EQ(res.usage.experts_evaluated, slots);
      EXPECT_EQ(res.usage.experts_skipped, slots * (cfg.top_k - 1));
      EXPECT_GT(res.usage.experts_skipped, 0);
    }
    // The log saw every token and agrees with the session's aggregate.
    ASSERT_EQ(log.numTokens(), tokens);
    for (int64_t row = 0; row < tokens; ++row) {
      const int32_t want = row < static_cast<int64_t>(prompt.size()) ? prompt[static_cast<size_t>(row)]
                                                                      : res.ids[static_cast<size_t>(row) - prompt.size()];
      EXPECT_EQ(log.tokenId(row), want);
      for (int l = 0; l < cfg.num_layers; ++l) {
        const auto c = log.choices(row, l);
        ASSERT_EQ(c.size(), tau == 1.0 ? static_cast<size_t>(cfg.top_k) : 1u);
        float sum = 0;
        for (const auto& e : c) sum += e.weight;
        EXPECT_NEAR(sum, 1.0f, 1e-5);
      }
    }
    EXPECT_EQ(log.aggregate().counts, s->routingAggregate().counts);
    EXPECT_EQ(log.aggregate().experts_evaluated, res.usage.experts_evaluated);
    EXPECT_EQ(log.aggregate().experts_skipped, res.usage.experts_skipped);
  }
}

TEST(Generator, PromptLogitsAreTheSessionsLogits) {
  const auto prompt = promptIds("Logits of every prompt position");
  std::vector<float> logits;
  auto r = greedy(prompt, 0);
  r.prompt_logits = &logits;
  run(r);
  const size_t V = static_cast<size_t>(fixture().model->config().vocab_size);
  ASSERT_EQ(logits.size(), prompt.size() * V);
  // Token by token through a separate session: every row matches.
  auto s = newSession();
  for (size_t t = 0; t < prompt.size(); ++t) {
    ASSERT_TRUE((t == 0 ? s->prefill(std::span(&prompt[0], 1)) : s->decode(prompt[t])).ok());
    const auto row = s->lastLogits();
    for (size_t v = 0; v < V; ++v) ASSERT_NEAR(logits[t * V + v], row[v], 1e-4f) << "t=" << t << " v=" << v;
  }
}

TEST(Generator, SavedStateContinuesLikeAnUninterruptedRun) {
  const auto first = promptIds("Part one.");
  const auto second = promptIds(" Part two:");
  const auto path = std::filesystem::temp_directory_path() / ("folio-gen-state-" + std::to_string(::getpid()));
  // Uninterrupted: one session runs both generations.
  auto whole = newSession();
  const auto a = run(greedy(first, 5), whole.get());
  const auto b = run(greedy(second, 8), whole.get());
  // Interrupted: save after the first, restore into a fresh session, continue.
  auto s1 = newSession();
  const auto a2 = run(greedy(first, 5), s1.get());
  EXPECT_EQ(a2.ids, a.ids);
  ASSERT_TRUE(s1->saveState(path).ok());
  auto s2 = newSession();
  ASSERT_TRUE(s2->loadState(path).ok());
  const auto b2 = run(greedy(second, 8), s2.get());
  EXPECT_EQ(b2.ids, b.ids);
  EXPECT_EQ(s2->tokens(), whole->tokens());
  std::filesystem::remove(path);
}

TEST(Generator, CancellationBetweenTokens) {
  std::atomic<bool> cancel{false};
  int seen = 0;
  auto r = greedy(promptIds("cancel me"), 50);
  r.cancel = &cancel;
  r.on_token = [&](int32_t id, std::string_view, bool) {
    if (id >= 0 && ++seen == 3) cancel = true;
  };
  const auto res = run(r);
  if (res.finish_reason != fe::FinishReason::Eos) {
    EXPECT_EQ(res.finish_reason, fe::FinishReason::Cancelled);
    EXPECT_EQ(res.ids.size(), 3u);
  }
  // Cancelled before the prompt: nothing runs.
  cancel = true;
  auto s = newSession();
  const auto res2 = run(r, s.get());
  EXPECT_EQ(res2.finish_reason, fe::FinishReason::Cancelled);
  EXPECT_TRUE(res2.ids.empty());
}

TEST(Generator, InvalidRequestsNameTheField) {
  auto s = newSession();
  auto expectBad = [&](fe::GenerateRequest r, const std::string& field) {
    auto res = fe::generate(*s, *fixture().tokenizer, r);
    ASSERT_FALSE(res.ok()) << field;
    EXPECT_EQ(res.error().kind, folio::ErrorKind::BadInput);
    EXPECT_NE(res.error().message.find(field), std::string::npos) << res.error().message;
  };
  expectBad(greedy({}, 3), "prompt_ids");
  expectBad(greedy({1, 2}, -1), "max_output_tokens");
  auto r = greedy({1, 2}, 3);
  r.expert_threshold = 0;
  expectBad(r, "expert_threshold");
  r = greedy({1, 2}, 3);
  r.sampling.top_p = 2;
  expectBad(r, "top_p");
  r = greedy({1, 2}, 3);
  r.stop = {""};
  expectBad(r, "stop[0]");
  EXPECT_EQ(s->position(), 0);
}
