// Outlook messages in a folder: a .msg is read as an e-mail (not skipped as an Office 97-2003 file),
// found by search (its attached files' words too), titled by its subject; a compound file without an Office extension beside it is skipped with what it may be.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/search.h"
#include "ingest/source_kind.h"
#include "support/msg_writer.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;
using namespace folio::ingest;
using folio::ingest::test::TempDir;
using folio::ingest::test::writeText;

TEST(IngestMsg, OutlookAndWord97FilesAreClassifiedByExtensionAndReadByContent) {
  EXPECT_EQ(classifySource("Notice.MSG").kind, SourceKind::Email);
  EXPECT_EQ(classifySource("old contract.doc").kind, SourceKind::Word);
  EXPECT_EQ(classifySource("letterhead.dot").kind, SourceKind::Word);
  EXPECT_TRUE(isBinaryFormat(SourceKind::Email));  // an .eml's attachments make it large; a .msg is binary
}

TEST(IngestMsg, AnOutlookMessageIsReadAndFound) {
  folio::test::MsgObject m;
  m.unicode = {{0x0037, "Notice of termination"},
               {0x0C1A, "Renee Dubois"},
               {0x5D01, "renee@example.com"},
               {0x1000, "The Tenant hereby gives six months' written notice of termination of the warehouse lease."}};
  folio::test::MsgObject attached;  // a text file attached: its words are found in the message
  attached.unicode = {{0x3707, "side letter.txt"}};
  attached.binary = {{0x3701, "The Landlord waives the break penalty under clause 9.\n"}};
  attached.fixed = {{0x37050003, 1}};
  m.attachments = {attached};
  TempDir dir;
  const fs::path tree = dir.path() / "mail";
  writeText(tree / "notice.msg", folio::test::msgBytes(m));
  writeText(tree / "budget.old", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(1024, '\0'));
  auto folder = folio::ingest::test::ingestFolderInto(dir.path() / "lib.sqlite", tree);
  ASSERT_TRUE(folder.lib);
  const IngestReport& report = folder.report;
  Library& lib = *folder.lib;
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(report.failed, 0u);
  EXPECT_EQ(report.skipped, 1u);
  ASSERT_EQ(report.skipped_files.size(), 1u);
  EXPECT_NE(report.skipped_files.front().reason.find("Excel .xls"), std::string::npos) << report.skipped_files.front().reason;

  const DocumentRecord* msg = folder.at("notice.msg");
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->status, DocumentStatus::Ok);
  EXPECT_EQ(msg->kind, "email");
  EXPECT_EQ(msg->title, "Notice of termination");
  auto found = search(lib.db(), "six months written notice warehouse");
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->hits.empty());
  EXPECT_EQ(found->hits.front().rel_path, "notice.msg");
  auto in_attachment = search(lib.db(), "landlord waives break penalty");
  ASSERT_TRUE(in_attachment);
  ASSERT_FALSE(in_attachment->hits.empty());
  EXPECT_EQ(in_attachment->hits.front().rel_path, "notice.msg");
}
