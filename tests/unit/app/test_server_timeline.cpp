// GET /v1/library/timeline over real HTTP: folio timeline's JSON (events in date order with their
// places), its filters, and parameters refused with a reason; the query parsing directly.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/server/api_requests.h"
#include "support/run_process.h"
#include "support/server_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ServerTimeline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-server-timeline-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "case");
    std::ofstream(dir_ / "case" / "draft.eml")
        << "From: Jane Roe <jane@acme.example>\nTo: Bob Poe <bob@beta.example>\nSubject: Draft SPA\n"
           "Date: Tue, 5 Mar 2024 14:30:00 +0000\n\nBob,\n\nThe closing is set for April 15, 2024.\n";
    std::ofstream(dir_ / "case" / "msa.txt")
        << "SERVICES AGREEMENT\n\nThis Agreement is made on 1 February 2024 between Acme and Beta.\n";
    const std::string library = (dir_ / "lib.sqlite").string();
    auto r = runProcess({FOLIO_BINARY, "ingest", "--quiet", "--library", library, (dir_ / "case").string()},
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
  httplib::Result get(const std::string& target) {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(60, 0);
    return c.Get(target);
  }

  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerTimeline, EventsInDateOrderAndFilters) {
  auto r = get("/v1/library/timeline");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const json t = json::parse(r->body);
  EXPECT_EQ(t["documents"], 2);
  ASSERT_EQ(t["events"].size(), 3u) << r->body;
  EXPECT_EQ(t["events"][0]["date"], "2024-02-01");
  EXPECT_EQ(t["events"][1]["date"], "2024-03-05");
  EXPECT_EQ(t["events"][1]["kind"], "message");
  EXPECT_EQ(t["events"][1]["text"], "Draft SPA");
  EXPECT_EQ(t["events"][2]["date"], "2024-04-15");
  EXPECT_EQ(t["events"][2]["places"][0]["path"], "draft.eml");
  auto from = get("/v1/library/timeline?from=2024-03-01&limit=1");
  ASSERT_TRUE(from);
  ASSERT_EQ(from->status, 200) << from->body;
  const json f = json::parse(from->body);
  EXPECT_EQ(f["events_total"], 2);
  ASSERT_EQ(f["events"].size(), 1u);
  EXPECT_EQ(f["events"][0]["date"], "2024-03-05");
  auto words = get("/v1/library/timeline?q=closing");
  ASSERT_TRUE(words);
  const json w = json::parse(words->body);
  ASSERT_EQ(w["events"].size(), 1u) << words->body;
  EXPECT_EQ(w["events"][0]["date"], "2024-04-15");
}

TEST_F(ServerTimeline, BadParametersSayWhy) {
  for (const auto& [target, field] : {std::pair{"/v1/library/timeline?from=March", "from:"},
                                      std::pair{"/v1/library/timeline?documents=1,x", "documents:"},
                                      std::pair{"/v1/library/timeline?limit=-1", "limit:"},
                                      std::pair{"/v1/library/timeline?day_first=yes", "day_first:"}}) {
    auto r = get(target);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_EQ(json::parse(r->body)["error"]["message"].get<std::string>().rfind(field, 0), 0u) << r->body;
  }
  auto missing = get("/v1/library/timeline?collection=leases");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404) << missing->body;
  httplib::Client c("127.0.0.1", server_->port());
  auto post = c.Post("/v1/library/timeline", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
}

TEST(TimelineQuery, Parsed) {
  app::server::TimelineQuery q;
  q.from = "2024-01-01";
  q.documents = "3,4";
  q.day_first = "1";
  q.limit = "10";
  q.q = "closing date";
  auto p = app::server::parseTimelineParams(q);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->from, "2024-01-01");
  EXPECT_FALSE(p->to);
  EXPECT_EQ(p->document_ids, (std::vector<int64_t>{3, 4}));
  EXPECT_TRUE(p->day_first);
  EXPECT_EQ(p->limit, 10);
  EXPECT_EQ(p->words, "closing date");
  q.documents = "";
  EXPECT_TRUE(app::server::parseTimelineParams(q));
  q.documents = "0";
  EXPECT_FALSE(app::server::parseTimelineParams(q));
  q.documents = std::nullopt;
  q.to = "2024-02-30";
  EXPECT_FALSE(app::server::parseTimelineParams(q));
}

}  // namespace
}  // namespace folio::test
