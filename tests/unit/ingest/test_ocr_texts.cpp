// OCR's readings of scanned pages are kept in the library (schema v13, v14) and not read again: a reading
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
#include "support/mail_writer.h"
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
  ASSERT_EQ(r->ocr_texts.size(), 1u);
  const OcrPageTexts& read = r->ocr_texts.front();
  EXPECT_EQ(read.pdf_hash, contentHashHex(pdf));
  EXPECT_EQ(read.languages, "eng");
  ASSERT_EQ(read.pages.size(), 3u);  // pages 1, 2 and the blank 3 (0-based); not the text page
  EXPECT_NE(read.pages.at(1).find("payable quarterly"), std::string::npos) << read.pages.at(1);
  EXPECT_EQ(read.pages.at(3).find_first_not_of(" \n"), std::string::npos);
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
  ASSERT_EQ(r->ocr_texts.size(), 1u);
  EXPECT_EQ(r->ocr_texts.front().pages, kept.pages);  // handed back, to be kept with the document again
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

// A library of schema v12 (before readings were kept) opens at the current version with its documents, nothing kept
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
  EXPECT_EQ(*schemaVersion(lib->db()), kSchemaVersion);
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
  ASSERT_TRUE(lib->putDocument(doc, {}, std::vector{texts}));
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 2);
  ASSERT_TRUE(lib->putDocument(doc, {}));
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 0);
}


// A folder of scans and messages ingested with two threads, so that two files holding the same scan are
// read at the same time.
IngestReport ingestFolder(Library& lib, const std::filesystem::path& folder, bool reread = false) {
  IngestOptions options;
  options.reread_unchanged = reread;
  options.worker_threads = 2;
  const EstimatingTokenCounter tokens;
  const std::vector<std::filesystem::path> roots{folder};
  auto report = runIngest(lib, roots, options, tokens, {}, nullptr);
  EXPECT_TRUE(report) << report.error().message;
  return report ? *report : IngestReport{};
}

std::string leaseMessage(const std::string& subject) {
  return folio::test::messageWith(subject, "The signed lease is attached.",
                                  folio::test::attachedPart("signed lease.pdf", "application/pdf", scanPdf()));
}

