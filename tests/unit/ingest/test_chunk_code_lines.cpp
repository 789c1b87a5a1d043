// The code chunker on keyword- and line-delimited languages (chunk_code_lines.h) and on the brace
// languages that joined the existing families (Kotlin, Swift, C#, PHP): sources are classified by
// their file name, as the ingest does, so a language that was not recognised fails here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/chunker.h"
#include "ingest/source_kind.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::findByPath;
using test::textDoc;

const EstimatingTokenCounter kTokens;

std::vector<Chunk> chunkAs(const std::string& file_name, const ExtractedText& doc, ChunkOptions options = {}) {
  const auto chunks = chunkDocument(doc, classifySource(file_name), kTokens, options);
  expectProvenance(doc, chunks);
  return chunks;
}

std::string outlineOf(const std::vector<Chunk>& chunks) {
  return !chunks.empty() && chunks[0].kind == ChunkKind::Outline ? chunks[0].text : std::string();
}

// The outline lists `line` ("signature  [lines a-b]", indented two spaces per level) as a whole line.
void expectOutline(const std::vector<Chunk>& chunks, const std::string& line) {
  const std::string outline = outlineOf(chunks);
  ASSERT_FALSE(outline.empty()) << "no outline";
  EXPECT_NE(outline.find("\n" + line + "\n"), std::string::npos) << outline;
}

int declarationCount(const std::vector<Chunk>& chunks) {
  const std::string outline = outlineOf(chunks);
  const std::string prefix = "Declarations (";
  if (outline.rfind(prefix, 0) != 0) return 0;
  return std::stoi(outline.substr(prefix.size()));
}

// A method body of n statements.
std::string rubyBody(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "    total += compute_step(" + std::to_string(i) + ", rate, carry)\n";
  return s;
}

TEST(ChunkCodeLines, RubyClassModuleMethodsAndComments) {
  const ExtractedText doc = textDoc(
      "# frozen_string_literal: true\n"                      // 1
      "\n"                                                   // 2
      "module Billing\n"                                     // 3
      "  # Computes an invoice.\n"                           // 4
      "  # Second comment line.\n"                           // 5
      "  class Invoice < Base\n"                             // 6
      "    attr_reader :lines\n"                             // 7
      "\n"                                                   // 8
      "    def initialize(lines)\n"                          // 9
      "      @lines = lines\n"                               // 10
      "    end\n"                                            // 11
      "\n"                                                   // 12
      "    # The sum, with \"end\" in a string.\n"           // 13
      "    def total\n"                                      // 14
      "      label = \"the end\"\n"                          // 15
      "      @lines.sum { |l| l.amount } if label\n"         // 16
      "    end\n"                                            // 17
      "\n"                                                   // 18
      "    def self.empty? = lines.empty?\n"                 // 19
      "\n"                                                   // 20
      "    private def note\n"                               // 21
      "      <<~TEXT\n"                                      // 22
      "        def not_a_method\n"                           // 23
      "end\n"                                                // 24
      "      TEXT\n"                                         // 25
      "    end\n"                                            // 26
      "  end\n"                                              // 27
      "\n"                                                   // 28
      "  def self.helper; end\n"                             // 29
      "end\n");                                              // 30
  const auto chunks = chunkAs("lib/billing/invoice.rb", doc);
  expectOutline(chunks, "module Billing  [lines 3-30]");
  expectOutline(chunks, "  class Invoice < Base  [lines 4-27]");  // from its comment block
  expectOutline(chunks, "    def initialize(lines)  [lines 9-11]");
  expectOutline(chunks, "    def total  [lines 13-17]");
  expectOutline(chunks, "    def self.empty? = lines.empty?  [lines 19-19]");
  expectOutline(chunks, "    private def note  [lines 21-26]");  // the heredoc's "end" does not end it
  expectOutline(chunks, "  def self.helper; end  [lines 29-29]");
  EXPECT_EQ(declarationCount(chunks), 7);
}

