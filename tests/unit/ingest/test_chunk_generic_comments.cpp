// The generic chunker on text whose '#' lines are comments (configuration files, templates) rather than
// Markdown headings: comment blocks are paragraphs, only banner lines give headings.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByPath;
using test::textDoc;

const EstimatingTokenCounter kTokens;

// In the style of redis.conf: a header comment, banners, comment blocks before directives, commented-out
// directives, a table inside a comment.
const char* const kServerConf = R"(# Cache server configuration file example.
#
# Note that in order to read the configuration file, the server must be
# started with the file path as first argument:
#
# ./cache-server /path/to/cache.conf

################################## INCLUDES ###################################

# Include one or more other config files here.  This is useful if you
# have a standard template that goes to all servers but also need
# to customize a few per-server settings.
#
# include /path/to/local.conf
# include /path/to/other.conf

################################## NETWORK #####################################

# By default the server listens for connections from all the network
# interfaces available on the host. It is possible to listen to just one
# or multiple selected interfaces using the "bind" directive.
#
# bind 192.168.1.100 10.0.0.1
bind 127.0.0.1 -::1

# Protected mode is a layer of security protection, in order to avoid that
# instances left open on the internet are accessed and exploited.
protected-mode yes

# Accept connections on the specified port, default is 6379.
port 6379

# Close the connection after a client is idle for N seconds (0 to disable)
timeout 0

################################# SECURITY ####################################

# ACL LOG
#
# The ACL Log tracks failed commands and authentication events associated
# with ACLs. The ACL Log is useful to troubleshoot failed commands blocked
# by ACLs. The ACL Log is stored in memory. You can reclaim memory with
# ACL LOG RESET. Define the maximum entry length of the ACL Log below.
acllog-max-len 128

# The eviction policies:
#
# | policy         | effect                                     |
# |----------------|--------------------------------------------|
# | volatile-lru   | evict using approximated LRU, expire set   |
# | allkeys-lru    | evict any key using approximated LRU       |
# | noeviction     | don't evict anything, return an error      |
#
# maxmemory-policy noeviction
)";

const std::set<std::string> kBanners{"INCLUDES", "NETWORK", "SECURITY"};

std::string lineAt(const std::string& text, int line) {
  size_t at = 0;
  for (int i = 1; i < line; ++i) at = text.find('\n', at) + 1;
  return text.substr(at, text.find('\n', at) - at);
}

TEST(ChunkGenericComments, ConfigFileIsChunkedBySectionsNotComments) {
  const ExtractedText doc = textDoc(kServerConf);
  for (const SourceKind kind : {SourceKind::PlainText, SourceKind::Unknown}) {
    const SourceType type{kind, ""};
    ASSERT_EQ(chunkerFor(doc, type), ChunkerId::Generic);
    const auto chunks = chunkDocument(doc, type, kTokens);
    expectProvenance(doc, chunks);
    // One chunk for the header comment and one per banner's section (the old chunker made one per
    // comment line with text: 20 here).
    ASSERT_EQ(chunks.size(), 4u);
    EXPECT_TRUE(chunks[0].heading_path.empty());
    EXPECT_EQ(chunks[0].line_first, 1);
    EXPECT_EQ(chunks[0].line_last, 6);
    EXPECT_EQ(chunks[1].heading_path, std::vector<std::string>{"INCLUDES"});
    EXPECT_EQ(chunks[1].line_first, 8);
    EXPECT_EQ(chunks[2].heading_path, std::vector<std::string>{"NETWORK"});
    EXPECT_EQ(chunks[3].heading_path, std::vector<std::string>{"SECURITY"});
    EXPECT_EQ(chunks[3].line_last, 54);
  }
}

