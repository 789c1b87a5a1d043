// Summary tree: nodes persisted with children, spans, hashes and the summarizer identity; reused on a
// second build; after one source file changes and is re-ingested only that document's nodes (and the
// collection node) are rebuilt; a cancelled build resumes from what it stored.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include <sqlite3.h>

#include "app/pipeline/ask.h"
#include "app/pipeline/extractive_summarizer.h"
#include "app/pipeline/summary_tree.h"
#include "ingest/ingest_job.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

std::string doc(const std::string& topic, int sections) {
  std::string s = "# " + topic + "\n\n";
  for (int i = 1; i <= sections; ++i) {
    s += "## " + topic + " part " + std::to_string(i) + "\n\n";
    for (int k = 0; k < 6; ++k)
      s += "The " + topic + " rule " + std::to_string(i) + "." + std::to_string(k) +
           " requires notice within " + std::to_string(10 * i + k) + " days. Each party keeps records of " + topic +
           " events. ";
    s += "\n\n";
  }
  return s;
}

class SummaryTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-tree-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "src");
    write(dir_ / "src" / "alpha.md", doc("alpha", 3));
    write(dir_ / "src" / "beta.md", doc("beta", 2));
    write(dir_ / "src" / "gamma.md", doc("gamma", 4));
    auto lib = ingest::Library::open(dir_ / "lib.sqlite");
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    ingestAll();
  }
  void TearDown() override {
    lib_.reset();
    fs::remove_all(dir_);
  }
  void ingestAll() { ingestFolder(dir_ / "src", "notes"); }
  void ingestFolder(const fs::path& folder, const std::string& collection) {
    ingest::IngestOptions opt;
    opt.collection = collection;
    opt.worker_threads = 1;
    std::vector<fs::path> roots{folder};
    auto rep = ingest::runIngest(*lib_, roots, opt, counter_);
    ASSERT_TRUE(rep) << rep.error().message;
  }
  std::vector<ingest::DocumentRecord> docs() {
    auto d = lib_->documents();
    EXPECT_TRUE(d);
    return *d;
  }
  int64_t collection() { return **lib_->findCollection("notes"); }
  Result<SummaryTree> build(const std::atomic<bool>* cancel = nullptr, SummaryProgressFn progress = {}) {
    return buildCollection("notes", cancel, progress);
  }
  Result<SummaryTree> buildCollection(const std::string& name, const std::atomic<bool>* cancel = nullptr,
                                      SummaryProgressFn progress = {}) {
    ExtractiveSummarizer summarizer(counter_);
    return buildWith(summarizer, name, cancel, progress);
  }
  Result<SummaryTree> buildWith(Summarizer& summarizer, const std::string& name = "notes",
                                const std::atomic<bool>* cancel = nullptr, SummaryProgressFn progress = {}) {
    SummaryTreeOptions o;
    o.section_input_tokens = 120;  // several sections per document
    SummaryTreeBuilder builder(*lib_, summarizer, counter_, o);
    const int64_t id = **lib_->findCollection(name);
    auto in_collection = lib_->documents(id);
    if (!in_collection) return in_collection.error();
    return builder.build(*in_collection, id, progress, cancel);
  }
  std::map<std::string, std::vector<int64_t>> idsByDoc() {
    std::map<std::string, std::vector<int64_t>> out;
    for (const auto& d : docs()) out[d.rel_path] = *summaryNodeIds(lib_->db(), d.id);
    return out;
  }

  fs::path dir_;
  ingest::EstimatingTokenCounter counter_;
  std::optional<ingest::Library> lib_;
};

TEST_F(SummaryTreeTest, NodesArePersistedWithChildrenSpansAndIdentity) {
  auto tree = build();
  ASSERT_TRUE(tree) << tree.error().message;
  ASSERT_EQ(tree->documents.size(), 3u);
  ASSERT_TRUE(tree->collection);
  EXPECT_EQ(tree->collection->level, kCollectionLevel);
  EXPECT_EQ(tree->collection->children.size(), 3u);
  EXPECT_EQ(tree->reused, 0);
  int64_t nodes = 1;
  for (const auto& d : tree->documents) {
    EXPECT_EQ(d.summary.level, kDocumentLevel);
    EXPECT_EQ(d.summary.model, "extractive");
    EXPECT_EQ(d.summary.parent_id, tree->collection->id);
    EXPECT_FALSE(d.summary.text.empty());
    EXPECT_LE(d.summary.token_count, 320);
    EXPECT_GT(d.sections.size(), 1u) << d.document.rel_path;
    EXPECT_EQ(d.summary.children.size(), d.sections.size());
    auto chunks = lib_->chunks(d.document.id);
    size_t covered = 0;
    for (const auto& s : d.sections) {
      EXPECT_EQ(s.parent_id, d.summary.id);
      EXPECT_GT(s.line_first, 0);
      EXPECT_GE(s.line_last, s.line_first);
      EXPECT_EQ(s.source_hash.size(), 16u);
      covered += s.children.size();
    }
    EXPECT_EQ(covered, chunks->size());  // every chunk is under exactly one section
    nodes += 1 + static_cast<int64_t>(d.sections.size());
  }
  EXPECT_EQ(tree->built, nodes);
  EXPECT_EQ(tree->map.calls + tree->reduce.calls, nodes);
  // Stored as built: reading back gives the same tree.
  const auto stored = documentSummaryNodes(lib_->db(), tree->documents[0].document.id, "extractive");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), tree->documents[0].sections.size() + 1);
}

