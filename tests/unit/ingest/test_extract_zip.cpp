// Zip archives: each file inside read as Folio reads its kind (a file whose name says none as text when
// it looks like text, as a folder walk reads it), in path order, after a list of them all; kinds not read, encrypted files and files past the limits named at the end with why; chunks headed by
// the file's path inside the archive ("File: Contracts/lease.pdf, page 2"), through nested archives and
// through a message the archive is attached to. A zip bomb is refused, not unpacked.
#include <gtest/gtest.h>

#include <zip.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/bench_pdf_writer.h"
#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/source_kind.h"
#include "ingest/zip_extract.h"
#include "support/docx_writer.h"
#include "support/mail_writer.h"

namespace folio::ingest {
namespace {

Result<ExtractedText> extractNamed(const std::string& bytes, const std::string& name) {
  return extractBytes(bytes, classifySource(name), name);
}

// The heading paths of the chunks of `text` read as `name`, each joined by " › ".
std::vector<std::string> headings(const ExtractedText& text, const std::string& name) {
  const EstimatingTokenCounter tokens;
  std::vector<std::string> out;
  for (const Chunk& c : chunkDocument(text, classifySource(name), tokens)) {
    // Provenance is the archive's own text.
    EXPECT_EQ(text.text.substr(static_cast<size_t>(c.byte_begin), static_cast<size_t>(c.byte_end - c.byte_begin)), c.text);
    std::string h;
    for (const auto& part : c.heading_path) h += (h.empty() ? "" : " \xE2\x80\xBA ") + part;
    out.push_back(h);
  }
  return out;
}

bool holds(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// An archive whose `encrypted` entry needs a password (AES-256, as 7-Zip and WinZip write them).
std::string zipWithEncrypted(const std::string& plain, const std::string& encrypted) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(out);
  zip_t* zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  if (zip == nullptr) throw std::runtime_error("zip_open_from_source");
  static const std::string kText = "The escrow amount is $250,000.\n";
  zip_file_add(zip, plain.c_str(), zip_source_buffer(zip, kText.data(), kText.size(), 0), 0);
  const zip_int64_t index = zip_file_add(zip, encrypted.c_str(), zip_source_buffer(zip, kText.data(), kText.size(), 0), 0);
  if (zip_file_set_encryption(zip, static_cast<zip_uint64_t>(index), ZIP_EM_AES_256, "secret") != 0)
    throw std::runtime_error("zip_file_set_encryption");
  if (zip_close(zip) != 0) throw std::runtime_error("zip_close");
  std::string bytes;
  zip_source_open(out);
  zip_source_seek(out, 0, SEEK_END);
  bytes.resize(static_cast<size_t>(zip_source_tell(out)));
  zip_source_seek(out, 0, SEEK_SET);
  zip_source_read(out, bytes.data(), bytes.size());
  zip_source_close(out);
  zip_source_free(out);
  return bytes;
}

TEST(ExtractZip, FilesAreReadAsTheirKindsInPathOrderAfterTheirList) {
  const std::string pdf = bench::writeTextPdf({{"Schedule of rent"}, {"Rent review every five years."}}, "Lease");
  const std::string zip = test::zipBytes({{"Notes/todo.txt", "Renewal notice due by 3 March.\n"},
                                          {"Contracts/lease.pdf", pdf},
                                          {"Contracts/", ""},
                                          {"__MACOSX/Contracts/._lease.pdf", "resource fork"},
                                          {"Contracts/.DS_Store", "finder"},
                                          {"tools/setup.exe", std::string("MZ\0\0binary", 10)},
                                          {"ChangeLog", "2024-03-01 Renewal clause redrafted.\n"}});
  auto r = extractNamed(zip, "dataroom.zip");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "Files in this archive (4):\n- ChangeLog (37 bytes)\n- Contracts/lease.pdf (" + std::to_string(pdf.size() / 1024) +
                "." + std::to_string((pdf.size() % 1024) * 10 / 1024) +
                " KB)\n- Notes/todo.txt (31 bytes)\n- tools/setup.exe (10 bytes)\n\n"
                "---------- File: ChangeLog ----------\n2024-03-01 Renewal clause redrafted.\n\n"
                "---------- File: Contracts/lease.pdf ----------\nSchedule of rent\nRent review every five years.\n\n"
                "---------- File: Notes/todo.txt ----------\nRenewal notice due by 3 March.\n\n"
                "Files not read:\n- tools/setup.exe\n");
  const std::vector<std::string> h = headings(*r, "dataroom.zip");
  EXPECT_TRUE(holds(h, "File: Contracts/lease.pdf, pages 1\xE2\x80\x93" "2")) << ::testing::PrintToString(h);
  EXPECT_TRUE(holds(h, "File: Notes/todo.txt")) << ::testing::PrintToString(h);
}

TEST(ExtractZip, NestedArchivesAndArchivesAttachedToMessagesAreCitedThroughTheChain) {
  const std::string inner = test::zipBytes({{"minutes.txt", "The board approved the merger.\n"}});
  const std::string outer = test::zipBytes({{"2024/board.zip", inner}, {"readme.txt", "Board papers.\n"}});
  auto r = extractNamed(outer, "papers.zip");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("---------- File: 2024/board.zip ----------\nFiles in this archive (1):\n- minutes.txt (31 bytes)\n\n"
                         "---------- File: minutes.txt ----------\nThe board approved the merger.\n"),
            std::string::npos)
      << r->text;
  EXPECT_TRUE(holds(headings(*r, "papers.zip"), "File: 2024/board.zip \xE2\x80\xBA File: minutes.txt"));