// The same scan in two files of one run (a copy, the attachment of a message, the attachment of a
// reply) is read by OCR once: the others wait for that reading and reuse it.
TEST(OcrTexts, OneScanInSeveralFilesOfARunIsReadOnce) {
  folio::ingest::test::TempDir dir;
  const auto docs = dir.path() / "docs";
  folio::ingest::test::writeText(docs / "lease.pdf", scanPdf());
  folio::ingest::test::writeText(docs / "copy of lease.pdf", scanPdf());
  folio::ingest::test::writeText(docs / "signed.eml", leaseMessage("Signed lease"));
  folio::ingest::test::writeText(docs / "re signed.eml", leaseMessage("Re: Signed lease"));
  auto lib = Library::open(dir.path() / "lib.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  const IngestReport report = ingestFolder(*lib, docs);
  EXPECT_EQ(report.added, 4u);
  EXPECT_EQ(report.ocr_pages, 2);   // the scan's two pages of words, once
  EXPECT_EQ(report.ocr_reused, 6);  // and three times more from that reading
  EXPECT_EQ(report.ocr_blank, 4);
  // Each file's text holds the reading.
  auto stored = lib->documents();
  ASSERT_TRUE(stored && stored->size() == 4u);
  for (const auto& d : *stored) {
    auto chunks = lib->chunks(d.id);
    ASSERT_TRUE(chunks);
    std::string text;
    for (const auto& c : *chunks) text += c.text;
    EXPECT_NE(text.find("insures the fixtures"), std::string::npos) << d.rel_path;
    EXPECT_EQ(d.ocr_pages, 2) << d.rel_path;
  }
}

// A message keeps the readings of its attached scans: reading it again (a re-read, a chunker update)
// reads no page by OCR; a second scan attached keeps its own.
TEST(OcrTexts, AMessageKeepsTheReadingsOfItsAttachedScans) {
  folio::ingest::test::TempDir dir;
  const auto docs = dir.path() / "docs";
  const std::string other = folio::test::writeMixedPdf(
      {PdfPageSpec{{}, folio::test::renderTextPage({"ANNEX", "The deposit is two months of rent."}, 100)}});
  folio::ingest::test::writeText(
      docs / "signed.eml",
      folio::test::messageWith("Signed lease", "Both attached.",
                               folio::test::attachedPart("lease.pdf", "application/pdf", scanPdf()) +
                                   folio::test::attachedPart("annex.pdf", "application/pdf", other) +
                                   folio::test::attachedPart("lease again.pdf", "application/pdf", scanPdf())));
  auto lib = Library::open(dir.path() / "lib.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  const IngestReport first = ingestFolder(*lib, docs);
  EXPECT_EQ(first.ocr_pages, 3);   // the lease's two pages, the annex's one
  EXPECT_EQ(first.ocr_reused, 2);  // the lease attached a second time
  EXPECT_EQ(*lib->db().queryInt("SELECT count(DISTINCT pdf_hash) FROM ocr_texts"), 2);
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 4);  // 3 lease pages (one blank), 1 annex

  const IngestReport again = ingestFolder(*lib, docs, true);
  EXPECT_EQ(again.updated, 1u);
  EXPECT_EQ(again.ocr_pages, 0);
  EXPECT_EQ(again.ocr_reused, 5);
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 4);

  // The annex no longer attached: its readings go with it, the lease's stay.
  folio::ingest::test::writeText(docs / "signed.eml", leaseMessage("Signed lease"));
  const IngestReport changed = ingestFolder(*lib, docs);
  EXPECT_EQ(changed.updated, 1u);
  EXPECT_EQ(changed.ocr_pages, 0);
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 3);
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts WHERE pdf_hash = '" + contentHashHex(other) + "'"), 0);
}

// Schema v14 keys a reading by its PDF too; the readings a v13 library kept are kept.
TEST(OcrTexts, MigratesFromVersionThirteenKeepingTheReadings) {
  folio::ingest::test::TempDir dir;
  const auto path = dir.path() / "v13.sqlite";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(migrate(*db, 13));
    ASSERT_TRUE(db->exec(
        "INSERT INTO collections(name, created_at, max_file_bytes) VALUES ('scans', 1, 0);"
        "INSERT INTO documents(collection_id, path, rel_path, kind, status, ingested_at, ocr_pages) "
        "VALUES (1, '/x/scan.pdf', 'scan.pdf', 'pdf', 'ok', 1, 2);"
        "INSERT INTO ocr_texts(document_id, page, pdf_hash, languages, version, text) "
        "VALUES (1, 0, 'abc', 'eng', 1, 'page one'), (1, 1, 'abc', 'eng', 1, '');"));
  }
  auto lib = Library::open(path);
  ASSERT_TRUE(lib) << lib.error().message;
  EXPECT_EQ(*schemaVersion(lib->db()), kSchemaVersion);
  auto reader = OcrTextReader::open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  auto found = reader->find("abc", "eng");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->pages, (std::map<int, std::string>{{0, "page one"}, {1, ""}}));
  // Two PDFs' readings of one document, page 0 of each.
  auto docs = lib->documents();
  ASSERT_TRUE(docs && docs->size() == 1u);
  OcrPageTexts a, b;
  a.pdf_hash = "abc";
  b.pdf_hash = "def";
  a.languages = b.languages = "eng";
  a.pages = {{0, "page one"}, {1, ""}};
  b.pages = {{0, "annex"}};
  ASSERT_TRUE(lib->putDocument(docs->front(), {}, std::vector{a, b}));
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts WHERE page = 0"), 2);
  ASSERT_TRUE(lib->putDocument(docs->front(), {}, std::vector{b}));
  EXPECT_EQ(*lib->db().queryInt("SELECT count(*) FROM ocr_texts"), 1);
}

}  // namespace
}  // namespace folio::ingest
