// Summary nodes keep the model as people know it (summary_nodes.model_name, schema v8) beside the
// identity hash, and a document's report names it; summaries stored by a v7 library survive the upgrade
// and are reported by their hash.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "app/pipeline/summary_store.h"
#include "app/report/report_builder.h"
#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "unit/ingest/test_library_util.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;
using ingest::test::TempDir;

constexpr const char* kHash = "fnv1a64:0123456789abcdef/fedcba9876543210";
constexpr const char* kName = "MiniMax-M1-40k — minimax_m1, 456B parameters, τ 0.5";

// A collection with documents 1..n (status ok), as any schema version since v1 stores them.
void addDocuments(ingest::Database& db, int n) {
  ASSERT_TRUE(db.exec("INSERT INTO collections(id, name, created_at) VALUES(1, 'kb', 1700000000)"));
  for (int i = 1; i <= n; ++i) {
    const std::string d = std::to_string(i);
    ASSERT_TRUE(db.exec("INSERT INTO documents(id, collection_id, path, rel_path, kind, content_hash, status, "
                        "ingested_at) VALUES(" + d + ", 1, '/src/doc" + d + ".md', 'doc" + d +
                        ".md', 'markdown', 'hash" + d + "', 'ok', 1700000000)"));
  }
}

// A node of document 1 written by kName (kHash).
SummaryNode namedNode(int level, const std::string& source_hash, const std::string& text) {
  return SummaryNode{.collection_id = 1, .document_id = 1, .level = level, .source_hash = source_hash,
                     .model = kHash, .model_name = kName, .text = text};
}

std::string fact(const ReportSection& s, const std::string& key) {
  for (const auto& [k, v] : s.facts)
    if (k == key) return v;
  return "(no " + key + ")";
}

TEST(SummaryModelName, AStoredSummaryKeepsItsNameAndTheReportShowsIt) {
  TempDir dir;
  auto lib = ingest::Library::open(dir.path() / "lib.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  addDocuments(lib->db(), 1);
  auto sid = insertSummaryNode(lib->db(), namedNode(kSectionLevel, "s", "Notice within thirty days."));
  ASSERT_TRUE(sid) << sid.error().message;
  SummaryNode document = namedNode(kDocumentLevel, "d", "The contract asks for notice within thirty days.");
  document.children = {*sid};
  ASSERT_TRUE(insertSummaryNode(lib->db(), document));

  auto nodes = documentSummaryNodes(lib->db(), 1, kHash);
  ASSERT_TRUE(nodes) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 2u);
  for (const auto& n : *nodes) {
    EXPECT_EQ(n.model, kHash);
    EXPECT_EQ(n.model_name, kName);
  }
  auto report = documentReport(*lib, 1);
  ASSERT_TRUE(report) << report.error().message;
  const ReportSection& s = report->sections.at(0);
  EXPECT_EQ(s.label, std::string("Document summary (") + kName + ")");
  EXPECT_EQ(s.body, document.text);
  EXPECT_EQ(fact(s, "Summarizer"), kName);
  EXPECT_EQ(fact(s, "Model identity"), kHash);
}

// The identity hash of the model that summarized old document `i`.
std::string oldHash(int i) { return "fnv1a64:" + std::to_string(1000 + i) + "/1"; }

// A library last written by the previous Folio (schema v7): each document with two section nodes under
// a document node, stored as v7 stored them (no name).
void createV7LibraryWithSummaries(const fs::path& path, int documents) {
  auto db = ingest::Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(ingest::migrate(*db, 7));
  addDocuments(*db, documents);
  for (int i = 1; i <= documents; ++i) {
    const std::string d = std::to_string(i), model = "'" + oldHash(i) + "'";
    const std::string head = "INSERT INTO summary_nodes(id, collection_id, document_id, parent_id, level, ordinal, "
                             "source_hash, model, text, created_at, heading) VALUES(";
    const std::string doc_node = std::to_string(100 * i);
    ASSERT_TRUE(db->exec(head + doc_node + ", 1, " + d + ", NULL, 1, 0, 'd" + d + "', " + model + ", 'summary " + d +
                         "', 1700000000, 'doc" + d + ".md')"));
    for (int k = 1; k <= 2; ++k)
      ASSERT_TRUE(db->exec(head + std::to_string(100 * i + k) + ", 1, " + d + ", " + doc_node + ", 0, " +
                           std::to_string(k - 1) + ", 's" + d + std::to_string(k) + "', " + model + ", 'section " +
                           d + "." + std::to_string(k) + "', 1700000000, 'part " + std::to_string(k) + "')"));
  }
}

TEST(SummaryModelName, UpgradingAV7LibraryKeepsEverySummaryAndReportsOldOnesByTheirHash) {
  TempDir dir;
  createV7LibraryWithSummaries(dir.path() / "v7.sqlite", 3);
  auto lib = ingest::Library::open(dir.path() / "v7.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  ASSERT_EQ(ingest::schemaVersion(lib->db()).value(), ingest::kSchemaVersion);
  for (int i = 1; i <= 3; ++i) {
    auto nodes = documentSummaryNodes(lib->db(), i, oldHash(i));
    ASSERT_TRUE(nodes) << nodes.error().message;
    ASSERT_EQ(nodes->size(), 3u);
    EXPECT_EQ(nodes->at(0).text, "section " + std::to_string(i) + ".1");
    EXPECT_EQ(nodes->at(2).text, "summary " + std::to_string(i));
    for (const auto& n : *nodes) EXPECT_EQ(n.model_name, "");
  }
  auto report = documentReport(*lib, 2);
  ASSERT_TRUE(report) << report.error().message;
  const ReportSection& s = report->sections.at(0);
  EXPECT_EQ(s.label, "Document summary (model identity fnv1a64:1002/1)");
  EXPECT_EQ(s.body, "summary 2");
  EXPECT_EQ(s.sources.size(), 2u);
  EXPECT_EQ(fact(s, "Summarizer"), "model identity fnv1a64:1002/1");
  EXPECT_EQ(fact(s, "Model identity"), "(no Model identity)") << "the label already shows the hash";
  // A summary stored in the upgraded library has its name.
  ASSERT_TRUE(insertSummaryNode(lib->db(), namedNode(kSectionLevel, "new", "new")));
  EXPECT_EQ(documentSummaryNodes(lib->db(), 1, kHash)->at(0).model_name, kName);
}

}  // namespace
}  // namespace folio::app
