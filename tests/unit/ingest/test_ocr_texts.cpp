// OCR's readings of scanned pages are kept in the library (schema v13) and not read again: a reading
// given to the extraction replaces OCR only for the same bytes, languages and OCR version; an ingest
// that extracts a file again reuses them and gives the same text; a changed file or another language
// setting is read again; the readings go with their document; blank pages are counted apart.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ingest/content_hash.h"
#include "ingest/extract.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/ocr_text_reader.h"
#include "ingest/library/schema.h"
#include "support/scanned_pdf.h"
#include "unit/ingest/test_library_util.h"

namespace folio::ingest {
namespace {

using folio::test::PdfPageSpec;

const SourceType kPdf{SourceKind::Pdf, ""};

folio::test::GrayImage blankSheet() {
  folio::test::GrayImage white;
  white.width = 850;
  white.height = 1100;
  white.dpi = 100;
  white.pixels.assign(static_cast<size_t>(white.width) * static_cast<size_t>(white.height), 255);
  return white;
}

// A text page, two scanned pages of words and a blank scanned sheet; `cover` is the text page's line.
std::string scanPdf(const std::string& cover = "Deed of lease, page one, in the text layer.") {
  PdfPageSpec text, first, second, blank;
  text.lines = {cover};
  first.image = folio::test::renderTextPage({"FIRST SCHEDULE", "The rent is payable quarterly in advance."}, 100);
  second.image = folio::test::renderTextPage({"SECOND SCHEDULE", "The tenant insures the fixtures."}, 100);
  blank.image = blankSheet();
  return folio::test::writeMixedPdf({text, first, second, blank});
}

OcrPageTexts readingsOf(const std::string& pdf, std::map<int, std::string> pages) {
  OcrPageTexts kept;
  kept.pdf_hash = contentHashHex(pdf);
  kept.languages = std::string(kDefaultOcrLanguages);
  kept.pages = std::move(pages);
  return kept;
}

// The scan extracted with `kept` given as the readings kept before.
Result<ExtractedText> extractWith(const std::string& pdf, const OcrPageTexts& kept) {
  ExtractOptions options;
  options.ocr_kept = [&](const std::string&) { return kept; };
  return extractBytes(pdf, kPdf, "lease.pdf", options);
}

TEST(OcrTexts, ExtractionReadsScannedPagesAndCountsABlankSheetApart) {
  const std::string pdf = scanPdf();
  auto r = extractBytes(pdf, kPdf, "lease.pdf");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ocr_pages, 2);
  EXPECT_EQ(r->ocr_blank, 1);
  EXPECT_EQ(r->ocr_reused, 0);
  EXPECT_EQ(r->unread_pages, 0);
  EXPECT_EQ(r->ocr_texts.pdf_hash, contentHashHex(pdf));
  EXPECT_EQ(r->ocr_texts.languages, "eng");
  ASSERT_EQ(r->ocr_texts.pages.size(), 3u);  // pages 1, 2 and the blank 3 (0-based); not the text page
  EXPECT_NE(r->ocr_texts.pages.at(1).find("payable quarterly"), std::string::npos) << r->ocr_texts.pages.at(1);
  EXPECT_EQ(r->ocr_texts.pages.at(3).find_first_not_of(" \n"), std::string::npos);
}

// A kept reading stands in for OCR: its text (here one OCR could not have read) is the page's.
TEST(OcrTexts, AKeptReadingOfTheSameBytesIsUsedInsteadOfOcr) {
  const std::string pdf = scanPdf();
  const OcrPageTexts kept = readingsOf(pdf, {{1, "KEPT READING ONE\n"}, {2, "KEPT READING TWO\n"}, {3, ""}});
  auto r = extractWith(pdf, kept);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ocr_pages, 0);
  EXPECT_EQ(r->ocr_reused, 2);
  EXPECT_EQ(r->ocr_blank, 1);
  EXPECT_NE(r->text.find("KEPT READING ONE\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("KEPT READING TWO\n"), std::string::npos) << r->text;
  EXPECT_EQ(r->text.find("quarterly"), std::string::npos) << r->text;
  EXPECT_EQ(r->ocr_texts.pages, kept.pages);  // handed back, to be kept with the document again
}

// Only the pages kept are skipped; a page missing from the readings is read by OCR.
TEST(OcrTexts, PagesWithoutAKeptReadingAreRead) {
  const std::string pdf = scanPdf();
  const OcrPageTexts kept = readingsOf(pdf, {{1, "KEPT READING ONE\n"}});
  auto r = extractWith(pdf, kept);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ocr_reused, 1);
  EXPECT_EQ(r->ocr_pages, 1);
  EXPECT_EQ(r->ocr_blank, 1);
  EXPECT_NE(r->text.find("KEPT READING ONE"), std::string::npos);
  EXPECT_NE(r->text.find("insures the fixtures"), std::string::npos) << r->text;
}

// Readings of other bytes, another language setting or another OCR version are not this page's.
TEST(OcrTexts, ReadingsOfOtherBytesLanguagesOrVersionsAreNotUsed) {
  const std::string pdf = scanPdf();
  OcrPageTexts other_bytes = readingsOf(scanPdf("Another cover page."), {{1, "KEPT"}, {2, "KEPT"}});
  OcrPageTexts other_languages = readingsOf(pdf, {{1, "KEPT"}, {2, "KEPT"}});
  other_languages.languages = "deu";
  OcrPageTexts other_version = readingsOf(pdf, {{1, "KEPT"}, {2, "KEPT"}});
  other_version.version = kOcrVersion + 1;
  for (const OcrPageTexts* kept : {&other_bytes, &other_languages, &other_version}) {
    auto r = extractWith(pdf, *kept);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->ocr_reused, 0) << kept->languages << " " << kept->version;
    EXPECT_EQ(r->ocr_pages, 2);
    EXPECT_EQ(r->text.find("KEPT"), std::string::npos);
  }
}

