// Splitting a unit over the target: prose at sentence ends (a cited part that stops mid-sentence shows
// half a sentence), code at lines, and a single over-long line into parts that each fit the target.
#include <gtest/gtest.h>

#include <algorithm>

#include <functional>
#include <string>
#include <vector>

#include "ingest/chunk_util.h"
#include "ingest/chunker.h"
#include "ingest/utf8_text.h"
#include "unit/ingest/test_chunk_support.h"

namespace folio::ingest {
namespace {

using test::expectProvenance;
using test::textDoc;

const EstimatingTokenCounter kTokens;

// Words joined into lines of at most `width` bytes, as a PDF wraps a paragraph.
std::string wrap(const std::string& prose, size_t width = 80) {
  std::string out, line;
  size_t start = 0;
  while (start < prose.size()) {
    size_t space = prose.find(' ', start);
    if (space == std::string::npos) space = prose.size();
    const std::string word = prose.substr(start, space - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = space + 1;
  }
  return out + line;
}

// Sentences of varied length so that their ends fall inside the wrapped lines.
std::string sentences(int n) {
  static const char* kWords[] = {"indemnify", "the", "Customer", "against", "losses", "arising", "from", "any",
                                 "breach", "of", "this", "Agreement", "including", "reasonable", "legal", "costs"};
  std::string out;
  for (int s = 0; s < n; ++s) {
    out += s ? " The Supplier shall" : "The Supplier shall";
    for (int w = 0; w < 9 + (s * 7) % 23; ++w) out += std::string(" ") + kWords[(s * 5 + w * 3) % 16];
    out += s % 4 == 3 ? ";" : ".";
  }
  return out;
}

std::vector<Chunk> withPath(const std::vector<Chunk>& chunks, const std::vector<std::string>& path) {
  std::vector<Chunk> out;
  for (const Chunk& c : chunks) {
    if (c.heading_path == path) out.push_back(c);
  }
  return out;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos; }

// The parts follow one another over [begin, end) with only whitespace between them.
void expectCover(const ExtractedText& doc, const std::vector<Chunk>& parts, int64_t begin, int64_t end) {
  ASSERT_FALSE(parts.empty());
  int64_t at = begin;
  for (const Chunk& c : parts) {
    ASSERT_GE(c.byte_begin, at);
    EXPECT_TRUE(blank(std::string_view(doc.text).substr(static_cast<size_t>(at), static_cast<size_t>(c.byte_begin - at))))
        << "lost text before: " << c.text.substr(0, 60);
    at = c.byte_end;
  }
  EXPECT_TRUE(blank(std::string_view(doc.text).substr(static_cast<size_t>(at), static_cast<size_t>(end - at))))
      << "lost text at the end: " << doc.text.substr(static_cast<size_t>(at), 60);
}

bool endsAtSentence(const std::string& text) {
  const char last = text.back();
  return last == '.' || last == ';';
}

// The generic chunker's parts of `doc` (one paragraph over the target): each within the target and
// ending where `ends_well` accepts (the byte after it given too), together covering the text.
void expectGenericParts(const ExtractedText& doc, const std::function<bool(const Chunk&, char after)>& ends_well,
                        int target = 512) {
  ChunkOptions options;
  options.target_tokens = target;
  const auto chunks = chunkGeneric(doc, kTokens, options);
  expectProvenance(doc, chunks);
  ASSERT_GE(chunks.size(), 3u);
  for (const Chunk& c : chunks) {
    EXPECT_LE(c.token_count, target);
    const size_t end = static_cast<size_t>(c.byte_end);
    EXPECT_TRUE(ends_well(c, end < doc.text.size() ? doc.text[end] : '\n'))
        << "ends: …" << c.text.substr(c.text.size() - std::min<size_t>(c.text.size(), 60));
  }
  expectCover(doc, chunks, 0, static_cast<int64_t>(doc.text.size()));
}

TEST(ChunkSplit, LongWrappedClauseIsSplitAtSentenceEnds) {
  const std::string body = wrap("1.1 " + sentences(90));
  ExtractedText doc = textDoc("1. Indemnity\n" + body + "\n1.2 The Customer shall pay the fees.\n");
  const int64_t mid_line = static_cast<int64_t>(doc.text.find('\n', doc.text.size() / 2)) + 1;
  doc.page_starts = {0, mid_line};  // the clause runs over a page break
  const auto chunks = chunkLegal(doc, kTokens);
  expectProvenance(doc, chunks);
  const auto parts = withPath(chunks, {"1. Indemnity", "1.1"});
  ASSERT_GE(parts.size(), 3u);
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_LE(parts[i].token_count, 512);
    EXPECT_TRUE(endsAtSentence(parts[i].text)) << "part " << i << " ends: …" << parts[i].text.substr(parts[i].text.size() - 60);
    if (i > 0) {  // starts a sentence (the wrap may fall between its first two words)
      std::string start = parts[i].text.substr(0, 12);
      std::replace(start.begin(), start.end(), '\n', ' ');
      EXPECT_EQ(start, "The Supplier") << parts[i].text.substr(0, 60);
    }
    if (i + 1 < parts.size()) {
      EXPECT_GT(parts[i].token_count, 256) << "a part holds most of a target's worth";
    }
  }
  EXPECT_EQ(parts.front().page_first, 1);
  EXPECT_EQ(parts.back().page_last, 2);
  expectCover(doc, parts, 0, static_cast<int64_t>(doc.text.find("\n1.2 ")));  // the bare heading folds into 1.1
}

// Every wrapped line ends with a full stop that ends no sentence: an abbreviation, a number, "i.e." before
// a capital. Only "records." ends a sentence.
TEST(ChunkSplit, AbbreviationsAndNumbersAreNoSentenceEnds) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text +=
        "The Supplier shall pay the fees in the manner described in Art.\n7 of the Agreement, for example e.g.\n"
        "by wire transfer to the account named in Schedule No.\n2 within thirty days, i.e.\n"
        "Thirty calendar days counted under Sec.\n4 of the Agreement at a rate of 5.5\n"
        "per cent as provided in clause 1.2.3.\nUpon request the Customer shall provide its records.\n";
  }
  expectGenericParts(textDoc(text), [](const Chunk& c, char) { return c.text.ends_with("records."); });
}