TEST(ChunkCodeLines, OversizedRubyClassSplitsIntoItsMethods) {
  const std::string src = "class Ledger\n"                    // 1
                          "  # Adds up the entries.\n"        // 2
                          "  def sum(rate, carry)\n"          // 3
                          "    total = 0\n" +                 // 4
                          rubyBody(12) +                      // 5-16
                          "    total\n"                       // 17
                          "  end\n"                           // 18
                          "\n"                                // 19
                          "  def balance(rate, carry)\n"      // 20
                          "    total = 0\n" +                 // 21
                          rubyBody(12) +                      // 22-33
                          "    total\n"                       // 34
                          "  end\n"                           // 35
                          "end\n";                            // 36
  const ExtractedText doc = textDoc(src);
  ChunkOptions small;
  small.target_tokens = 150;
  const auto chunks = chunkAs("ledger.rb", doc, small);
  expectOutline(chunks, "class Ledger  [lines 1-36]");
  const Chunk* sum = findByPath(chunks, {"class Ledger", "sum"});
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(sum->kind, ChunkKind::Function);
  EXPECT_EQ(sum->line_first, 2);  // its comment is part of it
  EXPECT_EQ(sum->line_last, 18);
  const Chunk* balance = findByPath(chunks, {"class Ledger", "balance"});
  ASSERT_NE(balance, nullptr);
  EXPECT_EQ(balance->line_first, 20);
  EXPECT_EQ(balance->line_last, 35);
  for (const Chunk& c : chunks) EXPECT_LE(c.token_count, 150) << c.text;
}

TEST(ChunkCodeLines, RubySpecBlocksAndRegexAndBeginEnd) {
  const ExtractedText doc = textDoc(
      "require 'spec_helper'\n"                              // 1
      "=begin\n"                                             // 2
      "def commented_out\n"                                  // 3
      "end\n"                                                // 4
      "=end\n"                                               // 5
      "RSpec.describe Parser do\n"                           // 6
      "  it 'splits on end' do |example|\n"                  // 7
      "    expect(split(\"a end b\")).to eq(%w[a b])\n"      // 8
      "    expect('x' =~ /end\"/).to be_nil\n"               // 9
      "  end\n"                                              // 10
      "\n"                                                   // 11
      "  context 'when empty' do\n"                          // 12
      "    it { is_expected.to be_empty }\n"                 // 13
      "  end\n"                                              // 14
      "end\n");                                              // 15
  const auto chunks = chunkAs("spec/parser_spec.rb", doc);
  expectOutline(chunks, "RSpec.describe Parser do  [lines 2-15]");  // the =begin block right above it
  expectOutline(chunks, "  it 'splits on end' do |example|  [lines 7-10]");
  expectOutline(chunks, "  context 'when empty' do  [lines 12-14]");
  EXPECT_EQ(declarationCount(chunks), 3);  // nothing from the =begin block
  EXPECT_NE(findByPath(chunks, {"describe Parser"}), nullptr);
}

TEST(ChunkCodeLines, LuaFunctionsLongStringsAndComments) {
  const ExtractedText doc = textDoc(
      "local M = {}\n"                                       // 1
      "\n"                                                   // 2
      "--[[ A block comment with\n"                          // 3
      "function fake() end ]]\n"                             // 4
      "\n"                                                   // 5
      "-- Adds two numbers.\n"                               // 6
      "function M.add(a, b)\n"                               // 7
      "  local help = [[\n"                                  // 8
      "end\n"                                                // 9
      "]]\n"                                                 // 10
      "  if a then\n"                                        // 11
      "    return a + b\n"                                   // 12
      "  end\n"                                              // 13
      "end\n"                                                // 14
      "\n"                                                   // 15
      "local function clamp(x) return math.max(0, x) end\n"  // 16
      "\n"                                                   // 17
      "M.scale = function(v, k)\n"                           // 18
      "  return v * k -- 'end'\n"                            // 19
      "end\n"                                                // 20
      "\n"                                                   // 21
      "function M:reset()\n"                                 // 22
      "  self.n = 0\n"                                       // 23
      "end\n"                                                // 24
      "\n"                                                   // 25
      "return M\n");                                         // 26
  const auto chunks = chunkAs("lib/m.lua", doc);
  expectOutline(chunks, "function M.add(a, b)  [lines 6-14]");
  expectOutline(chunks, "local function clamp(x) return math.max(0, x) end  [lines 16-16]");
  expectOutline(chunks, "M.scale = function(v, k)  [lines 18-20]");
  expectOutline(chunks, "function M:reset()  [lines 22-24]");
  EXPECT_EQ(declarationCount(chunks), 4);
}

