// POST /v1/library/review over real HTTP: the table as folio review's JSON, streamed as progress events
// then the table, and requests that are refused with a reason (no questions, a question too long, a bad
// document id, GET). Request parsing is also checked directly.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/pipeline/review_table.h"
#include "app/server/api_requests.h"
#include "support/run_process.h"
#include "unit/app/review_contracts.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ServerReview : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-server-review-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "contracts");
    std::ofstream(dir_ / "contracts" / "acme.txt") << folio::test::reviewContract("ACME", "England and Wales");
    std::ofstream(dir_ / "contracts" / "globex.txt") << folio::test::reviewContract("GLOBEX", "");
    const std::string library = (dir_ / "lib.sqlite").string();
    auto r = runProcess({FOLIO_BINARY, "ingest", "--quiet", "--library", library, (dir_ / "contracts").string()},
                        {{"XDG_DATA_HOME", dir_.string()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string error;
    server_ = ServerProcess::start({"--library", library}, (dir_ / "serve.log").string(), error);
    ASSERT_TRUE(server_) << error;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  httplib::Result post(const json& body) {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(60, 0);
    return c.Post("/v1/library/review", body.dump(), "application/json");
  }

  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerReview, TheTableAsJson) {
  auto r = post({{"questions", {"Governing law", "Fees"}}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json t = json::parse(r->body);
  EXPECT_EQ(t["questions"], json({"Governing law", "Fees"}));
  EXPECT_EQ(t["engine"], "extractive");
  EXPECT_EQ(t["found"], json({1, 2}));
  ASSERT_EQ(t["rows"].size(), 2u);
  EXPECT_EQ(t["rows"][0]["document"]["path"], "acme.txt");
  EXPECT_NE(t["rows"][0]["cells"][0]["text"].get<std::string>().find("England and Wales"), std::string::npos);
  EXPECT_EQ(t["rows"][0]["cells"][0]["source"]["heading"], "3. Governing Law › 3.1");
  EXPECT_EQ(t["rows"][1]["cells"][0]["found"], false);
  // Only the documents with a finding; the health report counts reviews in a queue of their own.
  auto only = post({{"questions", {"Governing law"}}, {"matching_only", true}});
  ASSERT_TRUE(only);
  ASSERT_EQ(only->status, 200) << only->body;
  EXPECT_EQ(json::parse(only->body)["rows"].size(), 1u);
  httplib::Client c("127.0.0.1", server_->port());
  auto h = c.Get("/health");
  ASSERT_TRUE(h);
  EXPECT_EQ(json::parse(h->body)["library_work"]["running"], 0);
}

TEST_F(ServerReview, StreamedAsProgressThenTheTable) {
  auto r = post({{"questions", {"Governing law", "Fees"}}, {"stream", true}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/event-stream", 0), 0u);
  std::vector<json> events;
  size_t pos = 0;
  while ((pos = r->body.find("data: ", pos)) != std::string::npos) {
    const size_t end = r->body.find("\n\n", pos);
    const std::string data = r->body.substr(pos + 6, end - pos - 6);
    pos = end;
    if (data == "[DONE]") break;
    events.push_back(json::parse(data));
  }
  ASSERT_GE(events.size(), 2u) << r->body;
  EXPECT_EQ(events.front()["type"], "progress");
  EXPECT_EQ(events.front()["total"], 4);
  EXPECT_EQ(events.back()["type"], "review");
  EXPECT_EQ(events.back()["review"]["found"], json({1, 2}));
  EXPECT_NE(r->body.find("data: [DONE]\n\n"), std::string::npos);
}

TEST_F(ServerReview, BadRequestsSayWhy) {
  const auto error = [&](const json& body) {
    auto r = post(body);
    EXPECT_TRUE(r);
    if (!r) return std::string();
    EXPECT_EQ(r->status, 400) << r->body;
    return json::parse(r->body)["error"]["message"].get<std::string>();
  };
  EXPECT_NE(error(json::object()).find("questions: required"), std::string::npos);
  EXPECT_NE(error({{"questions", {"Fees", ""}}}).find("questions[1]: must be a non-empty string"), std::string::npos);
  EXPECT_NE(error({{"questions", {std::string(app::kMaxReviewQuestionBytes + 1, 'x')}}}).find("questions[0]: longer than"),
            std::string::npos);
  EXPECT_NE(error({{"questions", {"Fees"}}, {"documents", {0}}}).find("documents[0]"), std::string::npos);
  httplib::Client c("127.0.0.1", server_->port());
  auto get = c.Get("/v1/library/review");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Allow"), "POST");
  auto unknown = post({{"questions", {"Fees"}}, {"collection", "leases"}});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
}

TEST(ReviewRequest, FieldsAndLimits) {
  auto p = app::server::parseReviewRequest(
      R"({"questions": ["Governing law", "Term"], "collection": "c", "documents": [3, 4], "matching_only": true,
          "max_tokens": 40, "stream": true})");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->questions, (std::vector<std::string>{"Governing law", "Term"}));
  EXPECT_EQ(p->collection, "c");
  EXPECT_EQ(p->document_ids, (std::vector<int64_t>{3, 4}));
  EXPECT_TRUE(p->matching_only && p->stream);
  EXPECT_EQ(p->max_tokens, 40);
  EXPECT_FALSE(p->thinking_budget);  // the review's own default
  json many = {{"questions", json::array()}};
  for (size_t i = 0; i <= app::kMaxReviewQuestions; ++i) many["questions"].push_back("Q" + std::to_string(i));
  EXPECT_FALSE(app::server::parseReviewRequest(many.dump()));
  EXPECT_FALSE(app::server::parseReviewRequest(R"({"questions": "Fees"})"));
  EXPECT_FALSE(app::server::parseReviewRequest(R"({"questions": [3]})"));
  EXPECT_FALSE(app::server::parseReviewRequest(R"({"questions": ["Fees"], "max_tokens": 0})"));
}

}  // namespace
}  // namespace folio::test
