// A zip archive met in a walk is the folder it holds: each file in it a document of its own, with the
// archive's path before its own ("dataroom.zip/Contracts/lease.pdf"), read out of the archive in place —
// by the ingest (incremental, as a folder's files), by a re-read, and wherever a document's bytes are
// read (extractDocument, the desktop's reader). Encrypted files, files past their kind's size cap and
// files past the archive's expansion budget are skipped with why.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_pdf_writer.h"
#include "ingest/archive_member.h"
#include "ingest/extract.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/verify.h"
#include "ingest/walker.h"
#include "support/docx_writer.h"
#include "support/pst_writer.h"
#include "unit/ingest/archive_ingest_library.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

using test::writeBytes;

class IngestZipMembers : public ::testing::Test, protected test::ArchiveIngestLibrary {};

TEST_F(IngestZipMembers, EachFileOfAnArchiveIsADocumentReadOutOfIt) {
  const fs::path tree = dir_.path() / "matter";
  writeBytes(tree / "memo.txt", "Closing is set for 3 March.\n");
  writeBytes(tree / "dataroom.zip", folio::test::zipBytes({{"Contracts/lease.pdf", pdf_},
                                                    {"Contracts/", ""},
                                                    {"Notes/todo.txt", "Renewal notice due by 3 March.\n"},
                                                    {"__MACOSX/Contracts/._lease.pdf", "resource fork"},
                                                    {"tools/setup.bin", std::string("\x7f" "ELF\0\0\0", 7)}}));
  const IngestReport r = ingest({tree});
  EXPECT_EQ(r.added, 3u);
  EXPECT_EQ(r.skipped, 1u);  // the binary, by its content, as in a folder
  EXPECT_EQ(relPaths(), (std::vector<std::string>{"dataroom.zip/Contracts/lease.pdf ok", "dataroom.zip/Notes/todo.txt ok",
                                                  "dataroom.zip/tools/setup.bin skipped", "memo.txt ok"}));
  const auto docs = lib_->documents();
  for (const auto& d : *docs) {
    if (d.rel_path != "dataroom.zip/Contracts/lease.pdf") continue;
    EXPECT_EQ(d.kind, "pdf");
    EXPECT_EQ(d.page_count, 2);
    EXPECT_EQ(d.path, (tree / "dataroom.zip/Contracts/lease.pdf").string());
    // Its bytes, and its text, read from the archive where the document's path names no file.
    auto bytes = readDocumentBytes(d.path, 1 << 20);
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_EQ(*bytes, pdf_);
    auto text = extractDocument(d.path, classifySource(d.path));
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_NE(text->text.find("Rent is due monthly."), std::string::npos);
  }

  // Again: unchanged. The archive changed: its files as a folder's.
  const IngestReport again = ingest({tree});
  EXPECT_EQ(again.unchanged, 3u);
  EXPECT_EQ(again.skipped, 1u);  // skipped again, as a folder's binary is
  writeBytes(tree / "dataroom.zip", folio::test::zipBytes({{"Contracts/lease.pdf", pdf_}, {"Contracts/amendment.txt", "Rent rises 3%.\n"}}));
  const IngestReport changed = ingest({tree});
  EXPECT_EQ(changed.added, 1u);
  EXPECT_EQ(changed.removed, 2u);  // todo.txt and the binary are gone from it
  EXPECT_EQ(changed.unchanged, 2u);
}

TEST_F(IngestZipMembers, AnArchiveGivenItselfIsNamedByItsFileAndReReadFileByFile) {
  const fs::path zip = dir_.path() / "in" / "papers.zip";
  writeBytes(zip, folio::test::zipBytes({{"a.txt", "Alpha clause.\n"}, {"b.txt", "Beta clause.\n"}}));
  ingest({zip});
  EXPECT_EQ(relPaths(), (std::vector<std::string>{"papers.zip/a.txt ok", "papers.zip/b.txt ok"}));
  // The desktop's Re-index of one of them: read again from the archive, not removed as a file gone.
  std::vector<int64_t> ids;
  const auto docs = lib_->documents();
  for (const auto& d : *docs)
    if (d.rel_path == "papers.zip/a.txt") ids.push_back(d.id);
  writeBytes(zip, folio::test::zipBytes({{"a.txt", "Alpha clause, amended.\n"}, {"b.txt", "Beta clause.\n"}}));
  auto r = rereadDocuments(*lib_, ids, {}, tokens_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->updated, 1u);
  EXPECT_EQ(r->removed, 0u);
  EXPECT_EQ(relPaths(), (std::vector<std::string>{"papers.zip/a.txt ok", "papers.zip/b.txt ok"}));
  auto chunks = lib_->chunks(ids[0]);
  ASSERT_TRUE(chunks && !chunks->empty());
  EXPECT_NE(chunks->front().text.find("amended"), std::string::npos);
}