TEST_F(SummaryTreeTest, SecondBuildReusesEverything) {
  auto first = build();
  ASSERT_TRUE(first);
  const auto before = idsByDoc();
  auto second = build();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->built, 0);
  EXPECT_EQ(second->reused, first->built);
  EXPECT_EQ(second->collection->id, first->collection->id);
  EXPECT_EQ(idsByDoc(), before);
}

// A rerun over an unchanged library writes nothing: on a 20,000-file collection the rewrite of every
// reused node's placement, one commit each, made a rerun that built nothing take minutes.
TEST_F(SummaryTreeTest, SecondBuildWritesNoRow) {
  auto first = build();
  ASSERT_TRUE(first);
  const auto before = lib_->db().queryInt("SELECT total_changes()");
  ASSERT_TRUE(before);
  auto second = build();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->built, 0);
  EXPECT_EQ(*lib_->db().queryInt("SELECT total_changes()"), *before);
  // And the tree read back is still whole: sections under their document, documents under the collection.
  for (const auto& d : second->documents) {
    EXPECT_EQ(d.summary.parent_id, second->collection->id);
    for (const auto& sec : d.sections) EXPECT_EQ(sec.parent_id, d.summary.id);
    const auto stored = documentSummaryNodes(lib_->db(), d.document.id, "extractive");
    ASSERT_TRUE(stored);
    for (const auto& n : *stored)
      EXPECT_EQ(n.parent_id, n.level == kSectionLevel ? std::optional<int64_t>(d.summary.id)
                                                       : std::optional<int64_t>(second->collection->id));
  }
}

// SQLite virtual-machine steps (in tens) of a rerun over a collection, per reused node.
double rerunStepsPerNode(ingest::Database& db, const std::function<Result<SummaryTree>()>& rerun) {
  int64_t steps = 0;
  sqlite3_progress_handler(db.handle(), 10, [](void* n) {
    ++*static_cast<int64_t*>(n);
    return 0;
  }, &steps);
  auto tree = rerun();
  sqlite3_progress_handler(db.handle(), 0, nullptr, nullptr);
  EXPECT_TRUE(tree) << tree.error().message;
  EXPECT_EQ(tree->built, 0);
  return static_cast<double>(steps) / static_cast<double>(tree->reused);
}

// The database work of a rerun per reused node does not grow with the collection: each node lookup and
// each document's clean-up scanned every node of the collection (SQLite chose the collection index),
// so a rerun that built nothing over a 20,000-file collection took 25 minutes.
TEST_F(SummaryTreeTest, RerunWorkPerNodeDoesNotGrowWithTheCollection) {
  for (const auto& [name, files] : {std::pair<std::string, int>{"small", 8}, {"large", 64}}) {
    fs::create_directories(dir_ / name);
    for (int i = 0; i < files; ++i) write(dir_ / name / (name + std::to_string(i) + ".md"), doc(name + std::to_string(i), 2));
    ingestFolder(dir_ / name, name);
    ASSERT_TRUE(buildCollection(name));
  }
  const double small = rerunStepsPerNode(lib_->db(), [&] { return buildCollection("small"); });
  const double large = rerunStepsPerNode(lib_->db(), [&] { return buildCollection("large"); });
  EXPECT_LT(large, 1.5 * small) << "steps/10 per node: " << small << " (8 files), " << large << " (64 files)";
}

