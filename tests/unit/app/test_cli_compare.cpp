// `folio compare` through the real binary: two files outside any library (a text file and a PDF of the
// same agreement with two changes), JSON, the redline export, documents named by id and by file name
// in a library (an ambiguous name lists its documents), folders of versions (and the same folders
// zipped: an ingested zip is compared as the folder it holds), and errors that name what was asked for.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bench/bench_pdf_writer.h"
#include "support/docx_writer.h"
#include "support/run_process.h"

namespace fs = std::filesystem;
using folio::test::runProcess;

namespace {

const char* kOld =
    "SUPPLY AGREEMENT\n\n1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within thirty (30) days of receipt.\n\n"
    "1.2 Late Payment. Late payments bear interest at 1% a month.\n\n2. Insurance\n\n2.1 Cover. The Supplier shall "
    "maintain professional indemnity insurance of at least EUR 1,000,000.\n\n3. Term\n\n3.1 Duration. This agreement "
    "runs for two years from the Effective Date.\n\n3.2 Termination. Either party may terminate this agreement on "
    "ninety days written notice to the other party.\n";

// The new version as a PDF: lines wrapped elsewhere, clause 2 gone (3 renumbered 2), thirty → sixty.
const std::vector<std::vector<std::string>> kNewPages = {
    {"SUPPLY AGREEMENT", "1. Payment", "1.1 Fees. The Customer shall pay each invoice within sixty (60)",
     "days of receipt.", "1.2 Late Payment. Late payments bear interest at 1% a month."},
    {"2. Term", "2.1 Duration. This agreement runs for two years from the Effective Date.",
     "2.2 Termination. Either party may terminate this agreement on ninety days written notice to",
     "the other party."}};

class CliCompare : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("folio-cli-compare-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "v1");
    fs::create_directories(dir_ / "v2");
    write(dir_ / "v1" / "supply.txt", kOld);
    write(dir_ / "v2" / "supply.pdf", folio::bench::writeTextPdf(kNewPages, "Supply Agreement"));
    lib_ = (dir_ / "lib.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void write(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }
  folio::test::ProcessResult folio(std::vector<std::string> args) {
    args.insert(args.begin(), FOLIO_BINARY);
    return runProcess(args, {{"XDG_DATA_HOME", dir_.string()}});
  }

  fs::path dir_;
  std::string lib_;
};

}  // namespace

TEST_F(CliCompare, TwoFilesOutsideALibrary) {
  auto r = folio({"compare", (dir_ / "v1" / "supply.txt").string(), (dir_ / "v2" / "supply.pdf").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[-thirty (30)-]{+sixty (60)+}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("clause removed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Renumbered: 3 → 2, 3.1 → 2.1, 3.2 → 2.2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 differences: 1 in the text, 1 removed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("not in the library"), std::string::npos);

  auto j = folio({"compare", "--json", (dir_ / "v1" / "supply.txt").string(), (dir_ / "v2" / "supply.pdf").string()});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto json = nlohmann::json::parse(j.out);
  ASSERT_EQ(json["changes"].size(), 2u);
  EXPECT_EQ(json["changes"][0]["kind"], "replaced");
  EXPECT_EQ(json["changes"][0]["new"]["page_first"], 1);
  EXPECT_EQ(json["changes"][1]["kind"], "clause removed");
  EXPECT_TRUE(json["old"]["document_id"].is_null());
}

TEST_F(CliCompare, ExportsARedline) {
  const fs::path out = dir_ / "redline.html";
  auto r = folio({"compare", "--format", "html", "--out", out.string(), (dir_ / "v1" / "supply.txt").string(),
                  (dir_ / "v2" / "supply.pdf").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("line-through\">thirty (30)</span>"), std::string::npos);
  EXPECT_NE(html.find("underline\">sixty (60)</span>"), std::string::npos);
  auto bad = folio({"compare", "--format", "html", (dir_ / "v1" / "supply.txt").string(), (dir_ / "v2" / "supply.pdf").string()});
  EXPECT_EQ(bad.exit_code, 64);
}

TEST_F(CliCompare, LibraryDocumentsByIdAndByName) {
  write(dir_ / "v2" / "other.txt", kOld);
  write(dir_ / "v1" / "other.txt", kOld);
  auto ingest = folio({"ingest", "--library", lib_, (dir_ / "v1").string(), (dir_ / "v2").string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto r = folio({"compare", "--library", lib_, "v1/supply.txt", "supply.pdf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[-thirty (30)-]{+sixty (60)+}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(document "), std::string::npos) << r.out;

  auto docs = folio({"docs", "--library", lib_, "--json"});
  const auto list = nlohmann::json::parse(docs.out)["documents"];
  std::string pdf_id;
  for (const auto& d : list) {
    if (d["path"].get<std::string>().ends_with("supply.pdf")) pdf_id = std::to_string(d["id"].get<int64_t>());
  }
  ASSERT_FALSE(pdf_id.empty()) << docs.out;
  auto by_id = folio({"compare", "--library", lib_, pdf_id, pdf_id});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_NE(by_id.out.find("no differences in the text"), std::string::npos) << by_id.out;

  auto ambiguous = folio({"compare", "--library", lib_, "other.txt", "supply.pdf"});
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_NE(ambiguous.err.find("other.txt names 2 documents"), std::string::npos) << ambiguous.err;
}

TEST_F(CliCompare, ErrorsNameWhatWasAskedFor) {
  auto missing = folio({"compare", (dir_ / "v1" / "supply.txt").string(), (dir_ / "nope.docx").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.docx: no such document in the library"), std::string::npos) << missing.err;
  auto no_id = folio({"compare", "--library", lib_, "12345", "12346"});
  EXPECT_NE(no_id.exit_code, 0);
  write(dir_ / "blob.bin", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16) + std::string(4000, '\0'));
  auto binary = folio({"compare", (dir_ / "blob.bin").string(), (dir_ / "v1" / "supply.txt").string()});
  EXPECT_EQ(binary.exit_code, 2);
  EXPECT_NE(binary.err.find("blob.bin"), std::string::npos) << binary.err;
}

TEST_F(CliCompare, FoldersOfVersions) {
  // March: supply.txt, notes.txt, old.txt. April: the supply agreement re-signed as a PDF under another
  // name, notes.txt unchanged, old.txt gone, new.txt added.
  const std::string notes = "Meeting notes. The parties met on 3 March to discuss the draft and agreed to revise the fees.\n";
  write(dir_ / "v1" / "notes.txt", notes);
  write(dir_ / "v2" / "notes.txt", notes);
  write(dir_ / "v1" / "old.txt", "An obsolete side letter about parking spaces at the Supplier's premises, now withdrawn.\n");
  write(dir_ / "v2" / "new.txt", "A new side letter granting the Customer access to the Supplier's training courses.\n");
  fs::rename(dir_ / "v2" / "supply.pdf", dir_ / "v2" / "supply-signed.pdf");
  auto without = folio({"compare", (dir_ / "v1").string(), (dir_ / "v2").string()});
  EXPECT_EQ(without.exit_code, 2);
  EXPECT_NE(without.err.find("ingest both first"), std::string::npos) << without.err;

  auto ingest = folio({"ingest", "--library", lib_, (dir_ / "v1").string(), (dir_ / "v2").string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto r = folio({"compare", "--library", lib_, (dir_ / "v1").string(), (dir_ / "v2").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 changed, 1 added, 1 removed, 1 unchanged"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("changed      supply.txt → supply-signed.pdf (matched by its text): 2 differences"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("added        new.txt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("removed      old.txt"), std::string::npos) << r.out;

  auto j = folio({"compare", "--library", lib_, "--json", (dir_ / "v1").string(), (dir_ / "v2").string()});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto json = nlohmann::json::parse(j.out);
  EXPECT_EQ(json["counts"]["unchanged"], 1);
  EXPECT_EQ(json["documents"][0]["change"], "changed");
  EXPECT_TRUE(json["documents"][0]["paired_by_text"].get<bool>());

  fs::create_directories(dir_ / "v3");
  auto empty = folio({"compare", "--library", lib_, (dir_ / "v1").string(), (dir_ / "v3").string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("ingest it first"), std::string::npos) << empty.err;
}

// A data room's March and April exports as zips, ingested: compared as the folders they hold. Two zips
// never ingested are compared as files (each read as one text).
TEST_F(CliCompare, ZippedFoldersOfVersions) {
  const std::string notes = "Meeting notes. The parties met on 3 March to discuss the draft and agreed to revise the fees.\n";
  write(dir_ / "march.zip", folio::test::zipBytes({{"supply.txt", kOld}, {"notes.txt", notes}}));
  write(dir_ / "april.zip", folio::test::zipBytes({{"notes.txt", notes}, {"side-letter.txt", "A side letter on training courses.\n"}}));
  auto as_files = folio({"compare", (dir_ / "march.zip").string(), (dir_ / "april.zip").string()});
  ASSERT_EQ(as_files.exit_code, 0) << as_files.err;
  EXPECT_NE(as_files.out.find("not in the library"), std::string::npos) << as_files.out;

  auto ingest = folio({"ingest", "--library", lib_, (dir_ / "march.zip").string(), (dir_ / "april.zip").string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto r = folio({"compare", "--library", lib_, (dir_ / "march.zip").string(), (dir_ / "april.zip").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Comparing folders"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 added, 1 removed, 1 unchanged"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("added        side-letter.txt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("removed      supply.txt"), std::string::npos) << r.out;
}
