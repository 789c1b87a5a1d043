// Outlook messages (.msg) and the other OLE compound files: the fields, body forms (plain, HTML, 8-bit
// in a code page, compressed RTF), recipients, attachments and attached messages of messages written
// by tests/support/msg_writer (checked against msgconvert); compound files that are not messages.
#include <gtest/gtest.h>

#include <string>

#include "ingest/extract.h"
#include "ingest/mail/rtf_compressed.h"
#include "ingest/ole/compound_file.h"
#include "ingest/source_kind.h"
#include "tests/support/compound_file_writer.h"
#include "tests/support/msg_writer.h"

namespace folio::ingest {
namespace {

using test::fileTime;
using test::MsgObject;

Result<ExtractedText> extractAs(const std::string& bytes, SourceKind kind, const std::string& name) {
  return extractBytes(bytes, SourceType{kind, ""}, name);
}

ExtractedText extractOk(const std::string& bytes) {
  auto r = extractAs(bytes, SourceKind::Email, "message.msg");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

MsgObject recipient(const std::string& name, const std::string& address, int type) {
  MsgObject r;
  r.unicode = {{0x3001, name}, {0x3002, "SMTP"}, {0x3003, address}, {0x39FE, address}};
  r.fixed = {{0x0C150003, static_cast<uint64_t>(type)}};
  return r;
}

MsgObject notice() {
  MsgObject m;
  m.unicode = {{0x001A, "IPM.Note"},
               {0x0037, "R\xC3\xA9siliation du bail"},
               {0x0C1A, "Ren\xC3\xA9" "e Dubois"},
               {0x0C1E, "EX"},
               {0x0C1F, "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=RDUBOIS"},
               {0x5D01, "renee@example.com"},
               {0x0E04, "Legal Team; Counsel"},
               {0x1000, "Please find the notice of termination below.\r\nRegards,\r\nRen\xC3\xA9" "e\r\n"}};
  m.fixed = {{0x00390040, fileTime(1772529120)}, {0x3FFD0003, 1252}};
  m.recipients = {recipient("Legal Team", "legal@example.com", 1), recipient("Counsel", "counsel@example.com", 2),
                  recipient("Archive", "archive@example.com", 3)};
  return m;
}

TEST(ExtractMsg, APlainMessageReadsLikeAnEml) {
  const ExtractedText t = extractOk(test::msgBytes(notice()));
  // The Exchange address is not shown: the SMTP one is; Bcc recipients are not part of the message.
  EXPECT_EQ(t.text,
            "Subject: R\xC3\xA9siliation du bail\nFrom: Ren\xC3\xA9" "e Dubois <renee@example.com>\n"
            "To: Legal Team <legal@example.com>\nCc: Counsel <counsel@example.com>\n"
            "Date: Tue, 03 Mar 2026 09:12:00 +0000\n\n"
            "Please find the notice of termination below.\nRegards,\nRen\xC3\xA9" "e\n\n");  // CRLF as LF
  EXPECT_EQ(t.title, "R\xC3\xA9siliation du bail");
  EXPECT_EQ(t.author, "Ren\xC3\xA9" "e Dubois <renee@example.com>");
}

TEST(ExtractMsg, TheTransportHeadersDateAndTheDisplayListsAreUsedWhereThereIsNothingBetter) {
  MsgObject m = notice();
  m.recipients.clear();
  m.unicode.push_back({0x007D, "Received: from mx\r\nDate: Tue, 3 Mar 2026 10:12:00 +0100\r\nSubject: x\r\n\r\n"});
  const ExtractedText t = extractOk(test::msgBytes(m));
  EXPECT_NE(t.text.find("To: Legal Team; Counsel\nDate: Tue, 3 Mar 2026 10:12:00 +0100\n"), std::string::npos) << t.text;
}

TEST(ExtractMsg, EightBitStringsAreReadInTheMessagesCodePage) {
  MsgObject m;
  m.ansi = {{0x0037, "\xC4\xEE\xE3\xEE\xE2\xEE\xF0"}, {0x1000, "\xD1\xF2\xE0\xF2\xFC\xFF 5."}};  // Договор, Статья 5.
  m.fixed = {{0x3FFD0003, 1251}};
  const ExtractedText t = extractOk(test::msgBytes(m));
  EXPECT_EQ(t.text, "Subject: \xD0\x94\xD0\xBE\xD0\xB3\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x80\n\n"
                    "\xD0\xA1\xD1\x82\xD0\xB0\xD1\x82\xD1\x8C\xD1\x8F 5.\n\n");
}

TEST(ExtractMsg, AnHtmlOnlyBodyIsReadAsText) {
  MsgObject m;
  m.unicode = {{0x0037, "Notice"}};
  m.binary = {{0x1013, "<html><head><style>p{}</style></head><body><h1>Termination</h1><p>Six months&#39; notice "
                       "\xE2\x80\x94 caf\xC3\xA9.</p></body></html>"}};
  m.fixed = {{0x3FDE0003, 65001}};
  EXPECT_EQ(extractOk(test::msgBytes(m)).text, "Subject: Notice\n\n# Termination\n\nSix months' notice \xE2\x80\x94 caf\xC3\xA9.\n\n");
}

// [MS-OXRTFCP] 3.1.1's example of compressed RTF.
const std::string kCompressedHello(
    "\x2d\x00\x00\x00\x2b\x00\x00\x00\x4c\x5a\x46\x75\xf1\xc5\xc7\xa7\x03\x00\x0a\x00\x72\x63\x70\x67\x31\x32\x35\x42"
    "\x32\x0a\xf3\x20\x68\x65\x6c\x09\x00\x20\x62\x77\x05\xb0\x6c\x64\x7d\x0a\x80\x0f\xa0",
    49);

TEST(ExtractMsg, CompressedRtfDecompressesAsTheSpecificationsExample) {
  auto rtf = mail::decompressRtf(kCompressedHello, 1 << 20);
  ASSERT_TRUE(rtf.has_value());
  EXPECT_EQ(*rtf, "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
  // Bounded by the caller, and by the stream: a cut stream gives what was decoded.
  EXPECT_EQ(*mail::decompressRtf(kCompressedHello, 10), "{\\rtf1\\ans");
  EXPECT_EQ(mail::decompressRtf(kCompressedHello.substr(0, 30), 1 << 20)->substr(0, 6), "{\\rtf1");
  EXPECT_FALSE(mail::decompressRtf("not compressed rtf at all", 100).has_value());
  std::string stored = kCompressedHello.substr(0, 16);
  stored.replace(8, 4, "MELA");
  stored.replace(4, 4, std::string("\x05\x00\x00\x00", 4));
  EXPECT_EQ(*mail::decompressRtf(stored + "{\\rtf1 plain}", 1 << 20), "{\\rtf");
}

TEST(ExtractMsg, AnRtfOnlyBodyIsReadThroughTheRtfReader) {
  MsgObject m;
  m.unicode = {{0x0037, "Hello"}};
  m.binary = {{0x1009, kCompressedHello}};
  EXPECT_EQ(extractOk(test::msgBytes(m)).text, "Subject: Hello\n\nhello world\n\n");
}

TEST(ExtractMsg, AttachmentsAreNamedAndAttachedMessagesRead) {
  MsgObject m = notice();
  MsgObject pdf;
  pdf.unicode = {{0x3707, "bail sign\xC3\xA9.pdf"}, {0x3704, "BAILSI~1.PDF"}, {0x370E, "application/pdf"}};
  pdf.binary = {{0x3701, "%PDF-1.4 not read"}};
  pdf.fixed = {{0x37050003, 1}};
  MsgObject forwarded;
  forwarded.unicode = {{0x0037, "Fwd: notice"}, {0x0C1A, "Bob"}, {0x5D01, "b@example.com"}, {0x1000, "Original notice text."}};
  MsgObject attached;
  attached.unicode = {{0x3001, "Fwd: notice"}};
  attached.fixed = {{0x37050003, 5}};
  attached.embedded = {forwarded};
  MsgObject unnamed;
  unnamed.binary = {{0x3701, "x"}};
  m.attachments = {pdf, attached, unnamed};
  const ExtractedText t = extractOk(test::msgBytes(m));
  EXPECT_NE(t.text.find("Ren\xC3\xA9" "e\n\n---------- Attached message ----------\nSubject: Fwd: notice\nFrom: Bob <b@example.com>\n\n"
                        "Original notice text.\n\nAttachments (not read):\n- bail sign\xC3\xA9.pdf (application/pdf): not a readable PDF "
                        "(damaged, truncated or not a PDF)\n"
                        "- (unnamed) (application/octet-stream)\n"),
            std::string::npos)
      << t.text;
  EXPECT_EQ(t.title, "R\xC3\xA9siliation du bail");  // the message's own, not the attached one's
}

TEST(ExtractMsg, AMessageIsReadByContentWhateverItsExtension) {
  auto r = extractAs(test::msgBytes(notice()), SourceKind::Word, "saved.doc");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->title, "R\xC3\xA9siliation du bail");
}

TEST(ExtractMsg, CompoundFilesThatAreNotMessagesOrDocumentsFailWithWhatTheyAre) {
  using test::CfbNode;
  const auto fails = [](const std::string& bytes, const std::string& reason) {
    auto r = extractAs(bytes, SourceKind::Word, "contract.docx");
    ASSERT_FALSE(r.ok()) << reason;
    EXPECT_NE(r.error().message.find("contract.docx: " + reason), std::string::npos) << r.error().message;
  };
  fails(test::compoundFileBytes({CfbNode::stream("EncryptedPackage", std::string(5000, 'x')),
                                 CfbNode::stream("EncryptionInfo", "info")}),
        "a password-protected Office file");
  fails(test::compoundFileBytes({CfbNode::stream("Workbook", "x")}), "Excel workbook: a record header cut short at offset 0");
  // A PowerPoint 97-2003 stream is read as a presentation: this one lacks its "Current User" stream.
  fails(test::compoundFileBytes({CfbNode::stream("PowerPoint Document", "x")}), "PowerPoint 97-2003 presentation: no \"Current User\"");
  fails(test::compoundFileBytes({CfbNode::stream("Contents", "x")}), "an OLE compound file that holds neither");
  fails(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'), "OLE compound file: ");
}

TEST(ExtractMsg, ABrokenBodyStreamFailsWithItsName) {
  std::string bytes = test::msgBytes(notice());
  auto file = ole::CompoundFile::open(bytes, "m.msg");
  ASSERT_TRUE(file.ok());
  auto body = file->find("__substg1.0_1000001F");
  ASSERT_TRUE(body.has_value());
  // Point the body's chain of mini sectors past the end of the mini stream.
  const uint32_t dir_start = static_cast<uint32_t>(static_cast<unsigned char>(bytes[48]) | static_cast<unsigned char>(bytes[49]) << 8);
  const size_t entry = (dir_start + 1) * 512 + body->id * 128;
  bytes[entry + 116] = '\x7F';
  bytes[entry + 117] = '\x7F';
  auto r = extractAs(bytes, SourceKind::Email, "m.msg");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("m.msg: stream \"__substg1.0_1000001F\""), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace folio::ingest