TEST(ChunkCodeLines, TclProcsNamespacesAndTests) {
  const ExtractedText doc = textDoc(
      "# Helpers for the list tests.\n"                      // 1
      "proc assert_len {key n} {\n"                          // 2
      "    # a brace in a comment: {\n"                      // 3
      "    set msg \"} not closed\"\n"                       // 4
      "    assert_equal $n [r llen $key]\n"                  // 5
      "}\n"                                                  // 6
      "\n"                                                   // 7
      "namespace eval util {\n"                              // 8
      "    proc pick {list} {\n"                             // 9
      "        lindex $list 0\n"                             // 10
      "    }\n"                                              // 11
      "    proc last {list} { lindex $list end }\n"          // 12
      "}\n"                                                  // 13
      "\n"                                                   // 14
      "start_server {tags {\"list\"}} {\n"                   // 15
      "    test {LPUSH then LLEN} {\n"                       // 16
      "        r lpush l a \\{\n"                            // 17
      "        assert_len l 1\n"                             // 18
      "    }\n"                                              // 19
      "    foreach type {listpack quicklist} {\n"            // 20
      "        test \"RPUSH - $type\" {\n"                   // 21
      "            r rpush l b\n"                            // 22
      "        }\n"                                          // 23
      "    }\n"                                              // 24
      "}\n");                                                // 25
  const auto chunks = chunkAs("tests/unit/type/list.tcl", doc);
  expectOutline(chunks, "proc assert_len {key n}  [lines 1-6]");
  expectOutline(chunks, "namespace eval util  [lines 8-13]");
  expectOutline(chunks, "  proc pick {list}  [lines 9-11]");
  expectOutline(chunks, "  proc last {list} { lindex $list end }  [lines 12-12]");
  expectOutline(chunks, "test {LPUSH then LLEN}  [lines 16-19]");
  expectOutline(chunks, "test \"RPUSH - $type\"  [lines 21-23]");
  EXPECT_EQ(declarationCount(chunks), 6);
  ChunkOptions small;
  small.target_tokens = 15;
  const auto split = chunkAs("tests/unit/type/list.tcl", doc, small);
  EXPECT_NE(findByPath(split, {"namespace util", "pick"}), nullptr);
  EXPECT_NE(findByPath(split, {"test {LPUSH then LLEN}"}), nullptr);
}

TEST(ChunkCodeLines, PerlPackagesSubsPodAndHeredocs) {
  const ExtractedText doc = textDoc(
      "package Shop::Cart;\n"                                // 1
      "use strict;\n"                                        // 2
      "\n"                                                   // 3
      "=head1 add\n"                                         // 4
      "\n"                                                   // 5
      "sub fake { }\n"                                       // 6
      "\n"                                                   // 7
      "=cut\n"                                               // 8
      "\n"                                                   // 9
      "# Adds an item.\n"                                    // 10
      "sub add {\n"                                          // 11
      "    my ($self, $item) = @_;\n"                        // 12
      "    my $n = $#{$self->{items}};\n"                    // 13
      "    print <<\"EOT\";\n"                               // 14
      "}\n"                                                  // 15
      "EOT\n"                                                // 16
      "    return $n;\n"                                     // 17
      "}\n"                                                  // 18
      "\n"                                                   // 19
      "sub count\n"                                          // 20
      "{\n"                                                  // 21
      "    return scalar @{ $_[0]->{items} };\n"             // 22
      "}\n"                                                  // 23
      "\n"                                                   // 24
      "package Shop::Order;\n"                               // 25
      "sub total { return 0 }\n"                             // 26
      "1;\n");                                               // 27
  const auto chunks = chunkAs("lib/Shop/Cart.pm", doc);
  expectOutline(chunks, "package Shop::Cart;  [lines 1-23]");
  expectOutline(chunks, "  sub add  [lines 10-18]");
  expectOutline(chunks, "  sub count  [lines 20-23]");
  expectOutline(chunks, "package Shop::Order;  [lines 25-27]");
  expectOutline(chunks, "  sub total { return 0 }  [lines 26-26]");
  EXPECT_EQ(declarationCount(chunks), 5);
}