// The progress total is known from the first report: it grew document by document (a collection of
// 20,000 files went from "1/20001" to "60001/60001"), so the fraction shown meant nothing.
TEST_F(SummaryTreeTest, ProgressTotalIsKnownFromTheStart) {
  std::vector<SummaryProgress> seen;
  auto tree = build(nullptr, [&](const SummaryProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(tree);
  ASSERT_FALSE(seen.empty());
  for (const auto& p : seen) EXPECT_EQ(p.total, seen.back().total) << p.done << " " << p.current;
  EXPECT_EQ(seen.back().done, seen.back().total);
  EXPECT_EQ(seen.back().total, tree->built);
}

TEST_F(SummaryTreeTest, ChangedSourceRebuildsOnlyItsDocument) {
  auto first = build();
  ASSERT_TRUE(first);
  const auto before = idsByDoc();
  write(dir_ / "src" / "beta.md", doc("beta", 2) + "## beta appendix\n\nA new obligation: the beta audit happens yearly.\n");
  ingestAll();
  auto second = build();
  ASSERT_TRUE(second) << second.error().message;
  const auto after = idsByDoc();
  EXPECT_EQ(after.at("alpha.md"), before.at("alpha.md"));
  EXPECT_EQ(after.at("gamma.md"), before.at("gamma.md"));
  EXPECT_NE(after.at("beta.md"), before.at("beta.md"));
  // beta: at least the new section and its document node; nothing of alpha or gamma. (The collection
  // node is rebuilt only when the document summaries' text changed.)
  EXPECT_GE(second->built, 2);
  const auto& beta = second->documents[1];
  ASSERT_EQ(beta.document.rel_path, "beta.md");
  EXPECT_NE(beta.summary.id, first->documents[1].summary.id);
  bool saw_appendix = false;
  for (const auto& s : beta.sections) saw_appendix |= s.heading.find("appendix") != std::string::npos;
  EXPECT_TRUE(saw_appendix);
  // The collection node points at the new beta node.
  const auto& kids = second->collection->children;
  EXPECT_NE(std::find(kids.begin(), kids.end(), beta.summary.id), kids.end());
  const auto stored = collectionSummaryNode(lib_->db(), collection(), "extractive");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->children, kids);
  // Nothing stale is left: per document exactly its sections + 1; one collection node.
  for (const auto& d : second->documents)
    EXPECT_EQ(after.at(d.document.rel_path).size(), d.sections.size() + 1) << d.document.rel_path;
  EXPECT_EQ(summaryNodeIds(lib_->db(), std::nullopt)->size(), 1u);
}

TEST_F(SummaryTreeTest, CancelledBuildResumes) {
  std::atomic<bool> cancel{false};
  int64_t seen = 0;
  auto cancelled_build = build(&cancel, [&](const SummaryProgress& p) {
    seen = p.done;
    if (p.done == 2) cancel = true;
  });
  ASSERT_FALSE(cancelled_build);
  EXPECT_EQ(cancelled_build.error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(seen, 2);
  auto resumed = build();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->reused, 2);  // the two nodes stored before the cancel
  auto again = build();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->built, 0);
}

// The extractive summarizer of one version, as an older build of Folio had it.
class ExtractiveOfVersion final : public Summarizer {
 public:
  ExtractiveOfVersion(const ingest::TokenCounter& tokens, int version) : inner_(tokens), version_(version) {}
  std::string identity() const override { return inner_.identity(); }
  std::string modelName() const override { return inner_.modelName(); }
  bool usesModel() const override { return false; }
  int version() const override { return version_; }
  Result<std::string> summarize(const SummaryRequest& request, StageUsage& usage,
                                const std::atomic<bool>* cancel) override {
    return inner_.summarize(request, usage, cancel);
  }

 private:
  ExtractiveSummarizer inner_;
  int version_;
};

// Summaries written by an older summarizer (the extractive one quoted headings until version 2) are
// rebuilt once, and the old nodes go; before, the reuse key had no version and they were kept forever.
TEST_F(SummaryTreeTest, ANewSummarizerVersionRebuildsAndReplacesTheOldNodes) {
  ExtractiveOfVersion v1(counter_, 1);
  auto first = buildWith(v1);
  ASSERT_TRUE(first) << first.error().message;
  const int64_t nodes = *lib_->db().queryInt("SELECT count(*) FROM summary_nodes");
  ExtractiveOfVersion v2(counter_, 2);
  auto second = buildWith(v2);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->reused, 0);
  EXPECT_EQ(second->built, first->built);
  EXPECT_EQ(*lib_->db().queryInt("SELECT count(*) FROM summary_nodes"), nodes);  // the old ones went
  auto third = buildWith(v2);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->built, 0);
  // Version 1 keys are the plain hashes stored before versions existed: a model's summaries stay valid.
  std::vector<std::string> texts;
  for (const auto& d : first->documents) texts.push_back(d.document.rel_path + ": " + d.summary.text);
  EXPECT_EQ(first->collection->source_hash, sourceHash(texts));
  ExtractiveSummarizer current(counter_);
  EXPECT_EQ(current.version(), 3);  // 3: code summarized from its comments
}

// A question whose documents fit inline places the stored section summaries between them, but not
// those an older summarizer version wrote (nothing rebuilds them on that path).
TEST_F(SummaryTreeTest, InlineQuestionsLeaveOutSummariesOfAnOlderVersion) {
  AskOptions o;
  o.question = "What notice does the alpha rule require?";
  o.collection = "notes";
  o.tree.section_input_tokens = 120;  // the sections the fixture's builds make
  o.store = false;
  ExtractiveOfVersion v1(counter_, 1);
  ASSERT_TRUE(buildWith(v1));
  auto old = ask(*lib_, nullptr, o);
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->plan.mode, kModeInline);
  EXPECT_EQ(old->plan.summary_tokens, 0);
  ASSERT_TRUE(build());
  auto current = ask(*lib_, nullptr, o);
  ASSERT_TRUE(current) << current.error().message;
  EXPECT_TRUE(current->plan.inline_summaries);
  EXPECT_GT(current->plan.summary_tokens, 0);
}

}  // namespace
}  // namespace folio::app
