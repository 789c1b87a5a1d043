#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/chunk_code_scan.h"
#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "unit/ingest/test_chunk_support.h"

namespace fs = std::filesystem;

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByLast;
using test::findByPath;
using test::textDoc;

const fs::path kCode = fs::path(FOLIO_RESOURCES_DIR) / "samples/code/shiptrack";
const EstimatingTokenCounter kTokens;

// Small neighbouring declarations share a chunk, so the spans the scanner found are checked in the
// outline, which lists every declaration as "signature  [lines a-b]".
void expectOutlineLine(const std::vector<Chunk>& chunks, const std::string& line) {
  ASSERT_FALSE(chunks.empty());
  ASSERT_EQ(chunks[0].kind, ChunkKind::Outline);
  EXPECT_NE(chunks[0].text.find(line + "\n"), std::string::npos) << chunks[0].text;
}

std::vector<Chunk> chunkFile(const fs::path& p, ExtractedText& doc, ChunkOptions options = {}) {
  const SourceType type = classifySource(p);
  auto r = extractDocument(p, type);
  EXPECT_TRUE(r.ok());
  doc = *r;
  return chunkDocument(doc, type, kTokens, options);
}

TEST(ChunkCode, SampleCppRouteCacheClass) {
  ExtractedText doc;
  const auto chunks = chunkFile(kCode / "geo/distance.cpp", doc);
  expectProvenance(doc, chunks);
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks[0].kind, ChunkKind::Outline);
  EXPECT_NE(chunks[0].text.find("class RouteCache  [lines 30-44]"), std::string::npos) << chunks[0].text;
  EXPECT_NE(chunks[0].text.find("lengthOf(int route_id, const std::vector<LatLon>& route)  [lines 32-39]"), std::string::npos);
  expectOutlineLine(chunks, "double distanceKm(const LatLon& a, const LatLon& b)  [lines 15-22]");
  // The whole file fits the target: one chunk, named by its first and last declarations.
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[1].heading_path, std::vector<std::string>{"toRadians … class RouteCache (4 declarations)"});
  EXPECT_EQ(chunks[1].kind, ChunkKind::Class);  // the largest of them
  EXPECT_EQ(chunks[1].line_first, 1);
  EXPECT_EQ(chunks[1].line_last, 44);
  EXPECT_EQ(chunks[1].page_first, 0);
}

TEST(ChunkCode, OversizedClassSplitsIntoMethodsWithTheClassPath) {
  ExtractedText doc;
  ChunkOptions small;
  small.target_tokens = 60;
  const auto chunks = chunkFile(kCode / "geo/distance.cpp", doc, small);
  expectProvenance(doc, chunks);
  const Chunk* method = findByPath(chunks, {"class RouteCache", "lengthOf"});
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->line_first, 32);  // its comment block is part of it
  for (const Chunk& c : chunks) EXPECT_LE(c.token_count, 60 + 20) << c.text;
}

TEST(ChunkCode, SamplePythonEstimateEta) {
  ExtractedText doc;
  const auto chunks = chunkFile(kCode / "tracker/shipment.py", doc);
  expectProvenance(doc, chunks);
  expectOutlineLine(chunks, "def estimate_eta(shipment: Shipment, distance_km: float, speed_kmh: float = 62.0) -> datetime:  [lines 33-41]");
  expectOutlineLine(chunks, "class Shipment:  [lines 15-30]");  // from the @dataclass decorator
  EXPECT_NE(findByPath(chunks, {"class Status, class Shipment, estimate_eta"}), nullptr);
}

TEST(ChunkCode, SampleTypeScriptClassAndMethods) {
  ExtractedText doc;
  const auto chunks = chunkFile(kCode / "web/api.ts", doc);
  expectProvenance(doc, chunks);
  EXPECT_NE(chunks[0].text.find("async shipment(id: string): Promise<ShipmentView>  [lines 15-24]"), std::string::npos)
      << chunks[0].text;
  expectOutlineLine(chunks, "export class ApiClient  [lines 9-34]");
  EXPECT_NE(findByPath(chunks, {"interface ShipmentView, class ApiClient"}), nullptr);
}

