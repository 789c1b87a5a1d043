#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "ingest/walker.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

class WalkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "folio_walker_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& bytes) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }
  struct Outcome {
    std::vector<std::string> files;
    std::map<std::string, std::string> skipped;  // rel path -> reason
    std::vector<WalkEntry> entries;
  };
  Outcome walk(const WalkOptions& options = {}, const fs::path& root = {}) {
    Outcome out;
    const fs::path r = root.empty() ? root_ : root;
    const Status s = walkTree(
        r, options,
        [&](const WalkEntry& e) {
          out.files.push_back(e.rel_path);
          out.entries.push_back(e);
          return true;
        },
        [&](const SkippedEntry& e) {
          out.skipped[e.path.lexically_relative(r).string()] = e.reason;
        });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return out;
  }
  fs::path root_;
};

using Files = std::vector<std::string>;

TEST_F(WalkerTest, SortedDeterministicAndClassified) {
  write("b.py", "print(1)\n");
  write("a/z.cpp", "int main() {}\n");
  write("a/m.md", "# hi\n");
  write("c.txt", "plain\n");
  const Outcome o = walk();
  EXPECT_EQ(o.files, (Files{"a/m.md", "a/z.cpp", "b.py", "c.txt"}));
  EXPECT_EQ(o.entries[1].type.kind, SourceKind::Code);
  EXPECT_EQ(o.entries[1].type.language, "cpp");
  EXPECT_EQ(o.entries[1].size, 14u);
  EXPECT_GT(o.entries[1].mtime_ns, 0);
  EXPECT_EQ(o.entries[1].path, root_ / "a/z.cpp");
  EXPECT_TRUE(o.skipped.empty());
}

TEST_F(WalkerTest, NestedNegatedAnchoredDirOnlyAndDoubleStar) {
  write(".gitignore", "*.log\n/only_top.txt\nbuild/\n**/gen/*.c\n");
  write("only_top.txt", "x");
  write("sub/only_top.txt", "x");
  write("a.log", "x");
  write("sub/.gitignore", "!keep.log\n*.tmp\n");
  write("sub/keep.log", "x");
  write("sub/drop.log", "x");
  write("sub/x.tmp", "x");
  write("x.tmp", "x");  // the nested rule applies to sub/ only
  write("build/out.txt", "x");
  write("src/build", "a file named build is not a directory");
  write("deep/er/gen/g.c", "x");
  write("deep/er/gen/g.h", "x");
  const Outcome o = walk();
  EXPECT_EQ(o.files, (Files{".gitignore", "deep/er/gen/g.h", "src/build", "sub/.gitignore", "sub/keep.log",
                            "sub/only_top.txt", "x.tmp"}));
}

TEST_F(WalkerTest, CannotReincludeUnderExcludedDirectory) {
  write(".gitignore", "vendor/\n!vendor/keep.txt\n");
  write("vendor/keep.txt", "x");
  write("vendor/.gitignore", "!keep.txt\n");
  write("ok.txt", "x");
  EXPECT_EQ(walk().files, (Files{".gitignore", "ok.txt"}));
}

TEST_F(WalkerTest, ReincludeWhenOnlyContentsExcluded) {
  write(".gitignore", "/data/*\n!/data/keep.txt\n");
  write("data/keep.txt", "x");
  write("data/drop.txt", "x");
  EXPECT_EQ(walk().files, (Files{".gitignore", "data/keep.txt"}));
}

TEST_F(WalkerTest, IgnoreFileAndInfoExclude) {
  write(".git/info/exclude", "*.secret\n");
  write(".git/config", "[core]\n");
  write(".ignore", "notes/\n!x.secret\n");
  write("a.secret", "x");
  write("x.secret", "x");  // .ignore re-includes over info/exclude
  write("notes/n.txt", "x");
  write("main.c", "int x;\n");
  EXPECT_EQ(walk().files, (Files{".ignore", "main.c", "x.secret"}));
  WalkOptions no_rules;
  no_rules.honour_ignore_files = false;
  EXPECT_EQ(walk(no_rules).files, (Files{".ignore", "a.secret", "main.c", "notes/n.txt", "x.secret"}));
}