TEST(ChunkCodeLines, ShellFunctionsAndHeredocs) {
  const ExtractedText doc = textDoc(
      "#!/usr/bin/env bash\n"                                // 1
      "set -euo pipefail\n"                                  // 2
      "\n"                                                   // 3
      "# Prints usage.\n"                                    // 4
      "usage() {\n"                                          // 5
      "  cat <<EOF\n"                                        // 6
      "usage: $0 {start|stop}\n"                             // 7
      "}\n"                                                  // 8
      "EOF\n"                                                // 9
      "}\n"                                                  // 10
      "\n"                                                   // 11
      "function start {\n"                                   // 12
      "  echo \"starting ${NAME} }\" # } too\n"              // 13
      "  local n=${#ARGS[@]}\n"                              // 14
      "}\n"                                                  // 15
      "\n"                                                   // 16
      "function stop() {\n"                                  // 17
      "  kill \"$(cat pid)\"\n"                              // 18
      "}\n"                                                  // 19
      "\n"                                                   // 20
      "main() { usage; }\n"                                  // 21
      "main \"$@\"\n");                                      // 22
  const auto chunks = chunkAs("scripts/ctl.bash", doc);
  expectOutline(chunks, "usage()  [lines 4-10]");  // with the comment line above it
  expectOutline(chunks, "function start  [lines 12-15]");
  expectOutline(chunks, "function stop()  [lines 17-19]");
  expectOutline(chunks, "main() { usage; }  [lines 21-21]");
  EXPECT_EQ(declarationCount(chunks), 4);
}

TEST(ChunkCodeLines, MakeTargetsDefinesAndAssignments) {
  const ExtractedText doc = textDoc(
      "CC ?= cc\n"                                           // 1
      "OBJ := a.o b.o\n"                                     // 2
      "URL = http://example.org\n"                           // 3
      ".PHONY: all clean\n"                                  // 4
      "\n"                                                   // 5
      "# Builds everything.\n"                               // 6
      "all: prog\n"                                          // 7
      "\n"                                                   // 8
      "prog: $(OBJ) \\\n"                                    // 9
      "      main.o\n"                                       // 10
      "\t$(CC) -o $@ $^\n"                                   // 11
      "\t# a recipe comment: x:\n"                           // 12
      "\t@echo done\n"                                       // 13
      "\n"                                                   // 14
      "%.o: %.c\n"                                           // 15
      "\t$(CC) -c $<\n"                                      // 16
      "\n"                                                   // 17
      "define RUN_TEST\n"                                    // 18
      "test-$(1): prog\n"                                    // 19
      "\t./prog $(1)\n"                                      // 20
      "endef\n"                                              // 21
      "\n"                                                   // 22
      "clean:\n"                                             // 23
      "\trm -f prog *.o\n");                                 // 24
  const auto chunks = chunkAs("Makefile", doc);
  expectOutline(chunks, "all: prog  [lines 6-7]");
  expectOutline(chunks, "prog: $(OBJ) \\  [lines 9-13]");
  expectOutline(chunks, "%.o: %.c  [lines 15-16]");
  expectOutline(chunks, "define RUN_TEST  [lines 18-21]");
  expectOutline(chunks, "clean:  [lines 23-24]");
  EXPECT_EQ(declarationCount(chunks), 5);
}