TEST(ChunkCode, BracesInStringsCommentsAndCharLiterals) {
  const std::string src =
      "// a comment with { and }\n"            // 1
      "const char* s = \"}}}{\";\n"            // 2
      "char c = '}';\n"                         // 3
      "/* block { comment\n } */\n"             // 4-5
      "int f(int x) {\n"                        // 6
      "  const char* r = R\"x(})\")x\";\n"      // 7
      "  int big = 1'000'000; // }\n"           // 8
      "  return x + '{';\n"                     // 9
      "}\n"                                     // 10
      "#define OPEN {\n"                        // 11
      "int g() { return 1; }\n";                // 12
  const ExtractedText doc = textDoc(src);
  const auto chunks = chunkCode(doc, "cpp", kTokens);
  expectProvenance(doc, chunks);
  expectOutlineLine(chunks, "int f(int x)  [lines 4-10]");  // the block comment right above it belongs to it
  expectOutlineLine(chunks, "int g()  [lines 12-12]");
  EXPECT_NE(findByPath(chunks, {"f, g"}), nullptr);
}

TEST(ChunkCode, NestedClassesAndNamespaces) {
  const std::string src =
      "namespace outer {\n"                     // 1
      "namespace inner {\n"                     // 2
      "template <class T>\n"                    // 3
      "class Outer : public Base<T> {\n"        // 4
      " public:\n"                              // 5
      "  struct Inner {\n"                      // 6
      "    int v() const { return 1; }\n"       // 7
      "  };\n"                                  // 8
      "  void run() override {\n"               // 9
      "    if (x) { y(); } else { z(); }\n"     // 10
      "  }\n"                                   // 11
      "};\n"                                    // 12
      "}  // namespace inner\n"                 // 13
      "}  // namespace outer\n";                // 14
  const ExtractedText doc = textDoc(src);
  const auto chunks = chunkCode(doc, "cpp", kTokens);
  expectProvenance(doc, chunks);
  expectOutlineLine(chunks, "template <class T> class Outer : public Base<T>  [lines 3-12]");
  const Chunk* outer = findByPath(chunks, {"class Outer"});
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(outer->line_first, 1);  // with the namespace lines around it, too small to stand alone
  EXPECT_EQ(outer->line_last, 14);
  EXPECT_NE(chunks[0].text.find("  struct Inner  [lines 6-8]"), std::string::npos) << chunks[0].text;
  EXPECT_NE(chunks[0].text.find("    int v() const  [lines 7-7]"), std::string::npos) << chunks[0].text;
  EXPECT_NE(chunks[0].text.find("  void run() override  [lines 9-11]"), std::string::npos) << chunks[0].text;
  ChunkOptions tiny;
  tiny.target_tokens = 20;
  const auto split = chunkCode(doc, "cpp", kTokens, tiny);
  expectProvenance(doc, split);
  EXPECT_NE(findByPath(split, {"class Outer", "struct Inner"}), nullptr);
  EXPECT_NE(findByPath(split, {"class Outer", "run"}), nullptr);
}

TEST(ChunkCode, JavaScriptTemplateLiteralsRegexAndArrows) {
  const std::string src =
      "const re = /[{}]+\\//g;\n"                               // 1
      "const greet = (name) => {\n"                             // 2
      "  return `hi ${name.replace(/}/g, '')} {not a brace`;\n" // 3
      "};\n"                                                    // 4
      "export function total(items) {\n"                        // 5
      "  return items.reduce((a, b) => { return a + b; }, 0);\n" // 6
      "}\n";                                                    // 7
  const ExtractedText doc = textDoc(src);
  const auto chunks = chunkCode(doc, "javascript", kTokens);
  expectProvenance(doc, chunks);
  expectOutlineLine(chunks, "const greet = (name) =>  [lines 2-4]");
  expectOutlineLine(chunks, "export function total(items)  [lines 5-7]");
  EXPECT_NE(findByPath(chunks, {"greet, total"}), nullptr);
}