// Whether the mark after "|" ends a sentence.
bool endsAtBar(std::string text) {
  const size_t bar = text.find('|');
  text.erase(bar, 1);
  return endsSentenceAt(text, bar);
}

TEST(ChunkSplit, WhatEndsASentence) {
  EXPECT_TRUE(endsAtBar("shall pay|. The Customer"));
  EXPECT_TRUE(endsAtBar("shall pay|.\nThe Customer"));
  EXPECT_TRUE(endsAtBar("the fees|; and"));
  EXPECT_TRUE(endsAtBar("is it due|? Yes"));
  EXPECT_TRUE(endsAtBar("(as agreed|.) The"));
  EXPECT_TRUE(endsAtBar("the \xE2\x80\x9CServices|.\xE2\x80\x9D The"));
  EXPECT_TRUE(endsAtBar("at the end|."));  // the end of the text
  for (const char* no : {"fees, e.g|. the", "fees, i.e|. The", "fees (e.g|. Schedule", "under Art|. 7", "Sec|. 4",
                         "Schedule No|. 2", "at 5|. per cent", "at 5|.5 per cent", "clause 1.2.3|. The", "1.2|.3",
                         "J|. Smith", "Acme Ltd|. The", "pay etc|. and", "shall pay| the", "a.b|.c", "fees|, and"}) {
    EXPECT_FALSE(endsAtBar(no)) << no;
  }
}

// A paragraph on one line (a plain-text file that does not wrap) is cut at sentence ends too.
TEST(ChunkSplit, OneLineParagraphIsSplitAtSentenceEnds) {
  expectGenericParts(textDoc(sentences(120) + "\n"), [](const Chunk& c, char) { return endsAtSentence(c.text); });
}

// Without sentence ends a wrapped paragraph is still cut at lines, and one long line at spaces.
TEST(ChunkSplit, WithoutSentenceEndsLinesThenSpaces) {
  std::string words;
  for (int i = 0; i < 2000; ++i) words += (i ? " word" : "word") + std::to_string(i % 10);
  expectGenericParts(textDoc(wrap(words) + "\n"), [](const Chunk&, char after) { return after == '\n'; });
  expectGenericParts(textDoc(words), [](const Chunk& c, char after) {
    return (after == ' ' || after == '\n') && c.token_count > 256;  // not cut needlessly short
  });
}

