// Reports: Markdown, HTML and PDF for an answer, a session and a document summary of the samples; the
// PDF opens with Poppler and holds the citation; the heatmap is a sibling PNG / data URI / PDF image;
// an interrupted export leaves no file behind.
#include <gtest/gtest.h>

#include <poppler-document.h>
#include <poppler-page.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "app/pipeline/answer_store.h"
#include "app/pipeline/ask.h"
#include "app/report/gui_app.h"
#include "app/report/report_builder.h"
#include "app/report/report_render.h"
#include "engine/common/file_io.h"
#include "ingest/ingest_job.h"
#include "support/run_process.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string pdfText(const fs::path& p) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(p.string()));
  if (!doc) return {};
  std::string all;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    const auto bytes = page->text().to_utf8();
    all.append(bytes.begin(), bytes.end());
    all += '\n';
  }
  return all;
}

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { gui_ = new EnsureGuiApp(); }
  static void TearDownTestSuite() {
    delete gui_;
    gui_ = nullptr;
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-report-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out");
    lib_path_ = dir_ / "lib.sqlite";
    auto lib = ingest::Library::open(lib_path_);
    ASSERT_TRUE(lib) << lib.error().message;
    lib_.emplace(std::move(*lib));
    ingest::IngestOptions opt;
    opt.collection = "samples";
    opt.worker_threads = 1;
    const fs::path samples = fs::path(FOLIO_RESOURCES_DIR) / "samples";
    std::vector<fs::path> roots{samples / "contracts" / "services-agreement.pdf", samples / "papers" / "decay-gated-retrieval.pdf"};
    ingest::EstimatingTokenCounter counter;
    auto rep = ingest::runIngest(*lib_, roots, opt, counter);
    ASSERT_TRUE(rep) << rep.error().message;
    AskOptions ask_opt;
    ask_opt.question = "What is the notice period for termination for material breach?";
    ask_opt.collection = "samples";
    auto a = ask(*lib_, nullptr, ask_opt);
    ASSERT_TRUE(a) << a.error().message;
    answer_id_ = a->id;
  }
  void TearDown() override {
    lib_.reset();
    fs::remove_all(dir_);
  }
  int64_t docId(const std::string& name) {
    auto docs = lib_->documents();
    if (!docs) return 0;
    for (const auto& d : *docs)
      if (d.rel_path.find(name) != std::string::npos) return d.id;
    return 0;
  }
  static Report withRouting() {
    Report r;
    r.title = "Routing report";
    ReportSection s;
    s.heading = "Q";
    s.label = "Model answer (test)";
    s.body = "Body [1]";
    s.sources.push_back({"[1]", "a.pdf", "10.2", "page 4, lines 14–17", "10.2 Either Party may terminate"});
    s.routing.reset(4, 8);
    for (int l = 0; l < 4; ++l)
      for (int e = 0; e < 8; ++e) s.routing.counts[static_cast<size_t>(l * 8 + e)] = (l + 1) * e;
    r.sections.push_back(s);
    return r;
  }

  static EnsureGuiApp* gui_;
  fs::path dir_, lib_path_;
  std::optional<ingest::Library> lib_;
  int64_t answer_id_ = 0;
};
EnsureGuiApp* ReportTest::gui_ = nullptr;

TEST_F(ReportTest, AnswerInAllThreeFormats) {
  auto report = answerReport(*lib_, answer_id_);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->sections.size(), 1u);
  EXPECT_EQ(report->sections[0].label, "Extractive answer (no model loaded)");
  for (auto [fmt, name] : {std::pair{ReportFormat::Markdown, "a.md"}, {ReportFormat::Html, "a.html"}, {ReportFormat::Pdf, "a.pdf"}}) {
    auto files = exportReport(*report, fmt, dir_ / "out" / name);
    ASSERT_TRUE(files) << files.error().message;
    ASSERT_EQ(files->size(), 1u);  // no routing without a model: no image
  }
  const auto md = slurp(dir_ / "out" / "a.md");
  EXPECT_NE(md.find("# Folio answer"), std::string::npos);
  EXPECT_NE(md.find("Extractive answer (no model loaded)"), std::string::npos);
  EXPECT_NE(md.find("services-agreement.pdf › 10. Term and Termination › 10.2 (page 4, lines 14–17)"), std::string::npos) << md;
  EXPECT_NE(md.find("### Budgets"), std::string::npos);
  const auto html = slurp(dir_ / "out" / "a.html");
  EXPECT_NE(html.find("<h3>Sources</h3>"), std::string::npos);
  EXPECT_NE(html.find("10.2 Either Party may terminate"), std::string::npos);
  const auto pdf = slurp(dir_ / "out" / "a.pdf");
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  const auto text = pdfText(dir_ / "out" / "a.pdf");
  EXPECT_NE(text.find("10.2"), std::string::npos) << text;
  EXPECT_NE(text.find("page 4"), std::string::npos) << text;
  EXPECT_NE(text.find("material breach"), std::string::npos);
}