TEST(ChunkCodeLines, SqlStatementsWithBodies) {
  const ExtractedText doc = textDoc(
      "-- Accounts and their owners.\n"                      // 1
      "CREATE TABLE IF NOT EXISTS accounts (\n"              // 2
      "  id serial PRIMARY KEY,\n"                           // 3
      "  note text DEFAULT 'a; b'\n"                         // 4
      ");\n"                                                 // 5
      "\n"                                                   // 6
      "create unique index accounts_note on accounts(note);\n" // 7
      "\n"                                                   // 8
      "CREATE OR REPLACE FUNCTION touch(a int) RETURNS int AS $$\n" // 9
      "BEGIN\n"                                              // 10
      "  UPDATE accounts SET note = 'x' WHERE id = a;\n"     // 11
      "  RETURN a;\n"                                        // 12
      "END;\n"                                               // 13
      "$$ LANGUAGE plpgsql;\n"                               // 14
      "\n"                                                   // 15
      "CREATE PROCEDURE bump()\n"                            // 16
      "BEGIN\n"                                              // 17
      "  CASE WHEN 1 THEN SELECT 1; END CASE;\n"             // 18
      "  SELECT 2;\n"                                        // 19
      "END;\n"                                               // 20
      "\n"                                                   // 21
      "/* CREATE TABLE ghost (x int); */\n"                  // 22
      "CREATE VIEW rich AS SELECT * FROM accounts;\n");      // 23
  const auto chunks = chunkAs("db/schema.SQL", doc);
  expectOutline(chunks, "CREATE TABLE IF NOT EXISTS accounts  [lines 1-5]");
  expectOutline(chunks, "create unique index accounts_note on accounts(note);  [lines 7-7]");
  expectOutline(chunks, "CREATE OR REPLACE FUNCTION touch(a int) RETURNS int AS $$  [lines 9-14]");
  expectOutline(chunks, "CREATE PROCEDURE bump()  [lines 16-20]");
  expectOutline(chunks, "CREATE VIEW rich AS SELECT * FROM accounts;  [lines 22-23]");
  EXPECT_EQ(declarationCount(chunks), 5);
  ChunkOptions small;
  small.target_tokens = 20;
  const auto split = chunkAs("db/schema.sql", doc, small);
  EXPECT_NE(findByPath(split, {"table accounts"}), nullptr);
  EXPECT_NE(findByPath(split, {"function touch"}), nullptr);
}

TEST(ChunkCodeLines, PowerShellFunctionsAndClasses) {
  const ExtractedText doc = textDoc(
      "<# A block comment\n"                                 // 1
      "function Fake { } #>\n"                               // 2
      "\n"                                                   // 3
      "# Gets an item.\n"                                    // 4
      "function Get-Item2 {\n"                               // 5
      "    param([string]$Name)\n"                           // 6
      "    $text = @\"\n"                                    // 7
      "}\n"                                                  // 8
      "\"@\n"                                                // 9
      "    Write-Output \"`\"}\"\n"                          // 10
      "}\n"                                                  // 11
      "\n"                                                   // 12
      "class Counter {\n"                                    // 13
      "    [int] $Value = 0\n"                               // 14
      "    [void] Add([int] $n) {\n"                         // 15
      "        $this.Value += $n\n"                          // 16
      "    }\n"                                              // 17
      "    static [Counter] New() { return [Counter]::new() }\n" // 18
      "}\n");                                                // 19
  const auto chunks = chunkAs("tools/Build.PS1", doc);
  expectOutline(chunks, "function Get-Item2  [lines 4-11]");
  expectOutline(chunks, "class Counter  [lines 13-19]");
  expectOutline(chunks, "  [void] Add([int] $n)  [lines 15-17]");
  expectOutline(chunks, "  static [Counter] New() { return [Counter]::new() }  [lines 18-18]");
  EXPECT_EQ(declarationCount(chunks), 4);
}

TEST(ChunkCodeLines, DockerfileStages) {
  const ExtractedText doc = textDoc(
      "# syntax=docker/dockerfile:1\n"                       // 1
      "ARG GO=1.22\n"                                        // 2
      "# Build stage.\n"                                     // 3
      "FROM golang:${GO} AS build\n"                         // 4
      "RUN <<EOF\n"                                          // 5
      "from scratch\n"                                       // 6
      "EOF\n"                                                // 7
      "RUN go build ./...\n"                                 // 8
      "\n"                                                   // 9
      "FROM alpine:3.20\n"                                   // 10
      "COPY --from=build /out /app\n"                        // 11
      "# trailing comment\n");                               // 12
  const auto chunks = chunkAs("Dockerfile", doc);
  expectOutline(chunks, "FROM golang:${GO} AS build  [lines 3-8]");
  expectOutline(chunks, "FROM alpine:3.20  [lines 10-11]");
  EXPECT_EQ(declarationCount(chunks), 2);
}

