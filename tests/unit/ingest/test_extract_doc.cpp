// Word 97-2003 (.doc) files: LibreOffice-made fixtures (tests/fixtures/doc/, from the .docx sources
// next to them by tools/doc/make_doc_fixtures.py) read to their exact text, and files built here
// (a FIB, a piece table, the text) for what LibreOffice never writes: 8-bit pieces, old and protected
// files, damaged structures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/office/doc_extract.h"
#include "ingest/office/doc_fonts.h"
#include "ingest/office/doc_pieces.h"
#include "tests/support/little_endian.h"
#include "ingest/ole/compound_file.h"
#include "tests/support/compound_file_writer.h"

namespace folio::ingest::office {
namespace {

namespace fs = std::filesystem;
using test::CfbNode;

std::string readFixture(const std::string& name) {
  std::ifstream in(fs::path(FOLIO_FIXTURES_DIR) / "doc" / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<ExtractedText> extract(const std::string& bytes) {
  auto file = ole::CompoundFile::open(bytes, "test.doc");
  if (!file.ok()) return file.error();
  return extractDoc(*file, "test.doc");
}

// ---- a minimal .doc: FIB, text pieces, a piece table

struct Piece {
  std::string bytes;  // 8-bit characters, or UTF-16LE
  bool compressed = true;
  size_t chars() const { return compressed ? bytes.size() : bytes.size() / 2; }
};

Piece ansi(std::string text) { return {std::move(text), true}; }

Piece wide(const std::u16string& text) {
  std::string b;
  for (char16_t c : text) {
    b += static_cast<char>(c & 0xFF);
    b += static_cast<char>(c >> 8);
  }
  return {b, false};
}

const auto put16 = folio::test::put16le;
const auto put32 = folio::test::put32le;
const auto append32 = folio::test::append32le;

// A style of the STSH: its built-in identifier (sti), name and paragraph sprms.
struct StyleSpec {
  uint16_t sti = 0x0FFE;
  std::u16string name;
  std::string grpprl;
};

// A paragraph's properties in the PAPX FKP: its style and sprms.
struct ParagraphSpec {
  uint16_t istd = 0;
  std::string grpprl;
};

std::string sprm8(uint16_t sprm, uint8_t v) {
  std::string s(3, '\0');
  put16(s, 0, sprm);
  s[2] = static_cast<char>(v);
  return s;
}

struct DocSpec {
  std::vector<Piece> pieces;
  std::vector<StyleSpec> styles;           // none: no STSH
  std::vector<ParagraphSpec> paragraphs;   // by paragraph mark (0x0D, 0x07) in order; none: no PAPX
  uint16_t ident = 0xA5EC;
  uint16_t n_fib = 0x00C1;
  uint16_t flags = 0x0200;  // the table stream is 1Table
  int64_t ccp_text = -1;    // -1: every character
  uint32_t ccp_ftn = 0;
  std::vector<std::pair<size_t, std::string>> structures;  // FibRgFcLcb index, bytes put in the table stream
  bool table_stream = true;
  // Changes to the finished streams (damage).
  std::function<void(std::string& word, std::string& table)> damage;
};

constexpr size_t kFibLw = 34 + 28 + 2;   // FibRgLw97 after FibBase, csw and FibRgW
constexpr size_t kFibFcLcb = kFibLw + 88 + 2;
constexpr size_t kTextAt = 1024;

std::string docBytes(const DocSpec& spec) {
  std::string word(kTextAt, '\0');
  put16(word, 0, spec.ident);
  put16(word, 2, spec.n_fib);
  put16(word, 10, spec.flags);
  put16(word, 32, 14);
  put16(word, 34 + 28, 22);
  put16(word, kFibFcLcb - 2, 93);
  std::string table;
  std::string cps, pcds;
  uint32_t cp = 0;
  for (const Piece& p : spec.pieces) {
    const auto fc = static_cast<uint32_t>(word.size());
    append32(cps, cp);
    cp += static_cast<uint32_t>(p.chars());
    std::string pcd(8, '\0');
    put32(pcd, 2, p.compressed ? (fc * 2) | 0x40000000u : fc);
    pcds += pcd;
    word += p.bytes;
  }
  append32(cps, cp);
  table += '\x02';
  append32(table, static_cast<uint32_t>(cps.size() + pcds.size()));
  table += cps + pcds;
  put32(word, kFibLw + 12, spec.ccp_text < 0 ? cp : static_cast<uint32_t>(spec.ccp_text));  // ccpText
  put32(word, kFibFcLcb + 33 * 8, 0);                                                        // fcClx
  put32(word, kFibFcLcb + 33 * 8 + 4, static_cast<uint32_t>(table.size()));                   // lcbClx
  put32(word, kFibLw + 16, spec.ccp_ftn);
  for (const auto& [index, bytes] : spec.structures) {
    put32(word, kFibFcLcb + index * 8, static_cast<uint32_t>(table.size()));
    put32(word, kFibFcLcb + index * 8 + 4, static_cast<uint32_t>(bytes.size()));
    table += bytes;
  }
  if (!spec.styles.empty()) {
    // LPStshi (cstd, StdfBase size 10, then zeros), then each LPStd: StdfBase, name, paragraph UPX,
    // empty character UPX, each on an even offset.
    std::string stsh(2 + 18, '\0');
    put16(stsh, 0, 18);
    put16(stsh, 2, static_cast<uint32_t>(spec.styles.size()));
    put16(stsh, 4, 10);
    for (const StyleSpec& st : spec.styles) {
      std::string std(10, '\0');
      put16(std, 0, st.sti);
      put16(std, 2, 1 | (0x0FFF << 4));  // paragraph style, no base
      put16(std, 4, 2);                  // two UPXs
      std.resize(std.size() + 2);
      put16(std, std.size() - 2, static_cast<uint32_t>(st.name.size()));
      std += wide(st.name + u'\0').bytes;
      std::string upx = std::string(2, '\0') + st.grpprl;
      if (upx.size() % 2) upx += '\0';
      std.resize(std.size() + 2);
      put16(std, std.size() - 2, static_cast<uint32_t>(2 + st.grpprl.size()));
      std += upx + std::string(2, '\0');
      std::string lp(2, '\0');
      put16(lp, 0, static_cast<uint32_t>(std.size()));
      stsh += lp + std;
    }
    put32(word, kFibFcLcb + 1 * 8, static_cast<uint32_t>(table.size()));
    put32(word, kFibFcLcb + 1 * 8 + 4, static_cast<uint32_t>(stsh.size()));
    table += stsh;
  }
  if (!spec.paragraphs.empty()) {
    // One PAPX FKP: the stream offsets where paragraphs end (after each mark), then their PAPXs.
    std::vector<uint32_t> bounds{kTextAt};
    uint32_t at = kTextAt;
    for (const Piece& p : spec.pieces) {
      for (size_t k = 0; k < p.chars(); ++k) {
        const uint32_t c = p.compressed ? static_cast<uint8_t>(p.bytes[k]) : static_cast<uint8_t>(p.bytes[2 * k]);
        at += p.compressed ? 1 : 2;
        if (c == 0x0D || c == 0x07) bounds.push_back(at);
      }
    }
    const size_t crun = std::min(bounds.size() - 1, spec.paragraphs.size());
    std::string page(512, '\0');
    for (size_t i = 0; i <= crun; ++i) put32(page, 4 * i, bounds[i]);
    size_t free_end = 511;
    for (size_t i = 0; i < crun; ++i) {
      std::string papx(2, '\0');
      put16(papx, 0, spec.paragraphs[i].istd);
      papx += spec.paragraphs[i].grpprl;
      std::string in_fkp = papx.size() % 2 ? std::string(1, static_cast<char>((papx.size() + 1) / 2)) + papx
                                            : std::string(1, '\0') + std::string(1, static_cast<char>(papx.size() / 2)) + papx;
      free_end = (free_end - in_fkp.size()) & ~size_t{1};
      page.replace(free_end, in_fkp.size(), in_fkp);
      page[4 * (crun + 1) + 13 * i] = static_cast<char>(free_end / 2);
    }
    page[511] = static_cast<char>(crun);
    word.resize((word.size() + 511) / 512 * 512);
    const auto pn = static_cast<uint32_t>(word.size() / 512);
    word += page;
    std::string bte;
    append32(bte, bounds.front());
    append32(bte, bounds[crun]);
    append32(bte, pn);
    put32(word, kFibFcLcb + 13 * 8, static_cast<uint32_t>(table.size()));
    put32(word, kFibFcLcb + 13 * 8 + 4, static_cast<uint32_t>(bte.size()));
    table += bte;
  }
  if (spec.damage) spec.damage(word, table);
  std::vector<CfbNode> nodes{CfbNode::stream("WordDocument", word)};
  if (spec.table_stream) nodes.push_back(CfbNode::stream("1Table", table));
  return test::compoundFileBytes(nodes);
}

// ---- LibreOffice fixtures

TEST(ExtractDoc, ALibreOfficeContractReadsAsWordShowsIt) {
  auto r = extract(readFixture("contract.doc"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  // As the .docx reader reads contract.docx, except where LibreOffice's export changed the document:
  // it drops w:isLgl (so "I.01" for "1.01" and "4.01").
  EXPECT_EQ(r->text,
            "Services Agreement\n\n"
            "# Recitals\n\n"
            "This Agreement is made between Müller GmbH and Ærø Ltd on 1 März 2024.\n\n"
            "1. Definitions\n\n"
            "1.1 In this Agreement the following words have these meanings:\n\n"
            "(a) “Services” means the work in Schedule 1;\n\n"
            "(b) “Fee” means €1,000 – payable monthly;\n\n"
            "(i) with sub-items:\n\n"
            "2. Payment\n\n"
            "2.1 The Client shall pay the Fee within 30 days[1].\n\n"
            "2.2 Interest accrues at 4%[2] per year.\n\n"
            "Bullets:\n\n"
            "• first bullet\n\n"
            "• second bullet\n\n"
            "o nested bullet\n\n"
            "3. Term\n\n"
            "3.1 This Agreement starts as shown on the portal and ends in two years.\n\n"
            "3.2 Either party may terminate it on notice.[comment 1]\n\n"
            "Party | Address | Role\n\n"
            "Müller GmbH | Berlin | Client\n\n"
            "Ærø Ltd | London | Supplier\n\n"
            "First line\nsecond line\tafter a tab\n\n"
            "Greek: Ελληνικά, Japanese: 日本語, a non-breaking hyphen.\n\n"
            "After a page break.\n\n"
            "4. Boilerplate\n\n"
            "Article I Article text\n\n"
            "I.01 Section text\n\n"
            "Article IV Second article\n\n"
            "I.01 Its section\n\n"
            "# Notes\n\n"
            "[1] Days are calendar days.\n\n"
            "[2] Above the base rate.\n\n"
            "# Comments\n\n"
            "[comment 1] Jane Roe: Check the notice period.\n\n");
  EXPECT_EQ(r->title, "Services Agreement");
  EXPECT_EQ(r->author, "Jane Roe");
  // The paragraph with page-break-before starts the second page.
  ASSERT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[1]), 19), "After a page break.");
}

// Three sections: a first-page letterhead, one running header, a footer with page numbers. As the .docx
// reader reads headers.docx: each distinct line once after the body, page numbers and their labels out.
TEST(ExtractDoc, HeadersAndFootersAreListedOnceAfterTheBody) {
  auto r = extract(readFixture("headers.doc"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "Part one.\n\nPart two.\n\nPart three.\n\n# Headers and footers\n\nACME Legal LLP, 1 Main Street\n\n"
            "Master Services Agreement\n\nConfidential\n\n");
}

// The text box story (PlcftxbxTxt) read where its shape is anchored (PlcSpaMom), after the anchor's
// paragraph, with its table; as the .docx reader reads text_box.docx. LibreOffice's own text export
// leaves text boxes out (text_box.txt).
TEST(ExtractDoc, ATextBoxFollowsItsAnchorOnce) {
  auto r = extract(readFixture("text_box.doc"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "# Rent\n\nThe tenant pays the rent.\n\nBoxed note\n\nDeposit | EUR 500\n\nAfter the box.\n\n");
}

TEST(ExtractDoc, ANestedTableIsPartOfItsCell) {
  auto r = extract(readFixture("nested_table.doc"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "Nested tables\n\n"
            "outer 1 | inner a | inner b / inner c | inner d after inner\n\n"
            "outer 3 | outer 4\n\n"
            "End.\n\n");
}

// ---- built files

TEST(ExtractDoc, EightBitAndUnicodePiecesMakeOneText) {
  DocSpec spec;
  // [MS-DOC]'s 8-bit mapping: 0x93/0x94 are curly quotes, 0x85 an ellipsis, 0x9F "Ÿ"; 0x80 is not in
  // its table (Word stores "€" in Unicode pieces) and stays U+0080, which shows as nothing special.
  spec.pieces = {ansi("Caf\xE9 \x93quoted\x94\x85 \x9F \x8C"), wide(u" and Ελληνικά 日本語\r"), ansi("Second\r")};
  auto r = extract(docBytes(spec));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "Café “quoted”… Ÿ Œ and Ελληνικά 日本語\n\nSecond\n\n");
  EXPECT_EQ(compressedCharacter(0x80), u'\x80');
  EXPECT_EQ(compressedCharacter(0x96), u'\u2013');
  EXPECT_EQ(compressedCharacter(0x41), u'A');
}

TEST(ExtractDoc, SpecialCharactersFieldsAndBreaks) {
  DocSpec spec;
  spec.pieces = {ansi(
      // A field shows its result; a field in another's code shows nothing; one without a result
      // shows nothing.
      "See \x13 REF x \x13 PAGE \x14 3\x15\x14result\x15 here\x13 TC \"hidden\" \x15.\r"
      // Line break, tab, non-breaking hyphen, optional hyphen, picture and drawing anchors.
      "one\x0Btwo\tthree non\x1E" "break opt\x1Fional\x01\x08.\r"
      // A page break inside a paragraph; a 0x02 and 0x05 with no note or comment behind them.
      "before\x0C" "after\x02\x05\r")};
  auto r = extract(docBytes(spec));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "See result here.\n\none\ntwo\tthree non-break optional.\n\nbeforeafter\n\n");
  ASSERT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[1])), "after\n\n");
}

// What Word 97 writes and LibreOffice does not: tables without sprmPItap (cells end with 0x07, rows
// with a TTP), in 8-bit text; headings by built-in style; a "toc 1" style on text outside a field.
TEST(ExtractDoc, Word97TablesHeadingStylesAndTocStyles) {
  DocSpec spec;
  spec.pieces = {ansi("Scope\r"
                      "\x13 TOC \x14" "Scope\t1\r\x15"
                      "Part A\x07Part B\x07\x07"
                      "two\rparagraphs\x07" "cell\x07\x07"
                      "Styled like a contents entry\r")};
  spec.styles = {{0, u"Normal", ""}, {1, u"heading 1", ""}, {19, u"toc 1", ""}};
  const std::string in_table = sprm8(0x2416, 1), ttp = sprm8(0x2416, 1) + sprm8(0x2417, 1);
  spec.paragraphs = {{1, ""}, {2, ""}, {0, in_table}, {0, in_table}, {0, ttp},
                     {0, in_table}, {0, in_table}, {0, in_table}, {0, ttp}, {2, ""}};
  auto r = extract(docBytes(spec));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "# Scope\n\n"
            "Part A | Part B\n\n"
            "two paragraphs | cell\n\n"
            "Styled like a contents entry\n\n");
}