TEST(ChunkGenericComments, BannersGiveThePathAndCommentBlocksArePacked) {
  const ExtractedText doc = textDoc(kServerConf);
  ChunkOptions o;
  o.target_tokens = 120;
  o.overlap_tokens = 0;
  const auto chunks = chunkGeneric(doc, kTokens, o, SourceKind::PlainText);
  expectProvenance(doc, chunks);
  // Every comment block with its directive is in one chunk, several blocks share one.
  EXPECT_LE(chunks.size(), 8u);
  std::set<std::string> seen;
  for (const Chunk& c : chunks) {
    EXPECT_LE(c.token_count, 120);
    if (c.heading_path.empty()) {
      EXPECT_EQ(c.line_first, 1);  // the header comment, before the first banner
      EXPECT_EQ(c.kind, ChunkKind::Paragraph);
      continue;
    }
    ASSERT_EQ(c.heading_path.size(), 1u);
    EXPECT_TRUE(kBanners.count(c.heading_path[0])) << c.heading_path[0];
    seen.insert(c.heading_path[0]);
    EXPECT_EQ(c.kind, ChunkKind::Section);
    EXPECT_GT(c.line_last, c.line_first) << "a chunk of one line: " << c.text;
  }
  EXPECT_EQ(seen, kBanners);
  // The ACL LOG comment block sits in the SECURITY section with its directive, not as a heading.
  bool acl_log = false;
  for (const Chunk& c : chunks) {
    if (c.text.find("# ACL LOG\n#\n# The ACL Log tracks") == std::string::npos) continue;
    acl_log = true;
    EXPECT_EQ(c.heading_path, std::vector<std::string>{"SECURITY"});
    EXPECT_NE(c.text.find("acllog-max-len 128"), std::string::npos);
  }
  EXPECT_TRUE(acl_log);
  // The section starts at its banner line.
  const Chunk* network = findByPath(chunks, {"NETWORK"});
  ASSERT_NE(network, nullptr);
  EXPECT_NE(lineAt(doc.text, network->line_first).find("NETWORK"), std::string::npos);
}

TEST(ChunkGenericComments, BannerAloneIsNotAChunk) {
  // The block after the banner does not fit beside it: the banner is only the heading of what follows.
  std::string text = "################# LAZY FREEING #################\n\n";
  for (int i = 0; i < 12; ++i) {
    text += "# The server can free memory in a background thread, line " + std::to_string(i) + ".\n";
  }
  text += "lazyfree-lazy-eviction no\n";
  const ExtractedText doc = textDoc(text);
  ChunkOptions o;
  o.target_tokens = 200;
  const auto chunks = chunkGeneric(doc, kTokens, o, SourceKind::PlainText);
  expectProvenance(doc, chunks);
  ASSERT_GE(chunks.size(), 1u);
  for (const Chunk& c : chunks) {
    EXPECT_EQ(c.heading_path, std::vector<std::string>{"LAZY FREEING"});
    EXPECT_EQ(c.text.find("#################"), std::string::npos) << c.text;
  }
}

TEST(ChunkGenericComments, OtherBannerForms) {
  const ExtractedText doc = textDoc(
      "# -*- coding: utf-8 -*-\n# vim: set ts=8:\n\nname = demo\n\n"
      "# ===== Storage =====\n# Where the data lives.\ndir = /var/lib/demo\n\n"
      "##########################\n#   Logging Options   #\n##########################\n\n"
      "# How much to log.\nloglevel = notice\n\n"
      "### Note\n# not a banner: framed on one side only\nmode = fast\n");
  const auto chunks = chunkGeneric(doc, kTokens, {}, SourceKind::PlainText);
  expectProvenance(doc, chunks);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_TRUE(chunks[0].heading_path.empty());  // the coding line is not a banner
  EXPECT_EQ(chunks[0].line_first, 1);
  EXPECT_EQ(chunks[1].heading_path, std::vector<std::string>{"Storage"});
  EXPECT_EQ(chunks[1].line_first, 6);
  EXPECT_EQ(chunks[2].heading_path, std::vector<std::string>{"Logging Options"});
  EXPECT_EQ(chunks[2].line_first, 10);
  EXPECT_NE(chunks[2].text.find("mode = fast"), std::string::npos);
}

TEST(ChunkGenericComments, TemplateHeaderHasNoHeadings) {
  // jemalloc_macros.h.in style: preprocessor lines indented after the '#'.
  const ExtractedText doc = textDoc(
      "#include <stdlib.h>\n#include <stdbool.h>\n\n"
      "#define JEMALLOC_VERSION \"@jemalloc_version@\"\n"
      "#define JEMALLOC_VERSION_MAJOR @jemalloc_version_major@\n\n"
      "#define MALLOCX_LG_ALIGN(la)\t((int)(la))\n"
      "#if LG_SIZEOF_PTR == 2\n"
      "#  define MALLOCX_ALIGN(a)\t((int)(ffs((int)(a))-1))\n"
      "#else\n"
      "#  define MALLOCX_ALIGN(a)\t\t\t\t\t\t\\\n"
      "     ((int)(((size_t)(a) < (size_t)INT_MAX) ? ffs((int)(a))-1 :\t\\\n"
      "     ffs((int)(((size_t)(a))>>32))+31))\n"
      "#endif\n\n"
      "#ifdef JEMALLOC_HAVE_ATTR\n"
      "#  define JEMALLOC_ATTR(s) __attribute__((s))\n"
      "#  define JEMALLOC_ALIGNED(s) JEMALLOC_ATTR(aligned(s))\n"
      "#  ifdef JEMALLOC_HAVE_ATTR_ALLOC_SIZE\n"
      "#    define JEMALLOC_ALLOC_SIZE(s) JEMALLOC_ATTR(alloc_size(s))\n"
      "#  else\n"
      "#    define JEMALLOC_ALLOC_SIZE(s)\n"
      "#  endif\n"
      "#endif\n");
  const SourceType type{SourceKind::Unknown, ""};
  ASSERT_EQ(chunkerFor(doc, type), ChunkerId::Generic);
  const auto chunks = chunkDocument(doc, type, kTokens);
  expectProvenance(doc, chunks);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_TRUE(chunks[0].heading_path.empty());
  EXPECT_EQ(chunks[0].kind, ChunkKind::Paragraph);
  EXPECT_EQ(chunks[0].line_first, 1);
}

