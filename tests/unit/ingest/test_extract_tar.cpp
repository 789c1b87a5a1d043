// Tar and 7-Zip archives read as one text, as a zip is (zip_extract.h): attached to a message or inside
// another archive, read from memory with libarchive. Files in the archive's own order (a stream),
// symbolic links named as not read, a tar bomb refused within the budget, a broken one failing by name.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/libarchive_reader.h"
#include "ingest/source_kind.h"
#include "ingest/zip_extract.h"
#include "support/docx_writer.h"
#include "support/mail_writer.h"
#include "unit/ingest/tar_writer.h"

namespace folio::ingest {
namespace {

using folio::test::TarFormat;

Result<ExtractedText> extractNamed(const std::string& bytes, const std::string& name) {
  return extractBytes(bytes, classifySource(name), name);
}

TEST(ExtractTar, NamesOfTarsAnd7zAreArchivesButABareGzIsNot) {
  for (const char* name : {"a.tar", "a.tar.gz", "A.TAR.GZ", "a.tgz", "a.tar.bz2", "a.tbz2", "a.tar.xz", "a.txz", "a.7z"})
    EXPECT_EQ(classifySource(name).kind, SourceKind::Archive) << name;
  EXPECT_EQ(classifySource("notes.txt.gz").kind, SourceKind::Unknown);
  EXPECT_EQ(classifySource("data.json.xz").kind, SourceKind::Unknown);
  EXPECT_EQ(classifySource(".tar.gz").kind, SourceKind::Unknown);  // a dot file, no name before
}

TEST(ExtractTar, FilesAreReadInArchiveOrderInEveryFormat) {
  for (const auto& [format, name] : std::vector<std::pair<TarFormat, std::string>>{
           {TarFormat::Tar, "src.tar"}, {TarFormat::TarGz, "src.tar.gz"}, {TarFormat::TarXz, "src.txz"}, {TarFormat::SevenZip, "src.7z"}}) {
    const std::string tar = folio::test::tarBytes({{"./zeta/notes.md", "# Zeta\nLast by name, first in the archive.\n"},
                                            {"./alpha.txt", "Alpha clause.\n"},
                                            {"./link.txt", "", "/etc/passwd"}},
                                           format);
    auto r = extractNamed(tar, name);
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().message;
    const size_t zeta = r->text.find("---------- File: zeta/notes.md ----------\n# Zeta");
    const size_t alpha = r->text.find("---------- File: alpha.txt ----------\nAlpha clause.\n");
    EXPECT_NE(zeta, std::string::npos) << name << "\n" << r->text;
    EXPECT_LT(zeta, alpha) << name << "\n" << r->text;
    EXPECT_NE(r->text.find("- link.txt: not a regular file (symbolic link)"), std::string::npos) << name << "\n" << r->text;
    EXPECT_EQ(r->text.find("root:"), std::string::npos);
  }
}

TEST(ExtractTar, ATarGzAttachedToAMessageIsCitedFileByFile) {
  const std::string inner = test::zipBytes({{"minutes.txt", "The board approved the merger.\n"}});
  const std::string tgz = folio::test::tarBytes({{"papers/readme.txt", "Board papers.\n"}, {"papers/2024/board.zip", inner}}, TarFormat::TarGz);
  const std::string mail = test::messageWith("Board papers", "As a tarball.", test::attachedPart("papers.tar.gz", "application/gzip", tgz));
  auto m = extractNamed(mail, "board.eml");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_NE(m->text.find("---------- File: papers/readme.txt ----------\nBoard papers.\n"), std::string::npos) << m->text;
  const EstimatingTokenCounter tokens;
  std::vector<std::string> h;
  for (const Chunk& c : chunkDocument(*m, classifySource("board.eml"), tokens)) {
    std::string joined;
    for (const auto& part : c.heading_path) joined += (joined.empty() ? "" : " \xE2\x80\xBA ") + part;
    h.push_back(joined);
  }
  const std::string want = "Attachment: papers.tar.gz \xE2\x80\xBA File: papers/2024/board.zip \xE2\x80\xBA File: minutes.txt";
  EXPECT_NE(std::find(h.begin(), h.end(), want), h.end()) << ::testing::PrintToString(h);
}

// Eight files of 4 MiB of zeros (about 4 KiB gzipped apiece) under a 10 MiB budget: two read, the third
// stops as it passes, the rest are not inflated.
TEST(ExtractTar, ATarBombIsRefusedWithinTheBudget) {
  std::vector<folio::test::TarMember> members;
  for (int i = 0; i < 8; ++i) members.push_back({"zeros" + std::to_string(i) + ".txt", std::string(4u << 20, '0')});
  const std::string tgz = folio::test::tarBytes(members, TarFormat::TarGz);
  ASSERT_LT(tgz.size(), 200u * 1024);
  std::atomic<uint64_t> expanded{0};
  ZipLimits limits;
  limits.max_total_bytes = 10u << 20;
  limits.expanded = &expanded;
  const mail::AttachmentReader reader = [](std::string_view bytes, const std::string& name) -> std::optional<Result<ExtractedText>> {
    return extractBytes(bytes, classifySource(name), name);
  };
  auto r = extractZip(tgz, "bomb.tar.gz", reader, limits);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_LE(expanded.load(), limits.max_total_bytes + (64u << 10));
  size_t read = 0, refused = 0;
  for (size_t at = r->text.find("---------- File: zeros"); at != std::string::npos; at = r->text.find("---------- File: zeros", at + 1)) ++read;
  for (size_t at = r->text.find("not read: the archive expands past 10 MiB"); at != std::string::npos;
       at = r->text.find("not read: the archive expands past 10 MiB", at + 1))
    ++refused;
  EXPECT_EQ(read, 2u);
  EXPECT_EQ(refused, 5u) << r->text.substr(r->text.size() > 2000 ? r->text.size() - 2000 : 0);
}

// A gzipped tar's headers are found by inflating what lies between them: past the budget of stated
// sizes the listing stops, naming what is left unread, rather than inflating a bomb whole.
TEST(ExtractTar, TheListingStopsOnceTheStatedSizesPassTheBudget) {
  const std::string tgz = folio::test::tarBytes(
      {{"a.txt", "", "", 4 << 20}, {"b.txt", "", "", 4 << 20}, {"c.txt", "", "", 4 << 20}}, TarFormat::TarGz);
  auto archive = openLibArchiveBytes(tgz, "bomb.tgz", 6u << 20);
  ASSERT_TRUE(archive) << archive.error().message;
  std::vector<std::string> listed;
  for (const auto& e : (*archive)->entries()) listed.push_back(e.name + (e.unreadable.empty() ? "" : ": " + e.unreadable));
  EXPECT_EQ(listed, (std::vector<std::string>{"a.txt", "b.txt", "(the rest of the archive): not read: the files before it expand past 6 MiB"}));
  auto whole = openLibArchiveBytes(tgz, "bomb.tgz");  // the default budget: all listed
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ((*whole)->entries().size(), 3u);
}

TEST(ExtractTar, ABrokenArchiveFailsNamingIt) {
  auto junk = extractNamed("not a tar at all, just text that is long enough to be looked at by the readers", "junk.tar.gz");
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.error().message.find("junk.tar.gz"), std::string::npos) << junk.error().message;
}

// A download cut short: the files before the cut are read, the rest said to be lost. In a plain tar each
// file is a 512-byte header and its data padded to 512: cut inside the second file's header.
TEST(ExtractTar, ATruncatedArchiveKeepsTheFilesBeforeTheCut) {
  std::string tar = folio::test::tarBytes({{"a.txt", "Alpha clause.\n"}, {"b.txt", "Beta clause.\n"}}, TarFormat::Tar);
  tar.resize(512 + 512 + 256);
  auto cut = extractNamed(tar, "cut.tar");
  ASSERT_TRUE(cut.ok()) << cut.error().message;
  EXPECT_NE(cut->text.find("---------- File: a.txt ----------\nAlpha clause."), std::string::npos) << cut->text;
  EXPECT_EQ(cut->text.find("Beta clause."), std::string::npos);
  EXPECT_NE(cut->text.find("(the rest of the archive): not read: the archive is corrupt after its first 1 entries"),
            std::string::npos)
      << cut->text;
}

}  // namespace
}  // namespace folio::ingest