// A model's answer names the model as people know it, not the identity hash stored beside it.
TEST_F(ReportTest, ModelAnswerNamesItsModelInAllThreeFormats) {
  AnswerRecord a;
  a.question = "Who may terminate?";
  a.model = "fnv1a64:0123456789abcdef/fedcba9876543210";
  a.model_name = "MiniMax-M1-40k — minimax_m1, 456B parameters, τ 0.5";
  a.text = "Either party [1].";
  ASSERT_TRUE(storeAnswer(lib_->db(), a));
  auto report = answerReport(*lib_, a.id);
  ASSERT_TRUE(report) << report.error().message;
  const std::string label = "Model answer (" + a.model_name + ")";
  for (auto [fmt, name] : {std::pair{ReportFormat::Markdown, "m.md"}, {ReportFormat::Html, "m.html"}, {ReportFormat::Pdf, "m.pdf"}}) {
    auto files = exportReport(*report, fmt, dir_ / "out" / name);
    ASSERT_TRUE(files) << files.error().message;
  }
  const auto md = slurp(dir_ / "out" / "m.md");
  EXPECT_NE(md.find("**" + label + "**"), std::string::npos) << md;
  EXPECT_NE(md.find(a.model), std::string::npos) << "the identity is still listed among the facts";
  EXPECT_NE(slurp(dir_ / "out" / "m.html").find(label), std::string::npos);
  const auto text = pdfText(dir_ / "out" / "m.pdf");
  EXPECT_NE(text.find("MiniMax-M1-40k"), std::string::npos) << text;
  EXPECT_NE(text.find("456B parameters"), std::string::npos) << text;
  EXPECT_EQ(text.find("fnv1a64:0123456789abcdef/fedcba9876543210)"), std::string::npos) << text;
}

// A model's answer can hold any byte token; control characters are not allowed in HTML.
TEST_F(ReportTest, HtmlReplacesControlCharacters) {
  Report r = withRouting();
  r.sections[0].body = std::string("before\x01\x1b[0m\x7f after\tand\nline");
  const auto html = renderHtml(r, {});
  for (char c : html) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_FALSE((u < 0x20 && c != '\n' && c != '\t' && c != '\r') || u == 0x7f) << "control byte " << int(u);
  }
  EXPECT_NE(html.find("before\xEF\xBF\xBD\xEF\xBF\xBD[0m\xEF\xBF\xBD after\tand<br>line"), std::string::npos) << html;
}

TEST_F(ReportTest, DocumentSummaryAndSession) {
  auto doc = documentReport(*lib_, docId("decay-gated-retrieval"));
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_EQ(doc->sections.size(), 1u);
  EXPECT_EQ(doc->sections[0].label, "Extractive summary (no model loaded)");
  EXPECT_FALSE(doc->sections[0].body.empty());
  EXPECT_GT(doc->sections[0].sources.size(), 1u);
  auto files = exportReport(*doc, ReportFormat::Pdf, dir_ / "out" / "paper.pdf");
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_NE(pdfText(dir_ / "out" / "paper.pdf").find("§1"), std::string::npos);
  ASSERT_TRUE(exportReport(*doc, ReportFormat::Markdown, dir_ / "out" / "paper.md"));
  EXPECT_NE(slurp(dir_ / "out" / "paper.md").find("Summary of"), std::string::npos);

  AskOptions second;
  second.question = "How soon must a personal data breach be notified?";
  second.collection = "samples";
  ASSERT_TRUE(ask(*lib_, nullptr, second));
  auto session = sessionReport(*lib_, "samples");
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->sections.size(), 2u);
  ASSERT_TRUE(exportReport(*session, ReportFormat::Html, dir_ / "out" / "session.html"));
  const auto html = slurp(dir_ / "out" / "session.html");
  EXPECT_NE(html.find("material breach"), std::string::npos);
  EXPECT_NE(html.find("data breach"), std::string::npos);
  EXPECT_FALSE(sessionReport(*lib_, "nope"));
}