TEST(ChunkCodeLines, ProtoMessagesServicesAndCss) {
  const ExtractedText proto = textDoc(
      "syntax = \"proto3\";\n"                               // 1
      "// A user.\n"                                         // 2
      "message User {\n"                                     // 3
      "  string name = 1; // \"}\n"                          // 4
      "  message Address {\n"                                // 5
      "    string city = 1;\n"                               // 6
      "  }\n"                                                // 7
      "  enum Role { ROLE_UNSPECIFIED = 0; }\n"              // 8
      "}\n"                                                  // 9
      "/* service Fake { } */\n"                             // 10
      "service Users {\n"                                    // 11
      "  rpc Get(GetRequest) returns (User);\n"              // 12
      "  rpc Watch(WatchRequest) returns (stream User) {\n"  // 13
      "    option deprecated = true;\n"                      // 14
      "  }\n"                                                // 15
      "}\n");                                                // 16
  auto chunks = chunkAs("api/user.proto", proto);
  expectOutline(chunks, "message User  [lines 2-9]");
  expectOutline(chunks, "  message Address  [lines 5-7]");
  expectOutline(chunks, "  enum Role { ROLE_UNSPECIFIED = 0; }  [lines 8-8]");
  expectOutline(chunks, "service Users  [lines 10-16]");  // with the comment right above it
  expectOutline(chunks, "  rpc Get(GetRequest) returns (User);  [lines 12-12]");
  expectOutline(chunks, "  rpc Watch(WatchRequest) returns (stream User)  [lines 13-15]");
  EXPECT_EQ(declarationCount(chunks), 6);

  const ExtractedText css = textDoc(
      "/* Layout { */\n"                                     // 1
      "body { margin: 0; }\n"                                // 2
      ".card,\n"                                             // 3
      ".panel {\n"                                           // 4
      "  background: url(//cdn.example.org/a.png);\n"        // 5
      "  content: \"}\";\n"                                  // 6
      "}\n"                                                  // 7
      "@media (max-width: 600px) {\n"                        // 8
      "  .card { padding: 0; }\n"                            // 9
      "}\n");                                                // 10
  chunks = chunkAs("web/site.css", css);
  expectOutline(chunks, "body { margin: 0; }  [lines 1-2]");
  expectOutline(chunks, ".panel  [lines 4-7]");
  expectOutline(chunks, "@media (max-width: 600px)  [lines 8-10]");
  expectOutline(chunks, "  .card { padding: 0; }  [lines 9-9]");
}

TEST(ChunkCodeLines, CMakeFunctionsAndMacros) {
  const ExtractedText doc = textDoc(
      "cmake_minimum_required(VERSION 3.25)\n"               // 1
      "#[[ function(fake)\n"                                 // 2
      "endfunction() ]]\n"                                   // 3
      "\n"                                                   // 4
      "# Adds a test.\n"                                     // 5
      "function(folio_test name)\n"                          // 6
      "  add_executable(${name} \"${name}.cpp\")\n"          // 7
      "    endfunction()\n"                                  // 8
      "MACRO(set_warnings target)\n"                         // 9
      "  target_compile_options(${target} PRIVATE -Wall)\n"  // 10
      "ENDMACRO()\n");                                       // 11
  const auto chunks = chunkAs("cmake/Helpers.cmake", doc);
  expectOutline(chunks, "function(folio_test name)  [lines 5-8]");
  expectOutline(chunks, "MACRO(set_warnings target)  [lines 9-11]");
  EXPECT_EQ(declarationCount(chunks), 2);
}