TEST(ExtractDoc, SymbolFontCharactersReadAsUnicode) {
  // sprmCSymbol names the font and the code, as 0xF0xx or 0xxx.
  EXPECT_EQ(symbolText(SymbolFont::Symbol, 0xF06D), "μ");
  EXPECT_EQ(symbolText(SymbolFont::Symbol, 0x44), "Δ");
  EXPECT_EQ(symbolText(SymbolFont::Symbol, 0xF0B1), "±");
  EXPECT_EQ(symbolText(SymbolFont::Symbol, 0xF0E2), "®");
  EXPECT_EQ(symbolText(SymbolFont::Symbol, 0x33), "3");
  EXPECT_EQ(symbolText(SymbolFont::Wingdings, 0xF0FC), "✓");
  EXPECT_EQ(symbolText(SymbolFont::Wingdings, 0xF028), "");  // a telephone: no text
  EXPECT_EQ(symbolText(SymbolFont::Symbol, 0x1234), "");
  EXPECT_EQ(symbolText(SymbolFont::None, 0xF06D), "");
}

TEST(ExtractDoc, FootnotesAreNumberedAndFollowTheBody) {
  DocSpec spec;
  spec.pieces = {ansi("Clause\x02 one\x02.\rLast.\r" "\x02 First note.\r\x02 Second\x13 PAGE \x14" "2\x15 note.\r\r")};
  spec.ccp_text = 20;
  spec.ccp_ftn = 40;
  std::string refs, texts;
  for (uint32_t cp : {6u, 11u, 20u}) append32(refs, cp);  // 2 marks, then the end
  refs += std::string("\x01\x00\x01\x00", 4);               // auto-numbered (FRDs)
  for (uint32_t cp : {0u, 14u, 39u, 40u}) append32(texts, cp);
  spec.structures = {{2, refs}, {3, texts}};
  auto r = extract(docBytes(spec));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "Clause[1] one[2].\n\nLast.\n\n# Notes\n\n[1] First note.\n\n[2] Second2 note.\n\n");
}