TEST_F(ReportTest, HeatmapAsSiblingPngDataUriAndPdfImage) {
  const auto r = withRouting();
  auto md = exportReport(r, ReportFormat::Markdown, dir_ / "out" / "r.md");
  ASSERT_TRUE(md) << md.error().message;
  ASSERT_EQ(md->size(), 2u);
  const auto png = slurp(dir_ / "out" / "r-routing-1.png");
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_NE(slurp(dir_ / "out" / "r.md").find("](r-routing-1.png)"), std::string::npos);
  ASSERT_TRUE(exportReport(r, ReportFormat::Html, dir_ / "out" / "r.html"));
  EXPECT_NE(slurp(dir_ / "out" / "r.html").find("src=\"data:image/png;base64,"), std::string::npos);
  ASSERT_TRUE(exportReport(r, ReportFormat::Pdf, dir_ / "out" / "r.pdf"));
  auto no_routing = r;
  no_routing.sections[0].routing = {};
  ASSERT_TRUE(exportReport(no_routing, ReportFormat::Pdf, dir_ / "out" / "plain.pdf"));
  EXPECT_GT(fs::file_size(dir_ / "out" / "r.pdf"), fs::file_size(dir_ / "out" / "plain.pdf") + 500);
}

TEST_F(ReportTest, InterruptedExportLeavesNoFile) {
  const auto r = withRouting();
  // The report write fails after the heatmap PNG was written: the PNG is removed again.
  int calls = 0;
  FileWriter fail_second = [&](const fs::path& p, std::string_view bytes) -> Status {
    if (++calls == 2) return ioError(p.string() + ": disk full (injected)");
    return writeFileAtomic(p, bytes);
  };
  auto res = exportReport(r, ReportFormat::Markdown, dir_ / "out" / "x.md", fail_second);
  ASSERT_FALSE(res);
  EXPECT_NE(res.error().message.find("injected"), std::string::npos);
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(fs::is_empty(dir_ / "out"));
  // A target directory that cannot be written to: nothing appears, not even a temporary file.
  for (auto fmt : {ReportFormat::Markdown, ReportFormat::Html, ReportFormat::Pdf}) {
    auto bad = exportReport(r, fmt, dir_ / "out" / "missing-dir" / "x.out");
    EXPECT_FALSE(bad);
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "out"));
  // The command line: exit code non-zero and no partial file.
  auto cli = test::runProcess({FOLIO_BINARY, "report", "--library", lib_path_.string(), "--answer",
                               std::to_string(answer_id_), "--format", "pdf", "--out", (dir_ / "out" / "no" / "a.pdf").string()});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_TRUE(fs::is_empty(dir_ / "out"));
}

// A target the export cannot write says so in words that name the folder or the file, not the hidden
// temporary file the atomic writer would have created.
TEST_F(ReportTest, ExportToAMissingFolderOrToAFolderSaysSo) {
  const auto r = withRouting();
  for (auto fmt : {ReportFormat::Markdown, ReportFormat::Html, ReportFormat::Pdf}) {
    auto missing = exportReport(r, fmt, dir_ / "out" / "missing dir" / "x.out");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message,
              (dir_ / "out" / "missing dir" / "x.out").string() + ": the folder " + (dir_ / "out" / "missing dir").string() +
                  " does not exist");
    auto folder = exportReport(r, fmt, dir_ / "out");
    ASSERT_FALSE(folder);
    EXPECT_EQ(folder.error().message, (dir_ / "out").string() + ": is a folder; give a file name to export to");
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "out"));
}