TEST_F(WalkerTest, SymlinkOutOfRootIsSkipped) {
  std::string tmpl = (fs::temp_directory_path() / "folio_walker_out_XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const fs::path outside = tmpl;
  std::ofstream(outside / "secret.txt") << "outside";
  write("in.txt", "x");
  fs::create_directory_symlink(outside, root_ / "outdir");
  fs::create_symlink(outside / "secret.txt", root_ / "outfile.txt");
  fs::create_symlink(root_ / "in.txt", root_ / "alias.txt");
  const Outcome o = walk();
  EXPECT_EQ(o.files, (Files{"alias.txt", "in.txt"}));
  ASSERT_EQ(o.skipped.count("outdir"), 1u);
  EXPECT_NE(o.skipped.at("outdir").find("outside the root"), std::string::npos);
  EXPECT_NE(o.skipped.at("outfile.txt").find("outside the root"), std::string::npos);
  fs::remove_all(outside);
}

TEST_F(WalkerTest, SymlinkLoopsAreDetected) {
  write("a/b/f.txt", "x");
  fs::create_directory_symlink(root_ / "a", root_ / "a/b/up");     // loop to an ancestor
  fs::create_directory_symlink(root_ / "a/b", root_ / "alias");    // duplicate of a real directory
  fs::create_symlink(root_ / "self1", root_ / "self2");
  fs::create_symlink(root_ / "self2", root_ / "self1");            // a symlink cycle
  const Outcome o = walk();
  EXPECT_EQ(o.files, (Files{"a/b/f.txt"}));
  EXPECT_NE(o.skipped.at("a/b/up").find("loop"), std::string::npos);
  EXPECT_NE(o.skipped.at("alias").find("already walked"), std::string::npos);
  EXPECT_NE(o.skipped.at("self1").find("loop"), std::string::npos);
}

TEST_F(WalkerTest, SymlinkToIgnoredOrUnwalkedDirectoryInsideRoot) {
  write("real/f.txt", "x");
  write(".gitignore", "real/\n");
  fs::create_directory_symlink(root_ / "real", root_ / "link");
  // The link itself is not ignored and its target is inside the root, so it is walked once.
  EXPECT_EQ(walk().files, (Files{".gitignore", "link/f.txt"}));
}

TEST_F(WalkerTest, FifoSocketAreSkippedWithoutHanging) {
  write("a.txt", "x");
  ASSERT_EQ(::mkfifo((root_ / "pipe.txt").c_str(), 0600), 0);
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock_path = (root_ / "s.sock").string();
  if (sock_path.size() < sizeof(addr.sun_path)) {
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock_path.c_str());
    ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  }
  const Outcome o = walk();
  ::close(sock);
  EXPECT_EQ(o.files, (Files{"a.txt"}));
  EXPECT_NE(o.skipped.at("pipe.txt").find("fifo"), std::string::npos);
  if (sock_path.size() < sizeof(addr.sun_path)) {
    EXPECT_NE(o.skipped.at("s.sock").find("socket"), std::string::npos);
  }
}

TEST_F(WalkerTest, BinaryOversizedAndUnknownTypes) {
  write("bin.c", std::string("int x;\0\1\2", 9));
  write("big.txt", std::string(3000, 'a'));
  write("small.txt", std::string(100, 'a'));
  write("notes.unknownext", "just some text\n");
  write("blob.dat", std::string("\x01\x02\x03\x04\x05\x06\x07\x08 binaryish", 18));
  write("late.bin", std::string(9000, 'a') + std::string(1, '\0'));  // NUL after 8 KiB: not detected
  WalkOptions o;
  o.max_file_bytes = 2000;
  o.max_document_bytes = 2000;
  const Outcome r = walk(o);
  EXPECT_EQ(r.files, (Files{"notes.unknownext", "small.txt"}));
  EXPECT_NE(r.skipped.at("bin.c").find("binary"), std::string::npos);
  EXPECT_NE(r.skipped.at("big.txt").find("too large: 3000 bytes > 2000"), std::string::npos);
  EXPECT_NE(r.skipped.at("blob.dat").find("does not look like text"), std::string::npos);
  EXPECT_NE(r.skipped.at("late.bin").find("too large"), std::string::npos);
  EXPECT_EQ(r.entries[0].type.kind, SourceKind::PlainText);
}

// Prose gets a larger cap than code and data: a 3 MB book or HTML export of a contract is a document,
// a 3 MB JSON or source file is generated. Before, every text file over 2 MiB was skipped.
TEST_F(WalkerTest, ProseHasALargerSizeCapThanCodeAndData) {
  std::string prose;
  while (prose.size() < 3000) prose += "The Supplier shall keep records of each delivery. ";
  for (const char* name : {"book.txt", "contract.html", "notes.md", "data.json", "config.yaml", "main.c", "blob.log"})
    write(name, prose);
  WalkOptions o;
  o.max_file_bytes = 2000;
  o.max_document_bytes = 4000;
  const Outcome r = walk(o);
  EXPECT_EQ(r.files, (Files{"book.txt", "contract.html", "notes.md"}));
  for (const char* name : {"data.json", "config.yaml", "main.c", "blob.log"})
    EXPECT_NE(r.skipped.at(name).find("too large"), std::string::npos) << name;
  o.max_document_bytes = 2500;
  EXPECT_NE(walk(o).skipped.at("book.txt").find("too large: "), std::string::npos);
  EXPECT_EQ(WalkOptions{}.max_document_bytes, 32u << 20);
  EXPECT_EQ(WalkOptions{}.max_file_bytes, 2u << 20);
}