TEST(ExtractDoc, ThousandsOfMarksOnOneLongNoteReadItOnce) {
  // 20,000 footnote marks whose notes all span the same 100,000 characters: read in full that is
  // 2 billion characters; the reader stops reading notes after about as many as the file holds.
  const size_t marks = 20000, note = 100000;
  DocSpec spec;
  spec.pieces = {ansi(std::string(marks, '\x02') + "\r" + std::string(note, 'n') + "\r")};
  spec.ccp_text = static_cast<int64_t>(marks + 1);
  spec.ccp_ftn = static_cast<uint32_t>(note + 1);
  std::string refs, texts;
  for (uint32_t i = 0; i <= marks; ++i) append32(refs, i);
  refs += std::string(2 * marks, '\x01');
  for (uint32_t i = 0; i <= marks; ++i) append32(texts, i % 2 == 0 ? 0u : static_cast<uint32_t>(note));
  spec.structures = {{2, refs}, {3, texts}};
  auto r = extract(docBytes(spec));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_LT(r->text.size(), 4u * (marks + note) + (2u << 20));
}

TEST(ExtractDoc, OnlyTheMainTextIsTheBody) {
  DocSpec spec;
  spec.pieces = {ansi("Body.\rA header that is not in the body\r")};
  spec.ccp_text = 6;
  auto r = extract(docBytes(spec));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "Body.\n\n");
}