TEST_F(ReportTest, CommandLineWritesEachFormat) {
  lib_.reset();  // the child process opens the library
  for (const char* fmt : {"md", "html", "pdf"}) {
    const auto out = dir_ / "out" / (std::string("cli.") + fmt);
    auto r = test::runProcess({FOLIO_BINARY, "report", "--library", lib_path_.string(), "--answer",
                               std::to_string(answer_id_), "--format", fmt, "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
  }
  EXPECT_NE(pdfText(dir_ / "out" / "cli.pdf").find("10.2"), std::string::npos);
  auto bad = test::runProcess({FOLIO_BINARY, "report", "--library", lib_path_.string(), "--answer", "1", "--format",
                               "docx", "--out", (dir_ / "out" / "x.docx").string()});
  EXPECT_EQ(bad.exit_code, 64);
  auto none = test::runProcess({FOLIO_BINARY, "report", "--library", lib_path_.string(), "--answer", "999", "--format",
                                "md", "--out", (dir_ / "out" / "x.md").string()});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "out" / "x.md"));
}

}  // namespace

// A table (a review's documents against its questions): a Markdown and an HTML table with each cell's
// note under its text, a landscape PDF, and CSV that Excel opens as UTF-8 with the notes in columns of
// their own, quoted where needed, and a cell that would run as a formula written as text.
TEST_F(ReportTest, TablesAsMarkdownHtmlPdfAndCsv) {
  Report r;
  r.title = "Review of 2 documents";
  r.wide = true;
  ReportSection s;
  s.heading = "Review";
  s.label = "Extractive";
  ReportTable t;
  t.header = {"Document", "Governing law?", "Cap"};
  t.rows.push_back({{"msa.pdf", ""}, {"Delaware law governs, \"exclusively\".", "14.2 Governing Law, p. 9"}, {"-12.5", ""}});
  t.rows.push_back({{"nda.docx", ""}, {"=HYPERLINK(\"http://x\")", "3 | Law"}, {"not found", ""}});
  s.tables.push_back(t);
  r.sections.push_back(s);
  auto md = exportReport(r, ReportFormat::Markdown, dir_ / "out" / "t.md");
  ASSERT_TRUE(md) << md.error().message;
  const auto mdText = slurp(dir_ / "out" / "t.md");
  EXPECT_NE(mdText.find("| Document | Governing law? | Cap |\n|---|---|---|\n"), std::string::npos) << mdText;
  EXPECT_NE(mdText.find("| Delaware law governs, \"exclusively\".<br>*14.2 Governing Law, p. 9* |"), std::string::npos);
  EXPECT_NE(mdText.find("<br>*3 \\| Law*"), std::string::npos);
  ASSERT_TRUE(exportReport(r, ReportFormat::Html, dir_ / "out" / "t.html"));
  const auto html = slurp(dir_ / "out" / "t.html");
  EXPECT_NE(html.find("<th>Governing law?</th>"), std::string::npos);
  EXPECT_NE(html.find("max-width:none"), std::string::npos);
  EXPECT_NE(html.find("14.2 Governing Law, p. 9</span>"), std::string::npos);
  ASSERT_TRUE(exportReport(r, ReportFormat::Pdf, dir_ / "out" / "t.pdf"));
  EXPECT_NE(pdfText(dir_ / "out" / "t.pdf").find("Delaware"), std::string::npos);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file((dir_ / "out" / "t.pdf").string()));
  ASSERT_TRUE(doc);
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  EXPECT_GT(page->page_rect().width(), page->page_rect().height());  // landscape
  ASSERT_TRUE(exportReport(r, ReportFormat::Csv, dir_ / "out" / "t.csv"));
  EXPECT_EQ(slurp(dir_ / "out" / "t.csv"),
            "\xEF\xBB\xBF"
            "Document,Governing law?,Governing law? (where),Cap\r\n"
            "msa.pdf,\"Delaware law governs, \"\"exclusively\"\".\",\"14.2 Governing Law, p. 9\",-12.5\r\n"
            "nda.docx,\"'=HYPERLINK(\"\"http://x\"\")\",3 | Law,not found\r\n");
  // A column's notes may be named for what they are.
  r.sections[0].tables[0].note_headers = {"", "Clause"};
  auto named = renderCsv(r);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->find("\xEF\xBB\xBF" "Document,Governing law?,Clause,Cap\r\n"), 0u) << *named;
  // A report without a table has nothing to write as CSV, and says so.
  auto none = exportReport(withRouting(), ReportFormat::Csv, dir_ / "out" / "none.csv");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("has no table to write as CSV"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "out" / "none.csv"));
  EXPECT_EQ(*parseReportFormat("csv"), ReportFormat::Csv);
}

}  // namespace folio::app
