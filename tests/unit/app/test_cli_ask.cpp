// `folio ask --model` end to end on the tiny fixture model (its text is random; the mechanics are what
// is checked): plan, usage per stage, routing aggregate, citations consistent with the evidence,
// prefix snapshot reuse on a follow-up, summarize-then-reason with model summaries, `folio summarize`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "app/pipeline/citations.h"
#include "ingest/library/database.h"
#include "support/run_process.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

class CliAsk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-cli-ask-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "docs");
    std::ofstream(dir_ / "docs" / "terms.md") << "# Terms\n\n## Termination\n\nEither party may terminate on 30 days notice.\n\n"
                                                 "## Payment\n\nInvoices are payable within 30 days.\n";
    std::ofstream(dir_ / "docs" / "auth.md") << "# Auth\n\n## Tokens\n\nSessions use signed tokens that expire after one hour.\n";
    lib_ = (dir_ / "lib.sqlite").string();
    model_ = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";
    auto r = test::runProcess({FOLIO_BINARY, "ingest", "--library", lib_, "--collection", "kb", (dir_ / "docs").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  nlohmann::json ask(std::vector<std::string> extra) {
    std::vector<std::string> argv{FOLIO_BINARY, "ask", "--library", lib_, "--model", model_, "--json",
                                  "--thinking-budget", "8", "--max-tokens", "24"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("When may a party terminate?");
    auto r = test::runProcess(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  static const nlohmann::json* stage(const nlohmann::json& j, const std::string& name) {
    for (const auto& s : j["usage"]["stages"])
      if (s["stage"] == name) return &s;
    return nullptr;
  }

  // Every [n] in the text is either a citation that names an evidence item (and carries its document,
  // page and lines) or a dropped number that names none.
  static void expectCitationsConsistent(const nlohmann::json& j) {
    std::set<int> evidence;
    std::map<int, nlohmann::json> by_n;
    for (const auto& e : j["evidence"]) {
      evidence.insert(e["n"].get<int>());
      by_n[e["n"].get<int>()] = e;
    }
    std::set<int> cited, dropped;
    for (const auto& c : j["citations"]) {
      const int n = c["n"].get<int>();
      cited.insert(n);
      ASSERT_TRUE(evidence.count(n)) << n;
      EXPECT_EQ(c["document_id"], by_n[n]["document_id"]);
      EXPECT_EQ(c["path"], by_n[n]["path"]);
      EXPECT_EQ(c["line_first"], by_n[n]["line_first"]);
    }
    for (const auto& d : j["dropped_citations"]) {
      dropped.insert(d.get<int>());
      EXPECT_FALSE(evidence.count(d.get<int>()));
    }
    for (const auto& m : parseCitationMarkers(j["text"].get<std::string>()))
      for (int n : m.numbers) EXPECT_TRUE(cited.count(n) || dropped.count(n)) << n;
  }

  fs::path dir_;
  std::string lib_, model_;
};

TEST_F(CliAsk, InlineAnswerWithUsageRoutingAndPrefixReuse) {
  const auto first = ask({"--context-window", "4096"});
  ASSERT_FALSE(first.is_discarded());
  EXPECT_FALSE(first["extractive"].get<bool>());
  EXPECT_EQ(first["label"], "Model answer");
  EXPECT_EQ(first["model_name"], "tiny-f32-h4-ls — minimax_m1, 178K parameters");
  EXPECT_TRUE(first["model"].get<std::string>().rfind("fnv1a64:", 0) == 0) << first["model"];
  EXPECT_EQ(first["plan"]["mode"], "inline");
  EXPECT_EQ(first["plan"]["budgets"]["context_window"], 4096);
  EXPECT_EQ(first["plan"]["budgets"]["thinking_budget"], 8);
  EXPECT_EQ(first["plan"]["budgets"]["answer_budget"], 24);
  const auto* reason = stage(first, "reason");
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ((*reason)["prompt_tokens"], first["plan"]["prompt_tokens"]);
  const int64_t generated = (*reason)["thinking_tokens"].get<int64_t>() + (*reason)["answer_tokens"].get<int64_t>();
  EXPECT_GT(generated, 0);
  EXPECT_LE(generated, 8 + 24);
  EXPECT_EQ((*reason)["reused_prefix_tokens"], 0);
  EXPECT_EQ(first["routing"]["num_layers"], 2);
  EXPECT_EQ(first["routing"]["num_experts"], 8);
  int64_t routed = 0;
  for (const auto& row : first["routing"]["counts"])
    for (const auto& c : row) routed += c.get<int64_t>();
  // top-2 routing of every prompt and generated token in both layers (the last token is sampled, not fed)
  EXPECT_GE(routed, 2 * 2 * first["plan"]["prompt_tokens"].get<int64_t>());
  EXPECT_GT(first["answer_id"].get<int64_t>(), 0);
  int64_t chunks = 0;
  for (const auto& d : first["plan"]["documents"]) chunks += d["chunks"].get<int64_t>();
  EXPECT_EQ(first["evidence"].size(), static_cast<size_t>(chunks));  // every chunk inlined
  expectCitationsConsistent(first);
  ASSERT_TRUE(fs::exists(lib_ + ".states"));
  EXPECT_FALSE(fs::is_empty(lib_ + ".states"));

  // The follow-up over the same documents restores the prefix instead of prefilling it.
  const auto second = ask({"--context-window", "4096"});
  const auto* reason2 = stage(second, "reason");
  ASSERT_NE(reason2, nullptr);
  EXPECT_GT((*reason2)["reused_prefix_tokens"].get<int64_t>(), 0);
  EXPECT_LT((*reason2)["reused_prefix_tokens"].get<int64_t>(), (*reason2)["prompt_tokens"].get<int64_t>());
  EXPECT_EQ(second["usage"]["reused_prefix_tokens"], (*reason2)["reused_prefix_tokens"]);
  EXPECT_NE(second["answer_id"], first["answer_id"]);
  // Restoring gives the engine the same state, so greedy decoding gives the same text.
  EXPECT_EQ(second["text"], first["text"]);
}

TEST_F(CliAsk, SmallWindowSummarizesThenReasons) {
  const auto j = ask({"--context-window", "700"});
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["plan"]["mode"], "summarize-then-reason");
  const auto* map = stage(j, "map");
  const auto* reduce = stage(j, "reduce");
  ASSERT_NE(map, nullptr);
  ASSERT_NE(reduce, nullptr);
  EXPECT_GT((*map)["calls"].get<int64_t>(), 0);
  EXPECT_GT((*map)["prompt_tokens"].get<int64_t>(), 0);
  EXPECT_EQ((*map)["routing"]["num_layers"], 2);
  EXPECT_NE((*map)["engine"], "extractive");
  EXPECT_LE(j["plan"]["prompt_tokens"].get<int64_t>() + 8 + 24, 700);
  EXPECT_FALSE(j["evidence"].empty());
  expectCitationsConsistent(j);
  // A second question reuses every summary.
  const auto again = ask({"--context-window", "700"});
  EXPECT_EQ((*stage(again, "map"))["calls"], 0);
  EXPECT_GT((*stage(again, "map"))["reused"].get<int64_t>(), 0);
}

TEST_F(CliAsk, WindowWithNoRoomFailsBeforeSummarizing) {
  auto r = test::runProcess({FOLIO_BINARY, "ask", "--library", lib_, "--model", model_, "--context-window", "10",
                             "When may a party terminate?"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("leaves no room for evidence"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("summarizing"), std::string::npos) << r.err;
}

TEST_F(CliAsk, SummarizeCommandWithModelAndExtractive) {
  auto ex = test::runProcess({FOLIO_BINARY, "summarize", "--library", lib_, "--collection", "kb", "--json"});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  const auto ej = nlohmann::json::parse(ex.out);
  EXPECT_EQ(ej["label"], "Extractive summary (no model loaded)");
  EXPECT_EQ(ej["documents"].size(), 2u);
  EXPECT_EQ(ej["collection"]["level"], "collection");
  auto mo = test::runProcess({FOLIO_BINARY, "summarize", "--library", lib_, "--model", model_, "--context-window", "2048",
                              "--doc", std::to_string(ej["documents"][0]["document_id"].get<int64_t>()), "--json"});
  ASSERT_EQ(mo.exit_code, 0) << mo.err;
  const auto mj = nlohmann::json::parse(mo.out, nullptr, false);
  ASSERT_FALSE(mj.is_discarded());
  EXPECT_FALSE(mj["extractive"].get<bool>());
  EXPECT_NE(mj["model"], "extractive");
  EXPECT_TRUE(mj["collection"].is_null());
  // Each node names the model that wrote it; extractive ones name none.
  const std::string name = "tiny-f32-h4-ls — minimax_m1, 178K parameters";
  EXPECT_EQ(mj["model_name"], name);
  EXPECT_EQ(mj["documents"][0]["summary"]["model_name"], name);
  EXPECT_EQ(mj["documents"][0]["sections"][0]["model_name"], name);
  EXPECT_TRUE(ej["model_name"].is_null());
  EXPECT_TRUE(ej["documents"][0]["summary"]["model_name"].is_null());
  const auto doc_md = dir_ / "doc.md";
  auto doc_rep = test::runProcess({FOLIO_BINARY, "report", "--library", lib_, "--doc",
                                   std::to_string(ej["documents"][0]["document_id"].get<int64_t>()), "--format", "md",
                                   "--out", doc_md.string()});
  ASSERT_EQ(doc_rep.exit_code, 0) << doc_rep.err;
  std::ifstream doc_in(doc_md);
  const std::string doc_report((std::istreambuf_iterator<char>(doc_in)), std::istreambuf_iterator<char>());
  EXPECT_NE(doc_report.find("**Document summary (" + name + ")**"), std::string::npos) << doc_report;
  EXPECT_NE(doc_report.find(mj["model"].get<std::string>()), std::string::npos) << "the identity is among the facts";
  auto usage = test::runProcess({FOLIO_BINARY, "summarize", "--library", lib_});
  EXPECT_EQ(usage.exit_code, 64);
  auto text = test::runProcess({FOLIO_BINARY, "ask", "--library", lib_, "--model", model_, "--context-window", "4096",
                                "--max-tokens", "8", "--thinking-budget", "0", "When may a party terminate?"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.rfind("Model answer (tiny-f32-h4-ls)", 0), 0u);
  EXPECT_NE(text.out.find("Plan: inline"), std::string::npos);
  EXPECT_NE(text.out.find("Routing: 2 layers"), std::string::npos);
  // The answer can be exported with its routing heatmap next to it.
  const auto id = text.out.substr(text.out.find("Answer id: ") + 11);
  const auto md = dir_ / "answer.md";
  auto rep = test::runProcess({FOLIO_BINARY, "report", "--library", lib_, "--answer", std::to_string(std::stoll(id)),
                               "--format", "md", "--out", md.string()});
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  EXPECT_TRUE(fs::exists(dir_ / "answer-routing-1.png"));
  std::ifstream in(md);
  const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(report.find("**Model answer (tiny-f32-h4-ls — minimax_m1, 178K parameters)**"), std::string::npos) << report;
}

// The inline context anchors its blocks with \x1e<id>\x1f. A stored summary (a small model writes any
// byte) or a document holding those characters once made the next ask loop forever while planning (a
// summary ending in \x1e with no \x1f after it); now they are dropped from the texts between anchors.
TEST_F(CliAsk, SummariesHoldingAnchorCharactersDoNotStallTheNextAsk) {
  auto built = test::runProcess({FOLIO_BINARY, "summarize", "--library", lib_, "--model", model_, "--collection", "kb",
                                 "--context-window", "2048"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  {
    auto db = ingest::Database::open(lib_);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->exec("UPDATE summary_nodes SET text = char(30) || text || char(31) || '7' || char(30)"));
    EXPECT_GT(*db->queryInt("SELECT count(*) FROM summary_nodes WHERE instr(text, char(30)) > 0"), 0);
  }
  const auto j = ask({"--context-window", "4096"});
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["plan"]["mode"], "inline") << j["plan"].dump();
  EXPECT_GT(j["answer_id"].get<int64_t>(), 0);
}

}  // namespace
}  // namespace folio::app
