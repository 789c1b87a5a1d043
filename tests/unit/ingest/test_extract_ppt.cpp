// PowerPoint 97-2003 (.ppt) files built here (tests/support/ppt_writer.h): slides in show order with
// their titles, bodies, text boxes, tables and notes, 8-bit and UTF-16 text, hidden slides, a second
// (incremental) save, and the damaged, looping and encrypted files that must fail with their name.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/extract.h"
#include "ingest/source_kind.h"
#include "ingest/office/ppt_extract.h"
#include "ingest/office/slide_text.h"
#include "ingest/ole/compound_file.h"
#include "support/little_endian.h"
#include "support/ppt_writer.h"

namespace folio::ingest::office {
namespace {

using test::CfbNode;
using test::PptTestDeck;
using test::PptTestSlide;

Result<ExtractedText> extract(const std::string& bytes, const std::string& name = "deck.ppt") {
  auto file = ole::CompoundFile::open(bytes, name);
  if (!file.ok()) return file.error();
  return extractPpt(*file, name);
}

PptTestDeck review() {
  PptTestDeck deck;
  deck.title = "Quarterly review";
  deck.author = "Ada Lovelace";
  PptTestSlide first;
  first.title = "Quarterly review";
  first.body = {"Revenue grew 12%", "Costs held flat"};
  first.footer = "Confidential";
  PptTestSlide second;
  second.title = "Risks";
  second.body = {"Supplier delay", "Currency exposure"};
  second.notes = {"Mention the hedge.", "Then the delay."};
  PptTestSlide third;
  third.title = "Backup";
  third.body = {"Only if asked"};
  third.hidden = true;
  deck.slides = {first, second, third};
  return deck;
}

void expectFails(const std::string& bytes, const std::string& reason) {
  auto r = extract(bytes);
  ASSERT_FALSE(r.ok()) << reason << "\n" << r->text;
  EXPECT_NE(r.error().message.find("deck.ppt: "), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
}

TEST(ExtractPpt, SlidesArePagesWithTitlesBodiesNotesAndHiddenMarks) {
  auto r = extract(test::pptBytes(review()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "# Slide 1: Quarterly review\n\nRevenue grew 12%\n\nCosts held flat\n\n"
            "# Slide 2: Risks\n\nSupplier delay\n\nCurrency exposure\n\nSpeaker notes: Mention the hedge.\n\nThen the delay.\n\n"
            "# Slide 3 (hidden): Backup\n\nOnly if asked\n\n");
  ASSERT_EQ(r->page_starts.size(), 3u);
  EXPECT_EQ(r->text.substr(static_cast<size_t>(r->page_starts[1]), 17), "# Slide 2: Risks\n");
  EXPECT_EQ(r->title, "Quarterly review");
  EXPECT_EQ(r->author, "Ada Lovelace");
  EXPECT_EQ(r->text.find("Confidential"), std::string::npos);  // a footer: the master's, on every slide
  EXPECT_EQ(r->text.find("Click to edit"), std::string::npos);  // the master's prompt
}

TEST(ExtractPpt, ReadsLikeThePptxReader) {
  // The same deck as .ppt and as the shape the .pptx reader renders: one text layout for both.
  auto r = extract(test::pptBytes(review()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<SlideText> slides(3);
  slides[0].title = "Quarterly review";
  slides[0].items = {{"Revenue grew 12%", {}}, {"Costs held flat", {}}};
  slides[1].title = "Risks";
  slides[1].items = {{"Supplier delay", {}}, {"Currency exposure", {}}};
  slides[1].notes = {{"Mention the hedge.", {}}, {"Then the delay.", {}}};
  slides[2].title = "Backup";
  slides[2].hidden = true;
  slides[2].items = {{"Only if asked", {}}};
  EXPECT_EQ(r->text, renderSlides(slides).text);
}

TEST(ExtractPpt, UnicodeAnd8BitTextAndLineBreaks) {
  PptTestDeck deck;
  PptTestSlide wide;
  wide.title = "Résiliation — Договор 契約 😀";
  wide.body = {"Délai : trois mois", "Срок\vодин год"};  // a vertical tab breaks the line
  PptTestSlide narrow;
  narrow.bytes = true;
  narrow.title = "Caf\xC3\xA9 cr\xC3\xA8me";  // Latin-1 in a TextBytesAtom
  narrow.body = {"na\xC3\xAFve fa\xC3\xA7" "ade", "\tindented  "};
  narrow.text_box = "A text box\vtwo lines";
  deck.slides = {wide, narrow};
  auto r = extract(test::pptBytes(deck));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("# Slide 1: Résiliation — Договор 契約 😀\n"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("Срок\nодин год"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("# Slide 2: Café crème\n\nnaïve façade\n\n\tindented\n\nA text box\ntwo lines\n"), std::string::npos)
      << r->text;
}

TEST(ExtractPpt, OutlineTextKeptInTheSlideListIsShownWhereTheShapesReferToIt) {
  PptTestDeck deck = review();
  for (PptTestSlide& s : deck.slides) s.outline = true;  // as PowerPoint itself saves placeholders
  auto r = extract(test::pptBytes(deck));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, extract(test::pptBytes(review()))->text);
}

TEST(ExtractPpt, TablesAreRowsOfCellsInTheirPlaces) {
  PptTestDeck deck;
  PptTestSlide s;
  s.title = "Fees";
  s.table = {{"Item", "Amount"}, {"Rent", "1,200"}, {"Deposit", ""}};
  deck.slides = {s};
  auto r = extract(test::pptBytes(deck));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "# Slide 1: Fees\n\nItem | Amount\n\nRent | 1,200\n\nDeposit | \n\n") << r->text;
}

TEST(ExtractPpt, TheNewestSaveWins) {
  PptTestDeck deck = review();
  PptTestSlide changed = deck.slides[1];
  changed.title = "Risks (revised)";
  changed.body = {"Supplier delay resolved"};
  deck.saves = {{{1, changed}}};
  PptTestSlide again = changed;
  again.body = {"Supplier delay resolved in May"};
  deck.saves.push_back({{1, again}});
  auto r = extract(test::pptBytes(deck));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("# Slide 2: Risks (revised)\n\nSupplier delay resolved in May\n\nSpeaker notes: Mention"), std::string::npos)
      << r->text;
  EXPECT_EQ(r->text.find("Currency exposure"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("# Slide 1: Quarterly review"), std::string::npos);  // from the first save
}

TEST(ExtractPpt, ALoopInTheEditChainFails) {
  PptTestDeck deck = review();
  deck.loop = true;
  expectFails(test::pptBytes(deck), "chain of edits loops");
  deck.saves = {{{0, deck.slides[0]}}};
  expectFails(test::pptBytes(deck), "chain of edits loops");
}

TEST(ExtractPpt, EncryptedFilesFailAsPasswordProtected) {
  PptTestDeck deck = review();
  deck.encrypted = true;
  expectFails(test::pptBytes(deck), "password-protected PowerPoint presentation");
  deck.encrypted = false;
  const auto streams = test::pptStreams(deck);
  expectFails(test::pptFileBytes(streams, deck, {CfbNode::stream("EncryptedSummary", std::string(64, 'x'))}),
              "password-protected PowerPoint presentation");
}

TEST(ExtractPpt, TruncatedAndDamagedFilesFailNamingWhatIsWrong) {
  const PptTestDeck deck = review();
  const auto streams = test::pptStreams(deck);
  // The stream cut short: the newest edit lies past its end.
  auto cut = streams;
  cut.document.resize(cut.document.size() / 2);
  expectFails(test::pptFileBytes(cut, deck), "no UserEditAtom at offset");
  // A slide's record claims more bytes than its container holds.
  auto longer = streams;
  const uint32_t slide = longer.slide_offsets[1];
  test::put32le(longer.document, slide + 4, 0x7FFFFFF0);
  expectFails(test::pptFileBytes(longer, deck), "no slide record at offset " + std::to_string(slide));
  // A record inside the slide runs past it.
  auto inner = streams;
  test::put32le(inner.document, slide + 8 + 4, 0x00FFFFFF);  // the SlideAtom's length
  expectFails(test::pptFileBytes(inner, deck), "runs past its container");
  // The persist directory points the document elsewhere.
  auto moved = streams;
  moved.document[0] = '\0';  // the DocumentContainer's recVer: no container any more
  expectFails(test::pptFileBytes(moved, deck), "no DocumentContainer");
  // No or a broken Current User stream.
  auto user = streams;
  user.current_user.resize(10);
  expectFails(test::pptFileBytes(user, deck), "holds no CurrentUserAtom");
  expectFails(test::compoundFileBytes({CfbNode::stream("PowerPoint Document", streams.document)}), "no \"Current User\" stream");
  // Every prefix of the stream fails or reads, never crashes.
  for (size_t n = 0; n < streams.document.size(); n += 7) {
    auto prefix = streams;
    prefix.document.resize(n);
    (void)extract(test::pptFileBytes(prefix, deck));
  }
}

TEST(ExtractPpt, ASlideListedTwiceIsShownOnce) {
  PptTestDeck deck = review();
  auto streams = test::pptStreams(deck);
  // Point the second slide's SlidePersistAtom at the first slide's persist id (3).
  const size_t second = streams.document.find(std::string("\x00\x00\xF3\x03\x14\x00\x00\x00\x04", 9));
  ASSERT_NE(second, std::string::npos);
  streams.document[second + 8] = 3;
  auto r = extract(test::pptFileBytes(streams, deck));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->page_starts.size(), 2u);
  EXPECT_EQ(r->text.find("Risks"), std::string::npos) << r->text;
}

TEST(ExtractPpt, DeeplyNestedGroupsFailInsteadOfRecursing) {
  PptTestDeck deck;
  deck.slides = {PptTestSlide{}};
  deck.slides[0].title = "Deep";
  auto streams = test::pptStreams(deck);
  // Wrap the drawing's shapes in many group containers, fixing every enclosing length.
  std::string& s = streams.document;
  const uint32_t slide = streams.slide_offsets[0];
  const size_t group = s.find(std::string("\x0F\x00\x03\xF0", 4), slide);
  ASSERT_NE(group, std::string::npos);
  const uint32_t length = static_cast<uint32_t>(static_cast<unsigned char>(s[group + 4]) | static_cast<unsigned char>(s[group + 5]) << 8);
  std::string nested = s.substr(group, 8 + length);
  for (int i = 0; i < 100; ++i) {
    std::string header("\x0F\x00\x03\xF0\0\0\0\0", 8);
    test::put32le(header, 4, static_cast<uint32_t>(nested.size()));
    nested = header + nested;
  }
  const int64_t grow = static_cast<int64_t>(nested.size()) - (8 + length);
  s = s.substr(0, group) + nested + s.substr(group + 8 + length);
  // The slide, PPDrawing and DgContainer around it grow too; the edit's offsets move.
  for (const size_t at : {size_t{slide}, s.find(std::string("\x0F\x00\x0C\x04", 4), slide), s.find(std::string("\x0F\x00\x02\xF0", 4), slide)}) {
    const uint32_t old = static_cast<uint32_t>(static_cast<unsigned char>(s[at + 4]) | static_cast<unsigned char>(s[at + 5]) << 8 |
                                               static_cast<unsigned char>(s[at + 6]) << 16);
    test::put32le(s, at + 4, static_cast<uint32_t>(old + grow));
  }
  const size_t directory = s.find(std::string("\x00\x00\x72\x17", 4), slide + nested.size());
  ASSERT_NE(directory, std::string::npos);
  const size_t edit = s.find(std::string("\x00\x00\xF5\x0F", 4), directory);
  test::put32le(s, edit + 8 + 12, static_cast<uint32_t>(directory));
  test::put32le(streams.current_user, 8 + 8, static_cast<uint32_t>(edit));
  expectFails(test::pptFileBytes(streams, deck), "nested too deeply");
}

TEST(ExtractPpt, CompoundFilesWithAPowerPointStreamAreReadByTheExtractor) {
  for (const char* name : {"deck.ppt", "SHOW.PPS", "template.pot"}) EXPECT_EQ(classifySource(name).kind, SourceKind::Presentation) << name;
  auto r = extractBytes(test::pptBytes(review()), SourceType{SourceKind::Presentation, ""}, "deck.pps");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("# Slide 2: Risks"), std::string::npos);
}

}  // namespace
}  // namespace folio::ingest::office