TEST(ChunkGenericComments, OneCommentPerDirectiveIsStillComments) {
  // sentinel.conf style: single comment lines, each before its directive.
  const ExtractedText doc = textDoc(
      "# Example sentinel.conf\n\nprotected-mode no\n\n"
      "# The port that this sentinel instance will run on\nport 26379\n\n"
      "# Run as a daemon\ndaemonize no\n\n# Where to write the pid file\npidfile /var/run/sentinel.pid\n\n"
      "# Log verbosity\nloglevel notice\n\n# sentinel monitor <master-name> <ip> <port> <quorum>\n"
      "sentinel monitor mymaster 127.0.0.1 6379 2\n");
  const auto chunks = chunkDocument(doc, SourceType{SourceKind::PlainText, ""}, kTokens);
  expectProvenance(doc, chunks);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_TRUE(chunks[0].heading_path.empty());
}

// Markdown-style text keeps its '#' headings, as .md and as .txt, a fenced shell block with '#' comments
// notwithstanding; a hash-commented text keeps its setext headings.
TEST(ChunkGenericComments, MarkdownStyleTextKeepsHeadings) {
  const ExtractedText doc = textDoc(
      "# Folio\n\nA desktop app that answers questions about documents.\n\n"
      "## Install\nRun the installer, then start the app.\n\n"
      "```\n# build it\n# from source\ncmake --build build\n```\n\n"
      "## Usage\n\nPoint it at a folder.\n\n### Search\nType a question.\n");
  for (const SourceKind kind : {SourceKind::Markdown, SourceKind::PlainText, SourceKind::Unknown}) {
    const auto chunks = chunkDocument(doc, SourceType{kind, ""}, kTokens);
    expectProvenance(doc, chunks);
    ASSERT_EQ(chunks.size(), 4u) << sourceKindName(kind);
    EXPECT_EQ(chunks[0].heading_path, std::vector<std::string>{"Folio"});
    EXPECT_EQ(chunks[1].heading_path, (std::vector<std::string>{"Folio", "Install"}));
    EXPECT_NE(chunks[1].text.find("# from source"), std::string::npos);
    EXPECT_EQ(chunks[2].heading_path, (std::vector<std::string>{"Folio", "Usage"}));
    EXPECT_EQ(chunks[3].heading_path, (std::vector<std::string>{"Folio", "Usage", "Search"}));
    EXPECT_EQ(chunks[3].line_first, 18);
  }

  // Shell prompts as comments make this text hash-commented; its setext headings still count.
  const ExtractedText notes = textDoc(
      "Saving the environment\n======================\n\n"
      "# mkdir backup\n# cd backup\n# rsync -a root@host:/ .\n\n"
      "Restoring\n---------\n\n# cd backup\n# rsync -a . root@host:/\n");
  const auto nc = chunkDocument(notes, SourceType{SourceKind::PlainText, ""}, kTokens);
  expectProvenance(notes, nc);
  ASSERT_EQ(nc.size(), 2u);
  EXPECT_EQ(nc[0].heading_path, std::vector<std::string>{"Saving the environment"});
  EXPECT_EQ(nc[1].heading_path, (std::vector<std::string>{"Saving the environment", "Restoring"}));
}

TEST(ChunkGenericComments, MarkdownAndHtmlNeverTreatHashLinesAsComments) {
  // The same configuration text, declared Markdown: every '#' line with text is a heading, as before.
  const ExtractedText doc = textDoc(kServerConf);
  const auto chunks = chunkGeneric(doc, kTokens, {}, SourceKind::Markdown);
  expectProvenance(doc, chunks);
  EXPECT_NE(findByPath(chunks, {"ACL LOG"}), nullptr);
  EXPECT_GT(chunks.size(), 10u);
}

}  // namespace
}  // namespace folio::ingest
