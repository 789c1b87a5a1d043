// OCR languages (folio ingest --ocr-lang): Tesseract's syntax checked, a language whose data is not
// installed fails the ingest before anything is read (naming it, its package and what is installed), a
// collection keeps its setting for later ingests, and its scans read in other languages are read again.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ingest/extract.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/ocr_languages.h"
#include "ingest/pdf_ocr.h"
#include "support/scanned_pdf.h"
#include "unit/ingest/test_library_util.h"

namespace folio::ingest {
namespace {

bool installed(std::string_view language) {
  const auto data = ocrLanguageData();
  return std::find(data.installed.begin(), data.installed.end(), language) != data.installed.end();
}

TEST(OcrLanguages, TesseractsSyntaxIsParsed) {
  EXPECT_EQ(*parseOcrLanguages("eng"), std::vector<std::string>{"eng"});
  EXPECT_EQ(*parseOcrLanguages("deu+eng"), (std::vector<std::string>{"deu", "eng"}));
  EXPECT_EQ(*parseOcrLanguages("chi_sim+script/Latin"), (std::vector<std::string>{"chi_sim", "script/Latin"}));
  for (const char* bad : {"", "+eng", "deu+", "deu++eng", "../eng", "de u", "script/", "script/../x", "~eng"}) {
    auto r = parseOcrLanguages(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::BadInput);
    EXPECT_NE(r.error().message.find("deu+eng"), std::string::npos) << r.error().message;  // says the syntax
  }
}

TEST(OcrLanguages, DebianPackagesAreNamedAfterTheLanguage) {
  EXPECT_EQ(ocrLanguagePackage("deu"), "tesseract-ocr-deu");
  EXPECT_EQ(ocrLanguagePackage("chi_sim"), "tesseract-ocr-chi-sim");
}

TEST(OcrLanguages, InstalledDataIsListedFromTesseractsFolder) {
  const auto data = ocrLanguageData();
  EXPECT_FALSE(data.folder.empty());
  EXPECT_TRUE(installed("eng"));  // tesseract-ocr-eng is a dependency
  EXPECT_FALSE(installed("osd"));  // orientation data, no language
  EXPECT_TRUE(checkOcrLanguages("eng"));
  EXPECT_TRUE(checkOcrLanguages("eng+eng"));
}

TEST(OcrLanguages, AMissingLanguageIsNamedWithItsPackageAndWhatIsInstalled) {
  auto missing = checkOcrLanguages("eng+xqz");
  ASSERT_FALSE(missing);
  const std::string& m = missing.error().message;
  EXPECT_NE(m.find("OCR language \"xqz\" is not installed"), std::string::npos) << m;
  EXPECT_NE(m.find("tesseract-ocr-xqz"), std::string::npos) << m;
  EXPECT_NE(m.find(ocrLanguageData().folder), std::string::npos) << m;
  EXPECT_NE(m.find("installed: "), std::string::npos) << m;
  EXPECT_NE(m.find("eng"), std::string::npos) << m;
}

// Read without the ingest's check (a library's setting from elsewhere): the page is noted unread, why
// naming the package, and read by a later ingest once it is installed (ocrMayReadUnreadPages).
TEST(OcrLanguages, AScanReadInAMissingLanguageIsNotedWithItsPackage) {
  folio::test::PdfPageSpec scan;
  scan.image = folio::test::renderTextPage({"Page one"}, 100);
  ExtractOptions options;
  options.ocr_languages = "xqz";
  auto r = extractBytes(folio::test::writeMixedPdf({scan}), SourceType{SourceKind::Pdf, ""}, "scan.pdf", options);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->unread_pages, 1);
  EXPECT_NE(r->ocr_problem.find("tesseract-ocr-xqz"), std::string::npos) << r->ocr_problem;
  EXPECT_TRUE(ocrMayReadUnreadPages(unreadPagesNote(1, 1, r->ocr_problem)));
}

// A folder with a scanned PDF, ingested into a library in the same temporary folder.
struct LanguageLibrary {
  folio::ingest::test::TempDir dir;
  std::optional<Library> lib;
  const EstimatingTokenCounter tokens;