TEST(ChunkCodeLines, EmptyAndDeclarationFreeFilesAreCutAtLines) {
  for (const char* name : {"a.rb", "a.lua", "a.tcl", "a.pl", "a.sh", "Makefile", "a.sql", "a.ps1", "Dockerfile",
                           "a.proto", "a.css", "CMakeLists.txt"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(chunkerFor(textDoc(""), classifySource(name)), ChunkerId::Code);
    EXPECT_TRUE(chunkAs(name, textDoc("")).empty());
    // A script without declarations: one chunk without a heading, as for a language without a finder.
    const ExtractedText doc = textDoc("# setup\nexit 0\n");
    const auto chunks = chunkAs(name, doc);
    ASSERT_EQ(chunks.size(), 1u);
    EXPECT_EQ(chunks[0].kind, ChunkKind::Paragraph);
    EXPECT_TRUE(chunks[0].heading_path.empty());
    EXPECT_EQ(chunks[0].line_last, 2);
  }
}

TEST(ChunkCodeLines, DeepNestingIsCapped) {
  std::string src;
  constexpr int kDepth = 2000;
  for (int i = 0; i < kDepth; ++i) src += std::string(static_cast<size_t>(i), ' ') + "module M" + std::to_string(i) + "\n";
  for (int i = kDepth - 1; i >= 0; --i) src += std::string(static_cast<size_t>(i), ' ') + "end\n";
  const ExtractedText doc = textDoc(src);
  ChunkOptions small;
  small.target_tokens = 64;
  const auto chunks = chunkAs("deep.rb", doc, small);
  EXPECT_EQ(declarationCount(chunks), 32);  // the outermost ones; the others are their text
  expectOutline(chunks, "module M0  [lines 1-" + std::to_string(2 * kDepth) + "]");
}

TEST(ChunkCodeLines, LanguagesWithoutAFinderAreCutAtLinesAsBefore) {
  std::string src;
  for (int i = 0; i < 200; ++i) src += "# heading-like comment " + std::to_string(i) + "\nx <- f(" + std::to_string(i) + ")\n";
  const ExtractedText doc = textDoc(src);
  EXPECT_EQ(chunkerFor(doc, classifySource("analysis.R")), ChunkerId::Code);
  ChunkOptions small;
  small.target_tokens = 100;
  const auto r = chunkAs("analysis.R", doc, small);
  ASSERT_GT(r.size(), 2u);
  EXPECT_EQ(r[0].kind, ChunkKind::Paragraph);  // no outline, no '#' headings
  for (const Chunk& c : r) EXPECT_TRUE(c.heading_path.empty());
  // The same cut as any language the code chunker has no scanner for.
  const auto other = chunkCode(doc, "no-such-language", kTokens, small);
  ASSERT_EQ(r.size(), other.size());
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].byte_begin, other[i].byte_begin);
    EXPECT_EQ(r[i].byte_end, other[i].byte_end);
  }
}