// Code is cut at lines, not at a "; " or ". " inside a line.
TEST(ChunkSplit, CodeIsCutAtLines) {
  std::string src = "int huge() {\n";
  for (int i = 0; i < 500; ++i) src += "  x += f(" + std::to_string(i) + "); y = g. h; // Done. Next\n";
  src += "}\n";
  const ExtractedText doc = textDoc(src);
  const auto chunks = chunkCode(doc, "cpp", kTokens);
  expectProvenance(doc, chunks);
  int parts = 0;
  for (const Chunk& c : chunks) {
    if (c.kind == ChunkKind::Outline) continue;
    ++parts;
    EXPECT_LE(c.token_count, 512);
    const size_t after = static_cast<size_t>(c.byte_end);
    EXPECT_TRUE(after == doc.text.size() || doc.text[after] == '\n') << c.text.substr(c.text.size() - 20);
  }
  EXPECT_GE(parts, 3);
}

bool wholeUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// A minified bundle on one line: every part fits the target by the chunker's own counter, and no UTF-8
// character is cut (bytes-based cuts gave parts of up to ~720 estimated tokens).
TEST(ChunkSplit, OneLineBundlePartsFitTheTarget) {
  static const char* kFrags[] = {"var e=n(12),t=n(7);", "function r(e,t){return e&&e.__esModule?e:{default:e}}",
                                 "Object.defineProperty(t,\"__esModule\",{value:!0});",
                                 "for(var o=0;o<e.length;o++)a[o]=e[o];", "let \xC3\xBC=\"Gr\xC3\xBC\xC3\x9F" "e\xE2\x80\x94\";",
                                 "a.b(c,d);x[y]=z|0;", "const s=/^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)$/i;"};
  std::string js = "!function(){";
  for (unsigned i = 0; js.size() < 2 * 1024 * 1024; ++i) js += kFrags[(i * 7 + i / 3) % 7];
  js += "}();";
  const ExtractedText doc = textDoc(js);
  const auto chunks = chunkCode(doc, "javascript", kTokens);
  std::vector<Chunk> body;
  for (const Chunk& c : chunks) {
    if (c.kind != ChunkKind::Outline) body.push_back(c);
  }
  ASSERT_GT(body.size(), 1000u);
  int over = 0, broken = 0, small = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    const Chunk& c = body[i];
    over += c.token_count > 512;
    broken += !wholeUtf8(c.text);
    small += i + 1 < body.size() && c.token_count < 400;  // parts are not cut needlessly short
    ASSERT_EQ(c.text, js.substr(static_cast<size_t>(c.byte_begin), static_cast<size_t>(c.byte_end - c.byte_begin)));
  }
  EXPECT_EQ(over, 0);
  EXPECT_EQ(broken, 0);
  EXPECT_EQ(small, 0);
  // The parts of the line follow one another (the packer leaves out the "();" after the function, text of
  // a few tokens at the end of a level).
  expectCover(doc, body, 0, body.back().byte_end);
}

// With a small target a run of punctuation (two bytes a token) is still cut within it.
TEST(ChunkSplit, DenseLineFitsASmallTarget) {
  expectGenericParts(textDoc(std::string(5000, '!') + "\n"), [](const Chunk&, char) { return true; }, 24);
}

}  // namespace
}  // namespace folio::ingest

namespace folio::ingest {
namespace {

// A unit a little over the target is cut into parts of about equal size, not filled to the target
// with a line or two left over: such a remainder wins every search for its few words.
TEST(ChunkSplitBalance, AUnitJustOverTheTargetSplitsIntoEvenParts) {
  std::string para;
  while (kTokens.count(para) < 560) para += "The Supplier shall keep records of every delivery it makes. ";
  const ExtractedText doc = textDoc(para + "\n");
  const auto chunks = chunkGeneric(doc, kTokens, ChunkOptions{});
  expectProvenance(doc, chunks);
  ASSERT_EQ(chunks.size(), 2u);
  for (const auto& c : chunks) EXPECT_GT(c.token_count, 200) << c.text;
  // Lines of code: the same.
  std::string code = "void f() {\n";
  while (kTokens.count(code) < 1100) code += "  total += compute(a, b, c);\n";
  const ExtractedText src = textDoc(code + "}\n");
  const auto parts = chunkDocument(src, SourceType{SourceKind::Code, "c"}, kTokens);
  expectProvenance(src, parts);
  int smallest = 1 << 30;
  for (const auto& p : parts)
    if (p.kind != ChunkKind::Outline) smallest = std::min(smallest, p.token_count);
  EXPECT_GT(smallest, 250);
}

}  // namespace
}  // namespace folio::ingest