TEST(ExtractDoc, OldProtectedAndIncompleteFilesFailWithTheReason) {
  auto fails = [](const DocSpec& spec, const std::string& reason) {
    auto r = extract(docBytes(spec));
    ASSERT_FALSE(r.ok()) << reason;
    EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("test.doc"), std::string::npos) << r.error().message;
  };
  DocSpec word95;
  word95.pieces = {ansi("x\r")};
  word95.n_fib = 104;
  fails(word95, "Word 6/95 file");
  fails(word95, "save it as .docx");
  DocSpec word6 = word95;
  word6.ident = 0xA5DC;  // Word 6 and 95's signature
  word6.n_fib = 0x0065;
  fails(word6, "Word 6/95 file");
  DocSpec locked = word95;
  locked.n_fib = 0x00C1;
  locked.flags = 0x0300;  // fEncrypted
  fails(locked, "password-protected");
  DocSpec no_table = locked;
  no_table.flags = 0x0200;
  no_table.table_stream = false;
  fails(no_table, "without its 1Table stream");
  DocSpec bad_clx = no_table;
  bad_clx.table_stream = true;
  bad_clx.damage = [](std::string& word, std::string&) { put32(word, kFibFcLcb + 33 * 8, 100000); };
  fails(bad_clx, "piece table missing or outside the table stream");
  DocSpec disorder = no_table;
  disorder.table_stream = true;
  disorder.pieces = {ansi("ab\r"), ansi("cd\r")};
  disorder.damage = [](std::string&, std::string& table) { put32(table, 5 + 4, 50); };  // piece 0 ends after piece 1 starts
  fails(disorder, "out of order");
  DocSpec short_fib = no_table;
  short_fib.table_stream = true;
  short_fib.damage = [](std::string& word, std::string&) { word.resize(40); };
  fails(short_fib, "cut short");
}