TEST(ChunkCode, GoRustJava) {
  const ExtractedText go = textDoc(
      "package geo\n\n// Cache keeps lengths.\ntype Cache struct {\n\tm map[int]float64\n}\n\n"
      "func (c *Cache) Get(id int) float64 {\n\ts := `raw } string`\n\treturn c.m[id]\n}\n");
  auto chunks = chunkCode(go, "go", kTokens);
  expectProvenance(go, chunks);
  expectOutlineLine(chunks, "type Cache struct  [lines 3-6]");
  expectOutlineLine(chunks, "func (c *Cache) Get(id int) float64  [lines 8-11]");
  ASSERT_NE(findByPath(chunks, {"type Cache, Get"}), nullptr);
  EXPECT_EQ(findByPath(chunks, {"type Cache, Get"})->line_first, 3);  // "package geo" is too small to lead it

  const ExtractedText rust = textDoc(
      "/* outer /* nested } */ still comment { */\n\n"
      "#[derive(Debug)]\nstruct P<'a> { s: &'a str }\n"
      "impl<'a> P<'a> {\n    fn get(&self) -> char { let c = '}'; let r = r#\"}\"#; c }\n}\n");
  chunks = chunkCode(rust, "rust", kTokens);
  expectProvenance(rust, chunks);
  expectOutlineLine(chunks, "#[derive(Debug)] struct P<'a>  [lines 3-4]");  // from its attribute
  expectOutlineLine(chunks, "impl<'a> P<'a>  [lines 5-7]");
  EXPECT_NE(findByLast(chunks, "struct P, impl P"), nullptr);

  const ExtractedText java = textDoc(
      "public class A {\n  @Override\n  public String toString() {\n    return \"\"\"\n      }\n      \"\"\";\n  }\n}\n");
  chunks = chunkCode(java, "java", kTokens);
  expectProvenance(java, chunks);
  ASSERT_NE(findByPath(chunks, {"class A"}), nullptr);
  EXPECT_EQ(findByPath(chunks, {"class A"})->line_last, 8);
  EXPECT_NE(chunks[0].text.find("@Override public String toString()  [lines 2-7]"), std::string::npos) << chunks[0].text;
}

TEST(ChunkCode, PythonStringsDoNotEndBlocks) {
  const ExtractedText doc = textDoc(
      "def a():\n"
      "    s = '''\n"
      "not_code = 1\n"
      "def fake():\n"
      "'''\n"
      "    return s  # ) ] }\n"
      "\n"
      "class B:\n"
      "    x = (1,\n"
      "2)\n"
      "    def m(self):\n"
      "        return 2\n");
  const auto chunks = chunkCode(doc, "python", kTokens);
  expectProvenance(doc, chunks);
  expectOutlineLine(chunks, "def a():  [lines 1-6]");
  EXPECT_EQ(chunks[0].text.find("fake"), std::string::npos) << chunks[0].text;
  expectOutlineLine(chunks, "class B:  [lines 8-12]");
  EXPECT_NE(findByPath(chunks, {"a, class B"}), nullptr);
}

TEST(ChunkCode, HugeFunctionIsSplitWithItsPath) {
  std::string src = "int huge() {\n";
  for (int i = 0; i < 5000; ++i) src += "  x += " + std::to_string(i) + ";\n";
  src += "}\n";
  const ExtractedText doc = textDoc(src);
  const auto chunks = chunkCode(doc, "c", kTokens);
  expectProvenance(doc, chunks);
  int parts = 0, last_line = 0;
  for (const Chunk& c : chunks) {
    if (c.kind != ChunkKind::Function) continue;
    EXPECT_EQ(c.heading_path, std::vector<std::string>{"huge"});
    EXPECT_LE(c.token_count, 512);
    EXPECT_EQ(c.line_first, last_line + 1);
    last_line = c.line_last;
    ++parts;
  }
  EXPECT_GT(parts, 10);
  EXPECT_EQ(last_line, 5002);
}