  LanguageLibrary() {
    folio::test::PdfPageSpec scan;
    scan.image = folio::test::renderTextPage({"VERTRAG UEBER DIE MIETE", "Die Miete ist monatlich im Voraus zu zahlen."}, 100);
    folio::ingest::test::writeText(dir.path() / "docs" / "miete.pdf", folio::test::writeMixedPdf({scan}));
    auto opened = Library::open(dir.path() / "lib.sqlite");
    EXPECT_TRUE(opened) << opened.error().message;
    if (opened) lib.emplace(std::move(*opened));
  }
  Result<IngestReport> ingest(std::optional<std::string> languages) {
    IngestOptions options;
    options.ocr_languages = std::move(languages);
    const std::vector<std::filesystem::path> roots{dir.path() / "docs"};
    return runIngest(*lib, roots, options, tokens, {}, nullptr);
  }
  std::string kept() {
    auto id = lib->findCollection("default");
    if (!id || !*id) return "(no collection)";
    auto languages = lib->collectionOcrLanguages(**id);
    return languages ? *languages : "(error)";
  }
  int64_t documents() { return lib->db().queryInt("SELECT count(*) FROM documents").value(); }
};

TEST(OcrLanguages, AMissingLanguageFailsTheIngestBeforeAnythingIsRead) {
  LanguageLibrary l;
  ASSERT_TRUE(l.lib);
  auto r = l.ingest("xqz+eng");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("tesseract-ocr-xqz"), std::string::npos) << r.error().message;
  EXPECT_EQ(l.documents(), 0);
  EXPECT_EQ(l.kept(), "");  // not kept
}

TEST(OcrLanguages, TheCollectionKeepsItsLanguagesAndReadsItsScansAgainInNewOnes) {
  LanguageLibrary l;
  ASSERT_TRUE(l.lib);
  auto first = l.ingest(std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->ocr_pages, 1);
  EXPECT_EQ(l.kept(), "");

  // "eng+eng" is another setting in Tesseract's syntax that needs no other data.
  auto changed = l.ingest("eng+eng");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->updated, 1u);  // its file is unchanged, its scan read in other languages
  EXPECT_EQ(changed->ocr_pages, 1);
  EXPECT_EQ(l.kept(), "eng+eng");

  auto later = l.ingest(std::nullopt);  // the setting kept: nothing to read again
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_EQ(later->unchanged, 1u);
  EXPECT_EQ(later->ocr_pages, 0);
  EXPECT_EQ(*l.lib->db().queryInt("SELECT count(*) FROM ocr_texts WHERE languages = 'eng+eng'"), 1);

  auto back = l.ingest("");  // back to the default
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->updated, 1u);
  EXPECT_EQ(l.kept(), "");
}

// A PDF read before readings were kept (schema v13) was read in English: read again in new languages.
// A document that keeps no readings of its scans (an e-mail's attached ones; here a text file standing
// in for one) is not read again on every ingest for want of them.
TEST(OcrLanguages, DocumentsReadBeforeReadingsWereKeptCountAsEnglish) {
  LanguageLibrary l;
  ASSERT_TRUE(l.lib);
  folio::ingest::test::writeText(l.dir.path() / "docs" / "note.txt", "A note that stands in for an e-mail.\n");
  auto first = l.ingest(std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(l.lib->db().exec("DELETE FROM ocr_texts; UPDATE documents SET ocr_pages = 1"));
  auto changed = l.ingest("eng+eng");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->updated, 1u);  // the PDF
  EXPECT_EQ(changed->unchanged, 1u);  // the note
  EXPECT_EQ(changed->ocr_pages, 1);
  ASSERT_TRUE(l.lib->db().exec("UPDATE documents SET ocr_pages = 1 WHERE kind = 'text'"));
  auto again = l.ingest(std::nullopt);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->unchanged, 2u);
}

// A kept setting whose data went missing fails later ingests, saying it is the collection's.
TEST(OcrLanguages, AKeptSettingWhoseDataIsGoneFailsNamingTheCollection) {
  LanguageLibrary l;
  ASSERT_TRUE(l.lib);
  auto id = l.lib->ensureCollection("default");
  ASSERT_TRUE(id);
  ASSERT_TRUE(l.lib->setCollectionOcrLanguages(*id, "xqz"));
  auto r = l.ingest(std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("collection \"default\" keeps"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("tesseract-ocr-xqz"), std::string::npos) << r.error().message;
}

// With German data installed (tesseract-ocr-deu), a German scan is read in deu+eng.
TEST(OcrLanguages, GermanAndEnglishReadAGermanScan) {
  if (!installed("deu")) GTEST_SKIP() << "tesseract-ocr-deu is not installed";
  LanguageLibrary l;
  ASSERT_TRUE(l.lib);
  auto r = l.ingest("deu+eng");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->ocr_pages, 1);
  EXPECT_EQ(l.kept(), "deu+eng");
  auto chunks = l.lib->db().prepare("SELECT group_concat(text, ' ') FROM chunks");
  ASSERT_TRUE(chunks && chunks->step().value());
  EXPECT_NE(chunks->columnText(0).find("monatlich im Voraus"), std::string::npos) << chunks->columnText(0);
}

}  // namespace
}  // namespace folio::ingest