TEST_F(IngestZipMembers, FilesPastTheArchivesBudgetOrTheirCapAreSkippedWithWhy) {
  const fs::path zip = dir_.path() / "bomb.zip";
  const std::string zeros(4u << 20, '0');
  writeBytes(zip, folio::test::zipBytes({{"a.txt", zeros}, {"b.txt", zeros}, {"c.md", "# Notes\nFine.\n"}}));
  ASSERT_LT(fs::file_size(zip), 64u << 10);
  IngestOptions options;
  options.walk.max_archive_expansion = 6u << 20;
  options.walk.max_file_bytes = 8u << 20;
  options.walk.max_document_bytes = 8u << 20;
  ingest({zip}, options);
  bool refused = false;
  const auto docs = lib_->documents();
  for (const auto& d : *docs) {
    if (d.rel_path == "bomb.zip/b.txt") {
      refused = true;
      EXPECT_EQ(d.status, DocumentStatus::Skipped);
      EXPECT_NE(d.error.find("the archive's files expand past 6 MiB"), std::string::npos) << d.error;
    }
  }
  EXPECT_TRUE(refused);

  ingest({zip});  // default caps: a .txt is prose (32 MiB), and 8 MiB in all is within 100 times the archive
  const auto again = lib_->documents();
  for (const auto& d : *again) {
    if (d.rel_path == "bomb.zip/b.txt") {
      EXPECT_EQ(d.status, DocumentStatus::Ok) << d.error;
    }
  }
}

// An Outlook store is read in place from its own file; one inside a zip archive is read out of it, as one
// attached to a message is.
TEST_F(IngestZipMembers, AMailStoreInsideAnArchiveIsReadOutOfIt) {
  folio::test::PstMessageSpec m;
  m.subject = "Escrow release";
  m.from_name = "Jane Roe";
  m.from_address = "jane@example.com";
  m.body = "The escrow is released on closing.";
  m.delivery_time = folio::test::fileTime(2024, 3, 5, 14, 30);
  const fs::path zip = dir_.path() / "mail.zip";
  writeBytes(zip, folio::test::zipBytes({{"export/archive.pst", folio::test::makePst({{"Inbox", {m}, {}}})}}));
  const IngestReport r = ingest({zip});
  EXPECT_EQ(r.added, 1u);
  EXPECT_EQ(r.failed, 0u);
  const auto docs = lib_->documents();
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ(docs->front().rel_path, "mail.zip/export/archive.pst");
  auto chunks = lib_->chunks(docs->front().id);
  ASSERT_TRUE(chunks && !chunks->empty());
  bool found = false;
  for (const auto& c : *chunks) found = found || c.text.find("The escrow is released on closing.") != std::string::npos;
  EXPECT_TRUE(found);
  auto text = extractDocument(docs->front().path, classifySource(docs->front().path));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_NE(text->text.find("Escrow release"), std::string::npos);
}

TEST(ArchiveMembers, APathInsideAnArchiveIsFoundByItsArchive) {
  test::TempDir dir;
  const fs::path zip = dir.path() / "x.zip";
  writeBytes(zip, folio::test::zipBytes({{"Sub/file.txt", "text"}}));
  const auto m = archiveMemberOf(zip / "Sub/file.txt");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->archive, zip);
  EXPECT_EQ(m->member, "Sub/file.txt");
  EXPECT_FALSE(archiveMemberOf(zip));  // the archive itself is a file
  EXPECT_FALSE(archiveMemberOf(dir.path() / "missing/file.txt"));
  writeBytes(dir.path() / "plain.txt", "x");
  EXPECT_FALSE(archiveMemberOf(dir.path() / "plain.txt/inside"));  // a file, but no archive
  auto missing = readDocumentBytes(zip / "Sub/other.txt", 1024);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no such file in the archive"), std::string::npos);
  EXPECT_EQ(archiveMemberName(std::string("a\tb\nc")), "a b c");
  EXPECT_TRUE(isArchiveDebris("__MACOSX/x/._y"));
  EXPECT_TRUE(isArchiveDebris("Docs/.DS_Store"));
  EXPECT_FALSE(isArchiveDebris("Docs/lease.pdf"));
}

}  // namespace
}  // namespace folio::ingest