TEST(ChunkCode, MaskKeepsLengthAndNewlines) {
  const std::string src = "a = \"x\\\"y\" // c\n/* d\ne */ 'q'";
  const std::string m = maskCode(src, CodeFamily::CLike);
  ASSERT_EQ(m.size(), src.size());
  EXPECT_EQ(m, "a = \"    \"     \n    \n     ' '");
}

TEST(ChunkCode, TokenEstimate) {
  EXPECT_EQ(kTokens.count(""), 0);
  EXPECT_EQ(kTokens.count("abcdefgh"), 2);
  EXPECT_EQ(kTokens.count("a b c d e f"), 6);   // short words: one token each
  EXPECT_EQ(kTokens.count("f(a,b);"), 5);       // 3 words + 4 punctuation / 2
  EXPECT_EQ(kTokens.count("x;"), 2);            // 1 word + ceil(1 / 2)
}

// Minified code: thousands of declarations on one line. Each declaration ran to the end of the line, so
// a 200 KB bundle became 488,343 overlapping chunks (3 minutes; a 1.9 MB one never finished, 8 GB).
// Chunks of one document never overlap (but for the outline, which lists the whole file), so their bytes
// add up to at most the file's.
TEST(ChunkCode, MinifiedOneLineBundleGivesChunksThatDoNotOverlap) {
  std::string js = "var a;";
  while (js.size() < 60000) js += "var b=function(){return 1};";
  const auto chunks = chunkCode(textDoc(js), "javascript", kTokens);
  ASSERT_FALSE(chunks.empty());
  int64_t bytes = 0, end = 0;
  for (const auto& c : chunks) {
    if (c.kind == ChunkKind::Outline) continue;
    EXPECT_GE(c.byte_begin, end) << "chunks overlap";
    end = c.byte_end;
    bytes += c.byte_end - c.byte_begin;
  }
  EXPECT_LE(bytes, static_cast<int64_t>(js.size()));
}

// The outline of a file with thousands of declarations lists what fits four chunks' worth of tokens and
// counts the rest. Unbounded, a minified bundle's outline was one 2.2 MB chunk holding "function" 73,000
// times, and quoting it in a search for "function" took FTS5's snippet 98 s.
TEST(ChunkCode, OutlineOfThousandsOfDeclarationsIsBounded) {
  std::string js;
  for (int i = 0; i < 5000; ++i) js += "function f" + std::to_string(i) + "(a){return a+" + std::to_string(i) + "}\n";
  ChunkOptions options;
  const auto chunks = chunkCode(textDoc(js), "javascript", kTokens, options);
  ASSERT_FALSE(chunks.empty());
  const Chunk& outline = chunks[0];
  ASSERT_EQ(outline.kind, ChunkKind::Outline);
  EXPECT_LE(outline.token_count, 4 * options.target_tokens + 16);
  EXPECT_EQ(outline.text.rfind("Declarations (5000):\n", 0), 0u) << outline.text.substr(0, 80);
  EXPECT_NE(outline.text.find("function f0(a)  [lines 1-1]\n"), std::string::npos);
  const auto more = outline.text.rfind("… and ");
  ASSERT_NE(more, std::string::npos);
  const int listed = static_cast<int>(std::count(outline.text.begin(), outline.text.end(), '\n')) - 2;
  EXPECT_EQ(outline.text.substr(more), "… and " + std::to_string(5000 - listed) + " more\n");
  EXPECT_GT(listed, 50);
  // a small file's outline lists everything, with nothing left out
  const auto small = chunkCode(textDoc("function a(){}\nfunction b(){}\n"), "javascript", kTokens, options);
  EXPECT_EQ(small[0].text, "Declarations (2):\nfunction a()  [lines 1-1]\nfunction b()  [lines 2-2]\n");
}

