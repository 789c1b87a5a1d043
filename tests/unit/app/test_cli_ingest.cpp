// `folio ingest`, `folio search`, `folio docs` on the sample documents, through the real binary.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "ingest/library/database.h"
#include "support/run_process.h"
#include "support/scanned_pdf.h"

namespace fs = std::filesystem;
using folio::test::runProcess;

namespace {

class CliIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-cli-ingest-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    lib_ = (dir_ / "lib.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  folio::test::ProcessResult folio(std::vector<std::string> args) {
    args.insert(args.begin(), FOLIO_BINARY);
    return runProcess(args);
  }

  fs::path dir_;
  std::string lib_;
  const std::string samples_ = std::string(FOLIO_RESOURCES_DIR) + "/samples";
};

}  // namespace

TEST_F(CliIngest, IngestSearchDocsOnTheSamples) {
  auto ingest = folio({"ingest", "--library", lib_, samples_});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_NE(ingest.out.find("added"), std::string::npos) << ingest.out;
  EXPECT_NE(ingest.out.find("0 failed"), std::string::npos) << ingest.out;

  // Clause 10 (Term and Termination) of the services agreement, with its page span.
  auto search = folio({"search", "--library", lib_, "--json", "termination", "notice"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  auto j = nlohmann::json::parse(search.out);
  ASSERT_FALSE(j["hits"].empty()) << search.out;
  bool clause10 = false;
  for (const auto& h : j["hits"]) {
    if (h["rel_path"].get<std::string>().find("services-agreement.pdf") == std::string::npos) continue;
    if (h["heading"].get<std::string>().rfind("10", 0) != 0) continue;
    clause10 = true;
    EXPECT_GE(h["page_first"].get<int>(), 1);
    EXPECT_LE(h["page_first"].get<int>(), h["page_last"].get<int>());
    EXPECT_LE(h["page_last"].get<int>(), 6);
    EXPECT_GE(h["line_first"].get<int>(), 1);
  }
  EXPECT_TRUE(clause10) << search.out;

  auto text = folio({"search", "--library", lib_, "bearer token", "--limit", "2"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("1. "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("lines "), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("3. "), std::string::npos) << text.out;

  auto docs = folio({"docs", "--library", lib_});
  ASSERT_EQ(docs.exit_code, 0) << docs.err;
  EXPECT_NE(docs.out.find("services-agreement.pdf"), std::string::npos) << docs.out;
  EXPECT_NE(docs.out.find("ok "), std::string::npos) << docs.out;
  auto docs_json = folio({"docs", "--library", lib_, "--json"});
  ASSERT_EQ(docs_json.exit_code, 0);
  auto d = nlohmann::json::parse(docs_json.out);
  ASSERT_GE(d["documents"].size(), 3u);
  // Streamed one document at a time, yet laid out as the whole tree would be dumped.
  EXPECT_EQ(docs_json.out, d.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  auto empty_dir = dir_ / "empty";
  std::filesystem::create_directories(empty_dir);
  ASSERT_EQ(folio({"ingest", "--quiet", "--library", lib_, "--collection", "none", empty_dir.string()}).exit_code, 0);
  EXPECT_EQ(folio({"docs", "--library", lib_, "--collection", "none", "--json"}).out, "{\n  \"documents\": []\n}\n");
  for (const auto& doc : d["documents"]) {
    EXPECT_EQ(doc["status"], "ok") << doc.dump();
    if (doc["kind"] == "pdf") EXPECT_GT(doc["pages"].get<int>(), 0);
  }

  // A second run changes nothing.
  auto again = folio({"ingest", "--library", lib_, "--json", samples_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto r = nlohmann::json::parse(again.out);
  EXPECT_EQ(r["added"], 0);
  EXPECT_EQ(r["updated"], 0);
  EXPECT_EQ(r["unchanged"].get<int>(), static_cast<int>(d["documents"].size()));
  EXPECT_EQ(r["library"], lib_);

  // --reread reads the unchanged files again, in place: the same documents, updated.
  auto reread = folio({"ingest", "--library", lib_, "--json", "--reread", "--quiet", samples_});
  ASSERT_EQ(reread.exit_code, 0) << reread.err;
  auto rr = nlohmann::json::parse(reread.out);
  EXPECT_EQ(rr["added"], 0);
  EXPECT_EQ(rr["unchanged"], 0);
  EXPECT_EQ(rr["updated"].get<int>(), static_cast<int>(d["documents"].size()));
  auto docs_after = nlohmann::json::parse(folio({"docs", "--library", lib_, "--json"}).out);
  for (auto* list : {&d["documents"], &docs_after["documents"]})
    for (auto& doc : *list) doc.erase("ingested_at");  // the only field a re-read changes
  EXPECT_EQ(docs_after["documents"], d["documents"]) << "ids, paths and counts are kept";
}

TEST_F(CliIngest, SkippedAndFailedAppearInJsonAndDocs) {
  const fs::path tree = dir_ / "tree";
  fs::create_directories(tree);
  std::ofstream(tree / "ok.md") << "# Fine\n\nA readable note.\n";
  std::ofstream(tree / "bad.pdf") << "%PDF-1.7\nnot a real pdf";
  std::ofstream(tree / "bin.dat", std::ios::binary) << std::string("ab\0cd", 5);
  auto ingest = folio({"ingest", "--library", lib_, "--json", tree.string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto r = nlohmann::json::parse(ingest.out);
  EXPECT_EQ(r["added"], 1);
  EXPECT_EQ(r["failed"], 1);
  EXPECT_EQ(r["skipped"], 1);
  ASSERT_EQ(r["failed_files"].size(), 1u);
  EXPECT_NE(r["failed_files"][0]["path"].get<std::string>().find("bad.pdf"), std::string::npos);
  EXPECT_FALSE(r["failed_files"][0]["reason"].get<std::string>().empty());
  auto docs = folio({"docs", "--library", lib_});
  EXPECT_NE(docs.out.find("failed"), std::string::npos) << docs.out;
  EXPECT_NE(docs.out.find("skipped"), std::string::npos) << docs.out;
}

// A scanned page: `--no-ocr` leaves it unread and says so, in the summary and in `folio docs`; the
// next ingest reads it by OCR.
TEST_F(CliIngest, NoOcrLeavesAScannedPageUnreadAndANoteTheNextIngestReads) {
  const fs::path tree = dir_ / "tree";
  fs::create_directories(tree);
  folio::test::PdfPageSpec text, scanned;
  text.lines = {"MEMORANDUM OF UNDERSTANDING"};
  scanned.image = folio::test::renderTextPage({"The parties agree to mediate every dispute in Leeds."}, 150);
  std::ofstream(tree / "memo.pdf", std::ios::binary) << folio::test::writeMixedPdf({text, scanned});
  const std::string note = "1 of 2 pages without a text layer left unread: OCR is off (--no-ocr)";

  auto off = folio({"ingest", "--quiet", "--no-ocr", "--library", lib_, tree.string()});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_NE(off.out.find("no OCR  " + (tree / "memo.pdf").string() + ": " + note), std::string::npos)
      << off.out;
  auto docs = folio({"docs", "--library", lib_});
  EXPECT_NE(docs.out.find("memo.pdf  (" + note + ")"), std::string::npos) << docs.out;
  EXPECT_TRUE(folio({"search", "--library", lib_, "mediate"}).out.find("memo.pdf") == std::string::npos);

  auto on =
      nlohmann::json::parse(folio({"ingest", "--quiet", "--json", "--library", lib_, tree.string()}).out);
  EXPECT_EQ(on["updated"], 1);
  EXPECT_EQ(on["ocr_pages"], 1);
  EXPECT_TRUE(on["ocr_problems"].empty());
  docs = folio({"docs", "--library", lib_});
  EXPECT_NE(docs.out.find("memo.pdf  (1 of 2 pages read by OCR)\n"), std::string::npos) << docs.out;
  auto d = nlohmann::json::parse(folio({"docs", "--library", lib_, "--json"}).out);
  EXPECT_EQ(d["documents"][0]["ocr_pages"], 1);
  EXPECT_EQ(d["documents"][0]["reason"], "");
  EXPECT_NE(folio({"search", "--library", lib_, "mediate"}).out.find("memo.pdf"), std::string::npos);
}

TEST_F(CliIngest, SummaryNamesAFailedFileOnce) {
  const fs::path tree = dir_ / "tree";
  fs::create_directories(tree);
  std::ofstream(tree / "bad.pdf") << "%PDF-1.7\nnot a real pdf";
  auto ingest = folio({"ingest", "--quiet", "--library", lib_, tree.string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  const std::string path = (tree / "bad.pdf").string();
  EXPECT_NE(ingest.out.find("failed  " + path + ": not a readable PDF"), std::string::npos) << ingest.out;
}

TEST_F(CliIngest, AnOrdinaryIngestRechunksDocumentsOfAnOlderChunker) {
  ASSERT_EQ(folio({"ingest", "--quiet", "--library", lib_, samples_}).exit_code, 0);
  int64_t outdated = 0;
  {  // what a library ingested by the previous Folio (an older PDF chunker) holds
    auto db = folio::ingest::Database::open(lib_);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->exec("UPDATE documents SET chunker_version = chunker_version - 1 WHERE kind = 'pdf'"));
    outdated = db->changes();
  }
  ASSERT_GT(outdated, 0);
  auto again = folio({"ingest", "--quiet", "--library", lib_, samples_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(", re-chunked " + std::to_string(outdated) + " (chunker or reader updated)\n"), std::string::npos)
      << again.out;
  auto third = nlohmann::json::parse(folio({"ingest", "--quiet", "--json", "--library", lib_, samples_}).out);
  EXPECT_EQ(third["rechunked"], 0);
  EXPECT_EQ(third["updated"], 0);
}

TEST_F(CliIngest, ErrorsNameTheProblem) {
  auto missing = folio({"ingest", "--library", lib_, (dir_ / "no-such-dir").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("no-such-dir"), std::string::npos) << missing.err;

  auto nolib = folio({"search", "--library", (dir_ / "none.sqlite").string(), "x"});
  EXPECT_NE(nolib.exit_code, 0);
  EXPECT_NE(nolib.err.find("folio ingest"), std::string::npos) << nolib.err;
  EXPECT_FALSE(fs::exists(dir_ / "none.sqlite"));

  auto usage = folio({"ingest", "--library", lib_});
  EXPECT_EQ(usage.exit_code, 64);
}

TEST_F(CliIngest, HostileQueryIsNotAnError) {
  ASSERT_EQ(folio({"ingest", "--library", lib_, samples_ + "/code"}).exit_code, 0);
  auto r = folio({"search", "--library", lib_, "--json", "\"bearer", "AND", "(", "NEAR(", "*"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NO_THROW((void)nlohmann::json::parse(r.out));
}

TEST_F(CliIngest, DefaultLibraryFollowsXdgDataHome) {
  const std::map<std::string, std::string> env{{"XDG_DATA_HOME", (dir_ / "xdg").string()}};
  auto r = runProcess({FOLIO_BINARY, "ingest", "--quiet", samples_ + "/code"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "xdg/folio/library.sqlite"));
  auto docs = runProcess({FOLIO_BINARY, "docs", "--json"}, env);
  ASSERT_EQ(docs.exit_code, 0) << docs.err;
  EXPECT_FALSE(nlohmann::json::parse(docs.out)["documents"].empty());
}

TEST_F(CliIngest, SearchCollectionRestrictsHitsToThatCollection) {
  const fs::path notes = dir_ / "notes";
  fs::create_directories(notes);
  std::ofstream(notes / "memo.txt") << "The termination memo for the warehouse lease.\n";
  ASSERT_EQ(folio({"ingest", "--library", lib_, "--collection", "contracts", "--quiet", samples_}).exit_code, 0);
  ASSERT_EQ(folio({"ingest", "--library", lib_, "--collection", "memos", "--quiet", notes.string()}).exit_code, 0);

  auto relPaths = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"search", "--library", lib_, "--json", "--limit", "1000"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("termination");
    auto r = folio(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> paths;
    const auto j = nlohmann::json::parse(r.out);
    for (const auto& h : j["hits"]) paths.insert(h["rel_path"].get<std::string>());
    return paths;
  };
  const auto all = relPaths({});
  ASSERT_TRUE(all.count("memo.txt"));
  ASSERT_GT(all.size(), 1u);
  EXPECT_EQ(relPaths({"--collection", "memos"}), std::set<std::string>{"memo.txt"});
  auto contracts = relPaths({"--collection", "contracts"});
  EXPECT_FALSE(contracts.empty());
  EXPECT_FALSE(contracts.count("memo.txt"));
  EXPECT_EQ(relPaths({"--collection", "memos", "--collection", "contracts"}), all);

  auto unknown = folio({"search", "--library", lib_, "--collection", "memos", "--collection", "nosuch", "lease"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no collection named \"nosuch\""), std::string::npos) << unknown.err;
}