TEST(ChunkCodeLines, BraceLanguagesInExistingFamilies) {
  const ExtractedText kotlin = textDoc(
      "package app\n"                                        // 1
      "\n"                                                   // 2
      "/** A repository. */\n"                               // 3
      "class Repo(private val db: Db) : Base() {\n"          // 4
      "    fun find(id: Long): User? {\n"                    // 5
      "        val s = \"\"\"\n"                             // 6
      "        }\n"                                          // 7
      "        \"\"\"\n"                                     // 8
      "        return db.get(id)\n"                          // 9
      "    }\n"                                              // 10
      "}\n"                                                  // 11
      "val limit = 10\n"                                     // 12
      "@Test\n"                                              // 13
      "fun checks() {\n"                                     // 14
      "    assert(limit > 0)\n"                              // 15
      "}\n");                                                // 16
  auto chunks = chunkAs("src/Repo.kt", kotlin);
  // Statements end at line ends: "package app" and "val limit = 10" do not start the next header.
  expectOutline(chunks, "class Repo(private val db: Db) : Base()  [lines 3-11]");
  expectOutline(chunks, "  fun find(id: Long): User?  [lines 5-10]");
  expectOutline(chunks, "@Test fun checks()  [lines 13-16]");

  const ExtractedText scala = textDoc(
      "package app\n"                                        // 1
      "import a.b\n"                                         // 2
      "class Foo(x: Int)\n"                                  // 3
      "    extends Bar {\n"                                  // 4
      "  def get(): Int = {\n"                               // 5
      "    x\n"                                              // 6
      "  }\n"                                                // 7
      "}\n");                                                // 8
  chunks = chunkAs("Foo.scala", scala);
  expectOutline(chunks, "class Foo(x: Int) extends Bar  [lines 3-8]");
  expectOutline(chunks, "  def get(): Int =  [lines 5-7]");

  const ExtractedText swift = textDoc(
      "import Foundation\n"                                  // 1
      "struct Point {\n"                                     // 2
      "    var x: Double\n"                                  // 3
      "}\n"                                                  // 4
      "// Distance.\n"                                       // 5
      "extension Point {\n"                                  // 6
      "    func distance(to p: Point) -> Double {\n"         // 7
      "        return abs(x - p.x) // }\n"                   // 8
      "    }\n"                                              // 9
      "}\n");                                                // 10
  chunks = chunkAs("Sources/Point.swift", swift);
  expectOutline(chunks, "struct Point  [lines 2-4]");
  expectOutline(chunks, "extension Point  [lines 5-10]");
  expectOutline(chunks, "  func distance(to p: Point) -> Double  [lines 7-9]");

  const ExtractedText csharp = textDoc(
      "#region Usings\n"                                     // 1
      "using System;\n"                                      // 2
      "#endregion\n"                                         // 3
      "namespace Shop {\n"                                   // 4
      "  public class Cart {\n"                              // 5
      "    public int Count(string s) {\n"                   // 6
      "      return s == \"{\" ? 1 : 0;\n"                   // 7
      "    }\n"                                              // 8
      "    [HttpGet(\"items\")]\n"                           // 9
      "    public IActionResult Items() {\n"                 // 10
      "      return Ok();\n"                                 // 11
      "    }\n"                                              // 12
      "  }\n"                                                // 13
      "}\n");                                                // 14
  chunks = chunkAs("Cart.cs", csharp);
  expectOutline(chunks, "public class Cart  [lines 5-13]");
  expectOutline(chunks, "  public int Count(string s)  [lines 6-8]");
  expectOutline(chunks, "  [HttpGet(\" \")] public IActionResult Items()  [lines 9-12]");
  ChunkOptions tiny;
  tiny.target_tokens = 20;
  chunks = chunkAs("Cart.cs", csharp, tiny);
  EXPECT_NE(findByPath(chunks, {"class Cart", "Items"}), nullptr);  // named by the method, not the attribute

  const ExtractedText php = textDoc(
      "<?php\n"                                              // 1
      "namespace App;\n"                                     // 2
      "# A comment with a quote: don't\n"                    // 3
      "class Cart {\n"                                       // 4
      "    // Adds one.\n"                                   // 5
      "    public function add($item): void {\n"             // 6
      "        $this->items[] = \"{$item}\";\n"              // 7
      "    }\n"                                              // 8
      "}\n"                                                  // 9
      "function helper($x) { return $x; }\n");               // 10
  chunks = chunkAs("src/Cart.php", php);
  expectOutline(chunks, "class Cart  [lines 4-9]");  // a '#' line reads as a preprocessor line, not a comment
  expectOutline(chunks, "  public function add($item): void  [lines 5-8]");
  expectOutline(chunks, "function helper($x)  [lines 10-10]");
}

}  // namespace
}  // namespace folio::ingest

namespace folio::ingest {
namespace {

// Objective-C methods are named by their selectors ("- (void)viewDidLoad" was no declaration).
TEST(ChunkCodeObjc, MethodsAreNamedBySelector) {
  const ExtractedText doc = test::textDoc(
      "#import \"ViewController.h\"\n\n@implementation ViewController\n\n"
      "- (void)viewDidLoad {\n    [super viewDidLoad];\n}\n\n"
      "- (NSInteger)tableView:(UITableView *)tableView numberOfRowsInSection:(NSInteger)section {\n"
      "    return self.items.count;\n}\n\n"
      "+ (instancetype)shared {\n    static id s;\n    return s;\n}\n\n@end\n");
  const EstimatingTokenCounter tokens;
  const auto chunks = chunkDocument(doc, classifySource("ViewController.m"), tokens);
  test::expectProvenance(doc, chunks);
  ASSERT_FALSE(chunks.empty());
  ASSERT_EQ(chunks[0].kind, ChunkKind::Outline);
  for (const char* line : {"[lines 5-7]", "[lines 9-11]", "[lines 13-16]"})
    EXPECT_NE(chunks[0].text.find(line), std::string::npos) << line << "\n" << chunks[0].text;
  EXPECT_NE(chunks[1].heading_path.at(0).find("viewDidLoad"), std::string::npos) << chunks[1].heading_path.at(0);
  EXPECT_NE(chunks[1].heading_path.at(0).find("shared"), std::string::npos) << chunks[1].heading_path.at(0);
}

}  // namespace
}  // namespace folio::ingest