TEST(ExtractDoc, PiecesOutsideTheStreamAndHugeCountsGivePartialText) {
  // A piece whose bytes lie past the stream's end reads as nothing; the others still read.
  DocSpec spec;
  spec.pieces = {ansi("Kept.\r"), wide(u"Lost\r")};
  spec.damage = [](std::string&, std::string& table) {
    // Piece 1's offset far past the stream (the PCDs follow the 3 CPs).
    put32(table, 5 + 12 + 8 + 2, 0x00FFFFF0);
  };
  auto r = extract(docBytes(spec));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "Kept.\n\n");

  // A character count of 2^31-1: the text is what the stream holds.
  DocSpec huge;
  huge.pieces = {ansi("Short.\r")};
  huge.ccp_text = 0x7FFFFFFF;
  r = extract(docBytes(huge));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "Short.\n\n");
}

// Every structure of a real file cut short, or its bytes overwritten, gives text or an error — never
// a crash or a hang (run under ASan/UBSan in the debug-asan preset).
TEST(ExtractDoc, DamagedStreamsOfARealFileNeverCrash) {
  for (const char* fixture : {"contract.doc", "headers.doc", "text_box.doc"}) {
    SCOPED_TRACE(fixture);
    const std::string original = readFixture(fixture);
    auto file = ole::CompoundFile::open(original, fixture);
    ASSERT_TRUE(file.ok());
    auto word = file->readPath("WordDocument", 1 << 24);
    auto table = file->readPath("1Table", 1 << 24);
    ASSERT_TRUE(word.ok() && *word && table.ok() && *table);
    auto run = [](const std::string& w, const std::string& t) {
      const std::string bytes = test::compoundFileBytes({CfbNode::stream("WordDocument", w), CfbNode::stream("1Table", t)});
      auto r = extract(bytes);
      if (r.ok()) EXPECT_LE(r->text.size(), 1u << 20);
    };
    for (size_t cut = 0; cut < (*table)->size(); cut += 97) run(**word, (*table)->substr(0, cut));
    for (size_t cut = 0; cut < (*word)->size(); cut += 211) run((*word)->substr(0, cut), **table);
    uint32_t x = 12345;
    for (int round = 0; round < 300; ++round) {
      std::string w = **word, t = **table;
      for (int k = 0; k < 8; ++k) {
        x = x * 1664525u + 1013904223u;
        std::string& target = (x >> 31) ? w : t;
        const size_t at = (x >> 8) % target.size();
        target[at] = static_cast<char>(x >> ((k % 3) * 8));
        if (k % 4 == 0 && at + 4 <= target.size()) put32(target, at, 0xFFFFFFF0u + (x & 0xF));
      }
      run(w, t);
    }
  }
}

}  // namespace
}  // namespace folio::ingest::office