// A folder with the scan in it, ingested into a library in the same temporary folder.
struct ScanLibrary {
  folio::ingest::test::TempDir dir;
  std::optional<Library> lib;
  const EstimatingTokenCounter tokens;

  ScanLibrary() {
    folio::ingest::test::writeText(file(), scanPdf());
    auto opened = Library::open(dir.path() / "lib.sqlite");
    EXPECT_TRUE(opened) << opened.error().message;
    if (opened) lib.emplace(std::move(*opened));
  }
  std::filesystem::path file() const { return dir.path() / "docs" / "lease.pdf"; }

  IngestReport ingest(bool reread, std::string languages = std::string(kDefaultOcrLanguages)) {
    IngestOptions options;
    options.reread_unchanged = reread;
    options.ocr_languages = std::move(languages);
    const std::vector<std::filesystem::path> roots{dir.path() / "docs"};
    auto report = runIngest(*lib, roots, options, tokens, {}, nullptr);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : IngestReport{};
  }
  int64_t keptRows(std::string_view where = "1") {
    auto n = lib->db().queryInt("SELECT count(*) FROM ocr_texts WHERE " + std::string(where));
    return n ? *n : -1;
  }
  std::vector<std::string> chunkTexts() {
    std::vector<std::string> out;
    auto docs = lib->documents();
    if (!docs || docs->size() != 1u) return out;
    auto chunks = lib->chunks(docs->front().id);
    if (chunks)
      for (const auto& c : *chunks) out.push_back(c.text);
    return out;
  }
};

TEST(OcrTexts, ASecondExtractionOfTheSameFileReadsNothingByOcrAndGivesTheSameText) {
  ScanLibrary l;
  ASSERT_TRUE(l.lib);
  const IngestReport first = l.ingest(false);
  EXPECT_EQ(first.added, 1u);
  EXPECT_EQ(first.ocr_pages, 2);
  EXPECT_EQ(first.ocr_blank, 1);
  EXPECT_EQ(first.ocr_reused, 0);
  EXPECT_EQ(l.keptRows(), 3);  // the blank sheet's reading ('') is kept too
  EXPECT_EQ(l.keptRows("text = ''"), 1);
  const auto chunks = l.chunkTexts();
  ASSERT_FALSE(chunks.empty());

  const IngestReport again = l.ingest(true);  // --reread: extracted and chunked again
  EXPECT_EQ(again.updated, 1u);
  EXPECT_EQ(again.ocr_pages, 0);
  EXPECT_EQ(again.ocr_reused, 2);
  EXPECT_EQ(again.ocr_blank, 1);
  EXPECT_EQ(l.chunkTexts(), chunks);
  EXPECT_EQ(l.keptRows(), 3);
  auto docs = l.lib->documents();
  ASSERT_TRUE(docs && docs->size() == 1u);
  EXPECT_EQ(docs->front().ocr_pages, 2);  // text by OCR, read now or before; not the blank sheet
}

TEST(OcrTexts, AChangedFileIsReadAgainAndItsOldReadingsGo) {
  ScanLibrary l;
  ASSERT_TRUE(l.lib);
  l.ingest(false);
  const std::string old_hash = contentHashHex(scanPdf());
  folio::ingest::test::writeText(l.file(), scanPdf("Deed of lease, amended cover page."));
  const IngestReport changed = l.ingest(false);
  EXPECT_EQ(changed.updated, 1u);
  EXPECT_EQ(changed.ocr_pages, 2);
  EXPECT_EQ(changed.ocr_reused, 0);
  EXPECT_EQ(l.keptRows(), 3);
  EXPECT_EQ(l.keptRows("pdf_hash = '" + old_hash + "'"), 0);
}

