// A tar (plain, gzip, xz) or 7-Zip archive met in a walk is the folder it holds, as a zip is
// (archive_member.h): each file a document read out of it in place — by the ingest (incremental, its
// files in the archive's own order), by a re-read, by readDocumentBytes. Links are not followed; files past
// the archive's expansion budget are skipped with why.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_pdf_writer.h"
#include "ingest/archive_member.h"
#include "ingest/archive_reader.h"
#include "ingest/extract.h"
#include "ingest/ingest_job.h"
#include "ingest/library/library.h"
#include "ingest/library/verify.h"
#include "ingest/walker.h"
#include "unit/ingest/tar_writer.h"
#include "unit/ingest/archive_ingest_library.h"
#include "unit/ingest/test_library_util.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

using test::writeBytes;

using folio::test::TarFormat;

class IngestTarMembers : public ::testing::TestWithParam<std::pair<TarFormat, const char*>>,
                         protected test::ArchiveIngestLibrary {
 protected:
  std::string archive() const { return std::string("dataroom") + GetParam().second; }
  std::string bytes(const std::vector<folio::test::TarMember>& members) const { return folio::test::tarBytes(members, GetParam().first); }
};

TEST_P(IngestTarMembers, EachFileIsADocumentReadOutOfItIncrementally) {
  const fs::path tree = dir_.path() / "matter";
  writeBytes(tree / "memo.txt", "Closing is set for 3 March.\n");
  writeBytes(tree / archive(), bytes({{"./Notes/todo.txt", "Renewal notice due by 3 March.\n"},
                                      {"./Contracts/lease.pdf", pdf_},
                                      {"./Contracts/old.txt", "Superseded terms.\n"}}));
  const IngestReport r = ingest({tree});
  EXPECT_EQ(r.added, 4u);
  EXPECT_EQ(relPaths(), (std::vector<std::string>{archive() + "/Contracts/lease.pdf ok", archive() + "/Contracts/old.txt ok",
                                                  archive() + "/Notes/todo.txt ok", "memo.txt ok"}));
  const fs::path lease = tree / archive() / "Contracts/lease.pdf";
  auto read = readDocumentBytes(lease, 1 << 20);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, pdf_);
  auto text = extractDocument(lease, classifySource(lease));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_NE(text->text.find("Rent is due monthly."), std::string::npos);

  const IngestReport again = ingest({tree});
  EXPECT_EQ(again.unchanged, 4u);
  writeBytes(tree / archive(), bytes({{"./Notes/todo.txt", "Renewal notice due by 3 March.\n"}, {"./Contracts/lease.pdf", pdf_}}));
  const IngestReport changed = ingest({tree});
  EXPECT_EQ(changed.removed, 1u);  // old.txt is gone from it
  EXPECT_EQ(changed.unchanged, 3u);
}

TEST_P(IngestTarMembers, OneFileIsReReadFromTheArchive) {
  const fs::path file = dir_.path() / "in" / archive();
  writeBytes(file, bytes({{"a.txt", "Alpha clause.\n"}, {"b.txt", "Beta clause.\n"}}));
  ingest({file});
  EXPECT_EQ(relPaths(), (std::vector<std::string>{archive() + "/a.txt ok", archive() + "/b.txt ok"}));
  std::vector<int64_t> ids;
  const auto docs = lib_->documents();
  for (const auto& d : *docs)
    if (d.rel_path == archive() + "/b.txt") ids.push_back(d.id);
  writeBytes(file, bytes({{"a.txt", "Alpha clause.\n"}, {"b.txt", "Beta clause, amended.\n"}}));
  auto r = rereadDocuments(*lib_, ids, {}, tokens_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->updated, 1u);
  auto chunks = lib_->chunks(ids.at(0));
  ASSERT_TRUE(chunks && !chunks->empty());
  EXPECT_NE(chunks->front().text.find("amended"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Formats, IngestTarMembers,
                         ::testing::Values(std::pair{TarFormat::Tar, ".tar"}, std::pair{TarFormat::TarGz, ".tar.gz"},
                                           std::pair{TarFormat::TarXz, ".tar.xz"}, std::pair{TarFormat::SevenZip, ".7z"}));

// A reader kept open serves files after and before the last one read (the stream reopened for the latter).
TEST(TarMembers, AReaderStreamsForwardAndReopensForAFileAlreadyPassed) {
  test::TempDir dir;
  const fs::path tgz = dir.path() / "x.tgz";
  writeBytes(tgz, folio::test::tarBytes({{"one.txt", "One.\n"}, {"two.txt", "Two.\n"}, {"three.txt", "Three.\n"}}, TarFormat::TarGz));
  auto archive = openArchiveFile(tgz);
  ASSERT_TRUE(archive) << archive.error().message;
  const auto files = archiveFiles(**archive);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].name, "one.txt");  // archive order, not sorted
  EXPECT_EQ(files[2].name, "three.txt");
  ArchiveMemberReader reader;
  for (const char* name : {"one.txt", "three.txt", "two.txt", "two.txt", "one.txt"}) {
    auto got = reader.read({tgz, name}, 1024);
    ASSERT_TRUE(got) << name << ": " << got.error().message;
    EXPECT_EQ(got->substr(0, 3), std::string(name).substr(0, 3) == "one" ? "One" : std::string(name) == "two.txt" ? "Two" : "Thr");
  }
}

TEST(TarMembers, ASymlinkIsNotFollowedAndATarBombIsCutAtTheBudget) {
  test::TempDir dir;
  const fs::path tgz = dir.path() / "bomb.tar.gz";
  // Stated sizes of 4 MiB each, written as zeros: 12 MiB in a few KiB.
  writeBytes(tgz, folio::test::tarBytes({{"a.txt", "", "", 4 << 20}, {"escape.txt", "", "/etc/passwd"}, {"b.txt", "", "", 4 << 20},
                                  {"c.txt", "", "", 4 << 20}},
                                 TarFormat::TarGz));
  ASSERT_LT(fs::file_size(tgz), 64u << 10);
  WalkOptions options;
  options.max_archive_expansion = 6u << 20;
  std::vector<std::string> files, skipped;
  ASSERT_TRUE(walkTree(tgz, options, [&](const WalkEntry& e) { return files.push_back(e.member), true; },
                       [&](const SkippedEntry& s) { skipped.push_back(fs::path(s.path).filename().string() + ": " + s.reason); }));
  EXPECT_EQ(files, (std::vector<std::string>{"a.txt"}));
  ASSERT_EQ(skipped.size(), 3u) << ::testing::PrintToString(skipped);
  EXPECT_EQ(skipped[0], "escape.txt: not a regular file (symbolic link)");
  EXPECT_NE(skipped[1].find("b.txt: not read: the archive's files expand past 6 MiB"), std::string::npos) << skipped[1];
  auto link = readDocumentBytes(tgz / "escape.txt", 1 << 20);
  ASSERT_FALSE(link);
  EXPECT_NE(link.error().message.find("symbolic link"), std::string::npos) << link.error().message;
}

}  // namespace
}  // namespace folio::ingest