TEST_F(WalkerTest, WithoutSniffingFilesAreListedAndSniffContentGivesTheSameVerdicts) {
  write("bin.c", std::string("int x;\0\1\2", 9));
  write("notes.unknownext", "just some text\n");
  write("blob.dat", std::string("\x01\x02\x03\x04\x05\x06\x07\x08 binaryish", 18));
  write("late.txt", std::string(9000, 'a') + std::string(1, '\0'));
  // A compound file without an Office extension is not read (a .doc, .xls or .msg is, by content).
  write("old.bak", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  write("old.doc", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  write("old.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  const Outcome sniffed = walk();
  ASSERT_TRUE(sniffed.skipped.count("old.bak"));
  EXPECT_NE(sniffed.skipped.at("old.bak").find("Office 97-2003"), std::string::npos) << sniffed.skipped.at("old.bak");
  EXPECT_FALSE(sniffed.skipped.count("old.doc"));
  EXPECT_FALSE(sniffed.skipped.count("old.xls"));
  WalkOptions o;
  o.sniff_contents = false;
  const Outcome listed = walk(o);
  EXPECT_EQ(listed.files, (Files{"bin.c", "blob.dat", "late.txt", "notes.unknownext", "old.bak", "old.doc", "old.xls"}));
  EXPECT_TRUE(listed.skipped.empty());
  for (const WalkEntry& e : listed.entries) {
    std::ifstream in(e.path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SourceType type = e.type;
    const auto reason = sniffContent(bytes, type);
    if (sniffed.skipped.count(e.rel_path)) {
      ASSERT_TRUE(reason.has_value()) << e.rel_path;
      EXPECT_EQ(*reason, sniffed.skipped.at(e.rel_path));
    } else {
      EXPECT_FALSE(reason.has_value()) << e.rel_path << ": " << reason.value_or("");
      const auto it = std::find(sniffed.files.begin(), sniffed.files.end(), e.rel_path);
      ASSERT_NE(it, sniffed.files.end());
      EXPECT_EQ(type.kind, sniffed.entries[static_cast<size_t>(it - sniffed.files.begin())].type.kind) << e.rel_path;
    }
  }
}

TEST_F(WalkerTest, NulAfterFirst8KiBIsNotBinary) {
  write("late.txt", std::string(9000, 'a') + std::string(1, '\0'));
  EXPECT_EQ(walk().files, (Files{"late.txt"}));
}

TEST_F(WalkerTest, NonUtf8NamesAndContentKeepRawBytes) {
  const std::string name = "caf\xE9.txt";  // Latin-1 e-acute: not UTF-8
  write(name, "na\xEFve content\n");
  const Outcome o = walk();
  ASSERT_EQ(o.files.size(), 1u);
  EXPECT_EQ(o.files[0], name);
  EXPECT_TRUE(fs::exists(o.entries[0].path));
}

TEST_F(WalkerTest, NeverDescendsIntoDotGit) {
  write(".git/HEAD", "ref: refs/heads/main\n");
  write("sub/.git", "gitdir: ../.git/modules/sub\n");
  write("sub/a.go", "package a\n");
  EXPECT_EQ(walk().files, (Files{"sub/a.go"}));
}

TEST_F(WalkerTest, SingleFileRootAndStop) {
  write("one.py", "x = 1\n");
  write("two.py", "x = 2\n");
  const Outcome o = walk({}, root_ / "one.py");
  EXPECT_EQ(o.files, (Files{"one.py"}));
  int seen = 0;
  ASSERT_TRUE(walkTree(root_, {}, [&](const WalkEntry&) { return ++seen < 1; }, nullptr).ok());
  EXPECT_EQ(seen, 1);
}

TEST_F(WalkerTest, MissingRootIsAnError) {
  const Status s = walkTree(root_ / "nope", {}, [](const WalkEntry&) { return true; }, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::NotFound);
  EXPECT_NE(s.error().message.find("nope"), std::string::npos);
}

TEST_F(WalkerTest, SampleCodebase) {
  const Outcome o = walk({}, fs::path(FOLIO_RESOURCES_DIR) / "samples/code/shiptrack");
  EXPECT_EQ(o.files, (Files{".gitignore", "README.md", "geo/distance.cpp", "geo/distance.h", "tracker/auth.py",
                            "tracker/shipment.py", "web/api.ts"}));
}

}  // namespace
}  // namespace folio::ingest