// libstdc++ opens its namespace with a visibility macro; the "(" made it a function, so a header was one
// declaration cut at lines, headed "_GLIBCXX_VISIBILITY".
TEST(ChunkCode, NamespaceWithAMacroIsTransparent) {
  const ExtractedText doc = textDoc(
      "namespace std _GLIBCXX_VISIBILITY(default)\n"  // 1
      "{\n"                                          // 2
      "  template<typename T>\n"                     // 3
      "    struct less {\n"                          // 4
      "      bool operator()(const T& a, const T& b) const { return a < b; }\n"  // 5
      "    };\n"                                     // 6
      "}\n");                                        // 7
  const auto chunks = chunkCode(doc, "cpp", kTokens);
  expectProvenance(doc, chunks);
  expectOutlineLine(chunks, "template<typename T> struct less  [lines 3-6]");
  EXPECT_EQ(chunks[0].text.find("_GLIBCXX_VISIBILITY"), std::string::npos) << chunks[0].text;
}

// The base class on the next line ("struct pair\n    : public __pair_base<T1, T2>") named the class
// after its base.
TEST(ChunkCode, ClassNameBeforeABaseOnTheNextLine) {
  const ExtractedText doc = textDoc("struct pair\n    : public pair_base<int> {\n  int first;\n};\n");
  const auto chunks = chunkCode(doc, "cpp", kTokens);
  expectProvenance(doc, chunks);
  EXPECT_NE(findByPath(chunks, {"struct pair"}), nullptr) << chunks.back().heading_path.at(0);
}

}  // namespace
}  // namespace folio::ingest


namespace folio::ingest {
namespace {

// PHP: braces in heredocs, nowdocs, multi-line strings, '#' comments and the page's HTML are no code;
// Dart: nor in '''…''' / """…""" strings. Each once ended a declaration early or opened a false one.
TEST(ChunkCodeMask, PhpHeredocsCommentsStringsAndInlineHtml) {
  const std::string src =
      "<html><p>Don't {</p>\n<?php\n"
      "$sql = <<<SQL\n  SELECT '{' FROM t WHERE x = \"}\"\n  SQL;\n"
      "$raw = <<<'RAW'\n{ raw }\nRAW;\n"
      "$x = 1; # note {\n"
      "#[Attribute] /* { */\n"
      "$s = 'line one {\nline two';\n"
      "?>\n<b>it's }</b>\n<?= $y ?>";
  const std::string m = maskCode(src, CodeFamily::CLike, "php");
  ASSERT_EQ(m.size(), src.size());
  EXPECT_EQ(std::count(m.begin(), m.end(), '{'), 0) << m;
  EXPECT_EQ(std::count(m.begin(), m.end(), '}'), 0) << m;
  EXPECT_NE(m.find("$sql = <<<SQL"), std::string::npos);
  EXPECT_NE(m.find("  SQL;"), std::string::npos);  // the closing tag stays code
  EXPECT_NE(m.find("$y"), std::string::npos);
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), std::count(src.begin(), src.end(), '\n'));
}

TEST(ChunkCodeMask, PhpDeclarationsAfterAHeredocWithBraces) {
  const ExtractedText doc = test::textDoc(
      "<?php\n"                                  // 1
      "function query() {\n"                     // 2
      "    return <<<SQL\n"                      // 3
      "    SELECT * FROM t WHERE a = '}'\n"      // 4
      "    SQL;\n"                               // 5
      "}\n"                                      // 6
      "function after() { return 2; }\n");       // 7
  const auto chunks = chunkDocument(doc, classifySource("q.php"), kTokens);
  test::expectProvenance(doc, chunks);
  ASSERT_FALSE(chunks.empty());
  EXPECT_NE(chunks[0].text.find("\nfunction query()  [lines 1-6]"), std::string::npos) << chunks[0].text;  // not "<?php function…"
  EXPECT_NE(chunks[0].text.find("function after()  [lines 7-7]"), std::string::npos) << chunks[0].text;
}

TEST(ChunkCodeMask, DartTripleQuotedStrings) {
  const std::string src = "var a = '''\n{ not code\n''';\nvar b = \"\"\"}\"\"\";\nvoid main() {}\n";
  const std::string m = maskCode(src, CodeFamily::Java, "dart");
  ASSERT_EQ(m.size(), src.size());
  EXPECT_EQ(std::count(m.begin(), m.end(), '{'), 1) << m;  // main's
  EXPECT_EQ(std::count(m.begin(), m.end(), '}'), 1) << m;
}

}  // namespace
}  // namespace folio::ingest
