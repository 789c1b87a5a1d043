// `folio generate` end to end on a tiny real model (tests/fixtures/models/tiny-f32-h4-ls): streaming and
// --json, --dump-logits against the session's logits, save/load continuation, the routing log and τ,
// thinking budget, stop strings, the context window, and usage / malformed-input exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "engine/common/file_io.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "support/npy.h"
#include "support/run_process.h"

namespace fs = std::filesystem;
using folio::test::runProcess;
using nlohmann::json;

namespace {

const std::string kModel = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";
constexpr int32_t kThinkClose = 311;  // </think> in the tiny tokenizer

// One directory per test process, removed when the process exits.
struct ProcessTempDir {
  fs::path path = fs::temp_directory_path() / ("folio-cli-generate-" + std::to_string(::getpid()));
  ProcessTempDir() { fs::create_directories(path); }
  ~ProcessTempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

fs::path tempDir() {
  static const ProcessTempDir d;
  return d.path;
}

std::vector<std::string> gen(std::vector<std::string> extra) {
  std::vector<std::string> argv = {FOLIO_BINARY, "generate", "--model", kModel, "--threads", "1"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

json runJson(std::vector<std::string> extra) {
  extra.push_back("--json");
  auto r = runProcess(gen(std::move(extra)));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.signaled);
  try {
    return json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << r.out << " (" << e.what() << ")";
    return json::object();
  }
}

std::string idList(const std::vector<int32_t>& ids) {
  std::string s;
  for (int32_t id : ids) s += (s.empty() ? "" : ",") + std::to_string(id);
  return s;
}

std::vector<int32_t> goldenPrompt(size_t n) {
  auto text = folio::readFile(std::string(FOLIO_FIXTURES_DIR) + "/golden/tiny-f32-h4-ls/prompt.json");
  EXPECT_TRUE(text.ok());
  auto ids = json::parse(*text).at("ids").get<std::vector<int32_t>>();
  ids.resize(n);
  return ids;
}

}  // namespace

TEST(CliGenerate, StreamsTextToStdoutAndUsageToStderr) {
  auto r = runProcess(gen({"--prompt", "Hello world", "--max-tokens", "8"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(r.out.empty());
  EXPECT_NE(r.err.find("prompt"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tokens/s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("finish: "), std::string::npos) << r.err;
}

TEST(CliGenerate, JsonHasTheDocumentedSchema) {
  const json j = runJson({"--prompt", "The quick brown fox", "--max-tokens", "7", "--seed", "3"});
  for (const char* key : {"text", "thinking", "answer", "finish_reason", "usage", "ids"}) EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"prompt_tokens", "thinking_tokens", "answer_tokens", "prefill_ms", "decode_ms", "tokens_per_s",
                          "experts_evaluated", "experts_skipped"})
    EXPECT_TRUE(j["usage"].contains(key)) << key;
  const auto ids = j["ids"].get<std::vector<int32_t>>();
  const std::string reason = j["finish_reason"];
  if (reason == "length") EXPECT_EQ(ids.size(), 7u);
  else EXPECT_EQ(reason, "eos");
  EXPECT_EQ(j["usage"]["thinking_tokens"].get<int64_t>() + j["usage"]["answer_tokens"].get<int64_t>(),
            static_cast<int64_t>(ids.size()));
  EXPECT_GT(j["usage"]["prompt_tokens"].get<int64_t>(), 0);
  // Greedy (the default) is reproducible.
  EXPECT_EQ(runJson({"--prompt", "The quick brown fox", "--max-tokens", "7"})["ids"],
            runJson({"--prompt", "The quick brown fox", "--max-tokens", "7"})["ids"]);
}

TEST(CliGenerate, ChatWrapsTheMessageInTheTemplate) {
  const json plain = runJson({"--prompt", "Hi", "--max-tokens", "0"});
  const json chat = runJson({"--chat", "Hi", "--max-tokens", "0"});
  // <begin_of_document><beginning_of_sentence>user name=user\nHi<end_of_sentence>\n... is much longer.
  EXPECT_GT(chat["usage"]["prompt_tokens"].get<int64_t>(), plain["usage"]["prompt_tokens"].get<int64_t>() + 5);
}

TEST(CliGenerate, DumpLogitsHasShapeTByVAndTheSessionsValues) {
  const auto prompt = goldenPrompt(19);
  const fs::path out = tempDir() / "logits.npy";
  const json j = runJson({"--prompt-ids", idList(prompt), "--max-tokens", "0", "--dump-logits", out.string()});
  EXPECT_TRUE(j["ids"].empty());
  auto npy = folio::test::readNpy(out);
  ASSERT_TRUE(npy.ok()) << npy.error;
  ASSERT_EQ(npy.shape, (std::vector<int64_t>{19, 320}));
  // The same prompt through a session in this process.
  auto model = folio::engine::Model::load(kModel);
  ASSERT_TRUE(model.ok()) << model.error().message;
  folio::engine::SessionOptions o;
  o.context_capacity = 64;
  o.threads = 1;
  auto session = folio::engine::Session::create(*model, o);
  ASSERT_TRUE(session.ok());
  std::vector<float> logits;
  ASSERT_TRUE((*session)->prefill(prompt, &logits).ok());
  ASSERT_EQ(logits.size(), npy.data.size());
  for (size_t i = 0; i < logits.size(); ++i) ASSERT_EQ(npy.data[i], logits[i]) << i;
  // And they are the model's logits: close to the float64 reference.
  auto golden = folio::test::readNpy(std::string(FOLIO_FIXTURES_DIR) + "/golden/tiny-f32-h4-ls/logits.npy");
  ASSERT_TRUE(golden.ok()) << golden.error;
  double err = 0, ref = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    err += (npy.data[i] - golden.data[i]) * (npy.data[i] - golden.data[i]);
    ref += golden.data[i] * golden.data[i];
  }
  EXPECT_LT(std::sqrt(err / ref), 1e-4);
}

TEST(CliGenerate, ExpertsInt8LoadsQuantisedExperts) {
  // --experts-int8 gives the logits of a model loaded with ModelLoadOptions::experts_int8, which are
  // close to, but not the same as, the unquantised ones
  const auto prompt = goldenPrompt(19);
  const fs::path out = tempDir() / "logits-int8.npy";
  runJson({"--prompt-ids", idList(prompt), "--max-tokens", "0", "--experts-int8", "--dump-logits", out.string()});
  auto npy = folio::test::readNpy(out);
  ASSERT_TRUE(npy.ok()) << npy.error;
  auto logitsOf = [&](bool int8) {
    folio::engine::ModelLoadOptions lo;
    lo.experts_int8 = int8;
    auto model = folio::engine::Model::load(kModel, lo);
    EXPECT_TRUE(model.ok());
    folio::engine::SessionOptions o;
    o.context_capacity = 64;
    o.threads = 1;
    auto session = folio::engine::Session::create(*model, o);
    std::vector<float> logits;
    EXPECT_TRUE(session.ok() && (*session)->prefill(prompt, &logits).ok());
    return logits;
  };
  const std::vector<float> int8 = logitsOf(true), full = logitsOf(false);
  ASSERT_EQ(int8.size(), npy.data.size());
  for (size_t i = 0; i < int8.size(); ++i) ASSERT_EQ(npy.data[i], int8[i]) << i;
  double diff = 0, ref = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    diff += (int8[i] - full[i]) * (int8[i] - full[i]);
    ref += full[i] * full[i];
  }
  EXPECT_GT(std::sqrt(diff / ref), 0.0);
  EXPECT_LT(std::sqrt(diff / ref), 0.05);
}

TEST(CliGenerate, SavedStateContinuesLikeAnUninterruptedRun) {
  const auto first = goldenPrompt(10);
  const std::vector<int32_t> second = {40, 41, 42, 220, 43};
  const fs::path state = tempDir() / "state.snap";
  const json a = runJson({"--prompt-ids", idList(first), "--max-tokens", "4", "--save-state", state.string()});
  ASSERT_TRUE(fs::exists(state));
  const json b = runJson({"--load-state", state.string(), "--prompt-ids", idList(second), "--max-tokens", "6"});
  // Uninterrupted: the whole history as one prompt.
  std::vector<int32_t> whole = first;
  for (int32_t id : a["ids"].get<std::vector<int32_t>>()) whole.push_back(id);
  whole.insert(whole.end(), second.begin(), second.end());
  const json c = runJson({"--prompt-ids", idList(whole), "--max-tokens", "6"});
  EXPECT_EQ(b["ids"], c["ids"]);
  EXPECT_EQ(b["text"], c["text"]);
}

TEST(CliGenerate, RoutingLogIsConsistentAndThresholdSavesEvaluations) {
  for (const std::string tau : {"1", "0.000001"}) {
    const fs::path log_path = tempDir() / ("routing-" + tau + ".json");
    const json j = runJson({"--prompt", "Route these tokens", "--max-tokens", "5", "--expert-threshold", tau,
                            "--routing-log", log_path.string()});
    auto text = folio::readFile(log_path);
    ASSERT_TRUE(text.ok()) << text.error().message;
    const json log = json::parse(*text);
    EXPECT_EQ(log["model"], "tiny-f32-h4-ls");
    const int L = log["num_layers"], E = log["num_experts"], K = log["top_k"];
    EXPECT_EQ(L, 2);
    EXPECT_EQ(E, 8);
    EXPECT_EQ(K, 2);
    const int64_t tokens = j["usage"]["prompt_tokens"].get<int64_t>() + static_cast<int64_t>(j["ids"].size());
    ASSERT_EQ(static_cast<int64_t>(log["tokens"].size()), tokens);
    std::vector<std::vector<int64_t>> counts(static_cast<size_t>(L), std::vector<int64_t>(static_cast<size_t>(E), 0));
    int64_t kept_total = 0;
    for (size_t t = 0; t < log["tokens"].size(); ++t) {
      const auto& tok = log["tokens"][t];
      EXPECT_EQ(tok["position"].get<int64_t>(), static_cast<int64_t>(t));
      for (int l = 0; l < L; ++l) {
        const auto& kept = tok["layers"][static_cast<size_t>(l)];
        EXPECT_EQ(kept.size(), tau == "1" ? static_cast<size_t>(K) : 1u);
        for (const auto& ew : kept) ++counts[static_cast<size_t>(l)][ew[0].get<size_t>()];
        kept_total += static_cast<int64_t>(kept.size());
      }
    }
    EXPECT_EQ(log["counts"].get<std::vector<std::vector<int64_t>>>(), counts);
    EXPECT_EQ(log["experts_evaluated"].get<int64_t>(), kept_total);
    EXPECT_EQ(log["experts_evaluated"], j["usage"]["experts_evaluated"]);
    EXPECT_EQ(log["experts_skipped"], j["usage"]["experts_skipped"]);
    if (tau == "1") EXPECT_EQ(j["usage"]["experts_skipped"].get<int64_t>(), 0);
    else EXPECT_EQ(j["usage"]["experts_skipped"].get<int64_t>(), tokens * L * (K - 1));
  }
}

TEST(CliGenerate, ThinkingBudgetClosesTheThought) {
  // "<think>" in --prompt is the special token: the prompt ends inside a thought.
  const json free_run = runJson({"--prompt", "Why?<think>", "--max-tokens", "6"});
  const auto free_ids = free_run["ids"].get<std::vector<int32_t>>();
  ASSERT_GE(free_ids.size(), 2u);
  if (free_ids[0] == kThinkClose || free_ids[1] == kThinkClose) GTEST_SKIP() << "the fixture closes its thought itself";
  const json j = runJson({"--prompt", "Why?<think>", "--max-tokens", "6", "--thinking-budget", "2"});
  const auto ids = j["ids"].get<std::vector<int32_t>>();
  ASSERT_EQ(ids.size(), 6u);
  EXPECT_EQ(ids[0], free_ids[0]);
  EXPECT_EQ(ids[1], free_ids[1]);
  EXPECT_EQ(ids[2], kThinkClose);
  EXPECT_EQ(j["usage"]["thinking_tokens"].get<int64_t>(), 3);
  EXPECT_EQ(j["usage"]["answer_tokens"].get<int64_t>(), 3);
  EXPECT_EQ(j["text"].get<std::string>().find("</think>"), j["text"].get<std::string>().find("</think>\n"));
}

TEST(CliGenerate, StopStringEndsTheOutputBeforeIt) {
  const json base = runJson({"--prompt", "Once upon a time", "--max-tokens", "30"});
  const std::string text = base["text"];
  // A printable ASCII pair from the middle of the text.
  size_t at = std::string::npos;
  for (size_t i = 3; i + 1 < text.size(); ++i) {
    const auto ok = [](char c) { return c > ' ' && c < 0x7f; };
    if (ok(text[i]) && ok(text[i + 1]) && text.find(text.substr(i, 2)) == i) {
      at = i;
      break;
    }
  }
  ASSERT_NE(at, std::string::npos) << text;
  const json j = runJson({"--prompt", "Once upon a time", "--max-tokens", "30", "--stop", text.substr(at, 2)});
  EXPECT_EQ(j["finish_reason"], "stop");
  EXPECT_EQ(j["text"], text.substr(0, at));
}

TEST(CliGenerate, PromptPastTheContextWindowFailsBeforeWork) {
  const fs::path out = tempDir() / "never.npy";
  auto r = runProcess(gen({"--prompt-ids", "1,2,3,4,5", "--context-window", "4", "--dump-logits", out.string()}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("context_window"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // The output stops at the window.
  const json j = runJson({"--prompt-ids", "1,2,3,4,5", "--context-window", "8", "--max-tokens", "50"});
  if (j["finish_reason"] != "eos") {
    EXPECT_EQ(j["finish_reason"], "context");
    EXPECT_EQ(j["ids"].size(), 3u);
  }
}

TEST(CliGenerate, OutputIntoAMissingFolderFailsBeforeTheRun) {
  for (const char* option : {"--routing-log", "--dump-logits", "--save-state"}) {
    const std::string out = (tempDir() / "no-such-folder" / "out.bin").string();
    auto r = runProcess(gen({"--prompt", "Hello", "--max-tokens", "4", option, out}));
    EXPECT_EQ(r.exit_code, 1) << option << ": " << r.err;
    EXPECT_NE(r.err.find(std::string(option) + ": " + out), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << option << " generated before failing: " << r.out;
  }
}

TEST(CliGenerate, OutOfRangeOptionsAreUsageErrorsNamingTheOption) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--prompt", "x", "--max-tokens", "-1"}, "--max-tokens"},
      {{"--prompt", "x", "--temperature", "-0.5"}, "--temperature"},
      {{"--prompt", "x", "--top-p", "0"}, "--top-p"},
      {{"--prompt", "x", "--top-p", "1.5"}, "--top-p"},
      {{"--prompt", "x", "--top-k", "-2"}, "--top-k"},
      {{"--prompt", "x", "--expert-threshold", "0"}, "--expert-threshold"},
      {{"--prompt", "x", "--expert-threshold", "1.01"}, "--expert-threshold"},
      {{"--prompt", "x", "--thinking-budget", "-3"}, "--thinking-budget"},
      {{"--prompt", "x", "--context-window", "0"}, "--context-window"},
      {{"--prompt", "x", "--threads", "-1"}, "--threads"},
      {{"--prompt-ids", "1,x,3"}, "--prompt-ids"},
      {{"--prompt-ids", "1,99999"}, "--prompt-ids"},
      {{"--prompt", "x", "--max-tokens", "lots"}, "--max-tokens"},
      {{}, "--prompt"},
      {{"--prompt", "x", "--chat", "y"}, "--chat"},
  };
  for (const auto& [args, option] : cases) {
    auto r = runProcess(gen(args));
    EXPECT_EQ(r.exit_code, 64) << option << ": " << r.err;
    EXPECT_FALSE(r.signaled);
    EXPECT_NE(r.err.find(option), std::string::npos) << r.err;
  }
}

TEST(CliGenerate, MalformedModelFilesExitTwoWithoutASignal) {
  // A copy of the fixture with one file broken; the error names it.
  const auto expectRefused = [](const std::string& name, const std::function<void(const fs::path&)>& breakIt,
                                const std::string& named) {
    const fs::path d = tempDir() / name;
    fs::remove_all(d);
    fs::copy(kModel, d, fs::copy_options::recursive);
    breakIt(d);
    auto r = runProcess({FOLIO_BINARY, "generate", "--model", d.string(), "--prompt", "x"});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_FALSE(r.signaled) << name;
    EXPECT_NE(r.err.find(named), std::string::npos) << name << ": " << r.err;
  };
  expectRefused("truncated", [](const fs::path& d) {
    fs::resize_file(d / "model.safetensors", fs::file_size(d / "model.safetensors") / 2);
  }, "model.safetensors");
  expectRefused("badconfig", [](const fs::path& d) {
    ASSERT_TRUE(folio::writeFileAtomic(d / "config.json", "{\"model_type\": \"minimax_m1\", \"num_attention_heads\": 0").ok());
  }, "config.json");
  expectRefused("badtokenizer", [](const fs::path& d) {
    ASSERT_TRUE(folio::writeFileAtomic(d / "tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": [1, 2]}}").ok());
  }, "tokenizer.json");

  const fs::path bad_state = tempDir() / "corrupt.snap";
  ASSERT_TRUE(folio::writeFileAtomic(bad_state, "FOLIOSNP garbage garbage garbage garbage").ok());
  auto r = runProcess(gen({"--prompt", "x", "--load-state", bad_state.string()}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(r.signaled);
  EXPECT_NE(r.err.find("--load-state"), std::string::npos) << r.err;
}