TEST(OcrTexts, AnotherLanguageSettingIsReadAgain) {
  ScanLibrary l;
  ASSERT_TRUE(l.lib);
  l.ingest(false);
  auto reader = OcrTextReader::open(l.dir.path() / "lib.sqlite");
  ASSERT_TRUE(reader) << reader.error().message;
  const std::string hash = contentHashHex(scanPdf());
  EXPECT_EQ(reader->find(hash, "eng")->pages.size(), 3u);
  EXPECT_TRUE(reader->find(hash, "deu+eng")->pages.empty());
  EXPECT_TRUE(reader->find(hash, "eng", kOcrVersion + 1)->pages.empty());
  // "eng+eng" is another setting to Tesseract's syntax and needs no other language data.
  const IngestReport other = l.ingest(true, "eng+eng");
  EXPECT_EQ(other.ocr_pages, 2);
  EXPECT_EQ(other.ocr_reused, 0);
  EXPECT_EQ(l.keptRows("languages = 'eng+eng'"), 3);
  EXPECT_EQ(l.keptRows("languages = 'eng'"), 0);  // one reading a page: the one behind the text
}

TEST(OcrTexts, ReadingsGoWithTheirDocument) {
  ScanLibrary l;
  ASSERT_TRUE(l.lib);
  l.ingest(false);
  ASSERT_EQ(l.keptRows(), 3);
  auto docs = l.lib->documents();
  ASSERT_TRUE(docs && docs->size() == 1u);
  ASSERT_TRUE(l.lib->removeDocument(docs->front().id));
  EXPECT_EQ(l.keptRows(), 0);

  l.ingest(false);  // read again (nothing kept), then the file goes from the folder
  ASSERT_EQ(l.keptRows(), 3);
  std::filesystem::remove(l.file());
  const IngestReport gone = l.ingest(false);
  EXPECT_EQ(gone.removed, 1u);
  EXPECT_EQ(l.keptRows(), 0);
}

// A copy of the scan in another folder (another document) reuses the readings and keeps its own.
TEST(OcrTexts, ACopyElsewhereReusesTheReadings) {
  ScanLibrary l;
  ASSERT_TRUE(l.lib);
  l.ingest(false);
  folio::ingest::test::writeText(l.dir.path() / "copy" / "lease.pdf", scanPdf());
  IngestOptions options;
  options.collection = "copies";
  const std::vector<std::filesystem::path> roots{l.dir.path() / "copy"};
  auto report = runIngest(*l.lib, roots, options, l.tokens, {}, nullptr);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->ocr_pages, 0);
  EXPECT_EQ(report->ocr_reused, 2);
  EXPECT_EQ(l.keptRows(), 6);
}

// An image file is read as a PDF made of it: that PDF's readings are kept and reused the same way.
TEST(OcrTexts, AnImageFileReadAgainReusesItsReadings) {
  ScanLibrary l;
  ASSERT_TRUE(l.lib);
  std::filesystem::remove(l.file());
  std::filesystem::copy_file(std::filesystem::path(FOLIO_FIXTURES_DIR) / "images" / "fax_g4.tif",
                             l.dir.path() / "docs" / "fax.tif");
  const IngestReport first = l.ingest(false);
  ASSERT_EQ(first.added, 1u);
  ASSERT_EQ(first.ocr_pages, 2);
  const auto chunks = l.chunkTexts();
  const IngestReport again = l.ingest(true);
  EXPECT_EQ(again.ocr_pages, 0);
  EXPECT_EQ(again.ocr_reused, 2);
  EXPECT_EQ(l.chunkTexts(), chunks);
}

// A library of schema v12 (before readings were kept) opens at v13 with its documents, nothing kept
// yet, and the collections' OCR languages the default.
TEST(OcrTexts, MigratesFromVersionTwelve) {
  folio::ingest::test::TempDir dir;
  const auto path = dir.path() / "v12.sqlite";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(migrate(*db, 12));
    ASSERT_TRUE(db->exec(
        "INSERT INTO collections(name, created_at, max_file_bytes) VALUES ('scans', 1, 0);"
        "INSERT INTO documents(collection_id, path, rel_path, kind, status, ingested_at, ocr_pages) "
        "VALUES (1, '/x/scan.pdf', 'scan.pdf', 'pdf', 'ok', 1, 4);"));
  }
  auto lib = Library::open(path);
  ASSERT_TRUE(lib) << lib.error().message;
  EXPECT_EQ(*schemaVersion(lib->db()), 13);
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 0);
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM collections WHERE ocr_languages = ''"), 1);
  auto docs = lib->documents();
  ASSERT_TRUE(docs && docs->size() == 1u);
  EXPECT_EQ(docs->front().ocr_pages, 4);
  // Readings are kept with a document stored from now on, and go when it is stored without them.
  DocumentRecord doc = docs->front();
  doc.content_hash = "00000000000000aa";
  OcrPageTexts texts;
  texts.pdf_hash = doc.content_hash;
  texts.languages = "eng";
  texts.pages = {{0, "page one"}, {2, ""}};
  ASSERT_TRUE(lib->putDocument(doc, {}, texts));
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 2);
  ASSERT_TRUE(lib->putDocument(doc, {}));
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 0);
}

}  // namespace
}  // namespace folio::ingest