  const std::string mail = test::messageWith("Board papers", "Zipped, as promised.",
                                             test::attachedPart("papers.zip", "application/zip", outer));
  auto m = extractNamed(mail, "board.eml");
  ASSERT_TRUE(m.ok()) << m.error().message;
  const std::vector<std::string> mh = headings(*m, "board.eml");
  EXPECT_TRUE(holds(mh, "Attachment: papers.zip \xE2\x80\xBA File: 2024/board.zip \xE2\x80\xBA File: minutes.txt"))
      << ::testing::PrintToString(mh);
  EXPECT_TRUE(holds(mh, "Attachment: papers.zip \xE2\x80\xBA File: readme.txt")) << ::testing::PrintToString(mh);
}

TEST(ExtractZip, EncryptedFilesAreNamedWithWhy) {
  auto r = extractNamed(zipWithEncrypted("public.txt", "escrow.txt"), "deal.zip");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("---------- File: public.txt ----------\nThe escrow amount is $250,000.\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("Files not read:\n- escrow.txt: encrypted: it needs the archive's password\n"), std::string::npos)
      << r->text;
}

// One budget for an archive and the archives inside it: 8 inner archives of 4 MiB of zeros each (about
// 4 KiB compressed apiece) under a 10 MiB budget: two are read, the third stops as it passes the budget,
// and the other five are not opened.
TEST(ExtractZip, AZipBombIsRefusedWithinOneBudgetAcrossNestedArchives) {
  const std::string zeros(4u << 20, '0');
  const std::string inner = test::zipBytes({{"zeros.txt", zeros}});
  std::vector<std::pair<std::string, std::string>> parts;
  for (int i = 0; i < 8; ++i) parts.push_back({"part" + std::to_string(i) + ".zip", inner});
  const std::string outer = test::zipBytes(parts);
  ASSERT_LT(outer.size(), 200u * 1024);

  std::atomic<uint64_t> expanded{0};
  ZipLimits limits;
  limits.max_total_bytes = 10u << 20;
  limits.expanded = &expanded;
  std::function<std::optional<Result<ExtractedText>>(std::string_view, const std::string&)> reader;
  reader = [&](std::string_view bytes, const std::string& name) -> std::optional<Result<ExtractedText>> {
    const SourceType type = classifySource(name);
    if (type.kind == SourceKind::Archive) return extractZip(bytes, name, reader, limits);
    if (type.kind == SourceKind::PlainText) return extractBytes(bytes, type, name);
    return std::nullopt;
  };
  auto r = extractZip(outer, "bomb.zip", reader, limits);
  ASSERT_TRUE(r.ok()) << r.error().message;
  // At most one read buffer (64 KiB) inflated past the budget: the one that found it exceeded.
  EXPECT_LE(expanded.load(), limits.max_total_bytes + (64u << 10));
  const auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = r->text.find(what); at != std::string::npos; at = r->text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("---------- File: zeros.txt"), 2u) << r->text.substr(0, 2000);
  EXPECT_EQ(count("- zeros.txt: expands past "), 1u) << r->text;
  EXPECT_EQ(count(".zip: not read: the archive expands past 10 MiB"), 5u) << r->text;
}

TEST(ExtractZip, LimitsOnFilesAndCancelAreKept) {
  std::vector<std::pair<std::string, std::string>> parts;
  for (int i = 0; i < 30; ++i) parts.push_back({"note" + std::to_string(100 + i) + ".txt", "Note " + std::to_string(i) + ".\n"});
  const std::string zip = test::zipBytes(parts);
  ZipLimits limits;
  limits.max_files = 25;
  limits.max_listed = 10;
  const mail::AttachmentReader reader = [](std::string_view bytes, const std::string& name) -> std::optional<Result<ExtractedText>> {
    return extractBytes(bytes, classifySource(name), name);
  };
  auto r = extractZip(zip, "notes.zip", reader, limits);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("Files in this archive (30):\n"), std::string::npos);
  EXPECT_NE(r->text.find("- note109.txt (8 bytes)\n- and 20 more\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("---------- File: note124.txt"), std::string::npos);
  EXPECT_EQ(r->text.find("---------- File: note125.txt"), std::string::npos);
  EXPECT_NE(r->text.find("Files not read:\n- 5 more files: not read: an archive's first 25 files are read\n"), std::string::npos)
      << r->text;

  std::atomic<bool> stop{true};
  limits.cancel = &stop;
  auto stopped = extractZip(zip, "notes.zip", reader, limits);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().kind, ErrorKind::Cancelled);
}

TEST(ExtractZip, ABrokenArchiveFailsNamingIt) {
  auto r = extractNamed("PK\x03\x04 not really a zip", "broken.zip");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("broken.zip: not a readable zip archive"), std::string::npos) << r.error().message;
}

TEST(ExtractZip, ZipFilesAreArchivesButOfficePackagesAreNot) {
  EXPECT_EQ(classifySource("dataroom.zip").kind, SourceKind::Archive);
  EXPECT_EQ(classifySource("DATAROOM.ZIP").kind, SourceKind::Archive);
  EXPECT_EQ(classifySource("contract.docx").kind, SourceKind::Word);
  EXPECT_EQ(sourceKindName(SourceKind::Archive), "archive");
  EXPECT_TRUE(isBinaryFormat(SourceKind::Archive));
}

}  // namespace
}  // namespace folio::ingest
