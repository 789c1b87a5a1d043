// Files attached to e-mail (.eml and .msg) are read as Folio reads such files on disk — a PDF in its
// isolated reader, a Word file with its numbering, text as text — each after a line naming it; kinds
// not read (images), broken files (with why) and attachments nested too deep are named at the end.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "bench/bench_pdf_writer.h"
#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/pdf_ocr.h"
#include "ingest/source_kind.h"
#include "support/docx_writer.h"
#include "support/mail_writer.h"
#include "support/msg_writer.h"
#include "support/scanned_pdf.h"

namespace folio::ingest {
namespace {

using test::attachedPart;

std::string contractDocx() {
  test::DocxParts p;
  p.numbering =
      R"(<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>)"
      R"(<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>)";
  p.body = test::wordParagraph("Term", "", 1, 0) + test::wordParagraph("Termination for convenience", "", 1, 0);
  return test::docxBytes(p);
}

Result<ExtractedText> extractMail(const std::string& bytes, const std::string& name) {
  return extractBytes(bytes, classifySource(name), name);
}

TEST(ExtractMailAttachments, AttachedFilesAreReadAsTheirKindAndTheRestNamed) {
  const std::string pdf = bench::writeTextPdf({{"Schedule of rent"}, {"Rent review every five years."}}, "Lease");
  const std::string mail = "From: a@example.com\nSubject: Signed lease\nMIME-Version: 1.0\n"
                           "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nSee attached.\n" +
                           attachedPart("lease.pdf", "application/pdf", pdf) +
                           attachedPart("contract.docx", "application/octet-stream", contractDocx()) +
                           attachedPart("notes.txt", "text/plain", "Landlord agreed to waive the deposit.\n") +
                           attachedPart("scan.heic", "image/heic", "not read") +
                           attachedPart("broken.pdf", "application/pdf", "not a pdf at all") + "--b--\n";
  auto r = extractMail(mail, "lease.eml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string& t = r->text;
  EXPECT_EQ(t.substr(0, t.find("---------- Attachment: contract.docx")),
            "Subject: Signed lease\nFrom: a@example.com\n\nSee attached.\n\n"
            "---------- Attachment: lease.pdf ----------\nSchedule of rent\nRent review every five years.\n\n");
  EXPECT_NE(t.find("---------- Attachment: contract.docx ----------\n1. Term\n\n2. Termination for convenience\n\n"
                   "---------- Attachment: notes.txt ----------\nLandlord agreed to waive the deposit.\n\n"
                   "Attachments (not read):\n- scan.heic (image/heic)\n- broken.pdf (application/pdf): not a PDF (no %PDF- header)\n"),
            std::string::npos)
      << t;
  EXPECT_EQ(r->title, "Signed lease");  // the message's, not an attachment's
}

TEST(ExtractMailAttachments, AnOutlookMessagesAttachedFilesAreRead) {
  test::MsgObject m;
  m.unicode = {{0x0037, "Draft contract"}, {0x1000, "Draft attached."}};
  test::MsgObject docx;
  docx.unicode = {{0x3707, "contract.docx"}};
  docx.binary = {{0x3701, contractDocx()}};
  docx.fixed = {{0x37050003, 1}};
  m.attachments = {docx};
  auto r = extractMail(test::msgBytes(m), "draft.msg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "Subject: Draft contract\n\nDraft attached.\n\n---------- Attachment: contract.docx ----------\n"
                     "1. Term\n\n2. Termination for convenience\n\n");
}

TEST(ExtractMailAttachments, AttachmentsInsideAttachmentsAreReadThreeDeep) {
  std::string mail = "Subject: level 4\n\nInnermost text.\n";
  for (int level = 3; level >= 0; --level) {
    mail = "Subject: level " + std::to_string(level) + "\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
           "Content-Type: text/plain\n\nText " + std::to_string(level) + ".\n" +
           attachedPart("level" + std::to_string(level + 1) + ".eml", "application/octet-stream", mail) + "--b--\n";
  }
  auto r = extractMail(mail, "top.eml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (int level = 1; level <= 3; ++level)
    EXPECT_NE(r->text.find("---------- Attachment: level" + std::to_string(level) + ".eml ----------\nSubject: level " +
                           std::to_string(level)),
              std::string::npos)
        << r->text;
  EXPECT_EQ(r->text.find("Innermost text."), std::string::npos);
  EXPECT_NE(r->text.find("- level4.eml (application/octet-stream)"), std::string::npos) << r->text;
}

TEST(ExtractMailAttachments, AStopWhileAnAttachmentIsReadStopsTheMessageToo) {
  const std::string pdf = bench::writeTextPdf({{"Schedule of rent"}}, "Lease");
  const std::string mail = "Subject: Lease\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nSee.\n" +
                           attachedPart("lease.pdf", "application/pdf", pdf) + "--b--\n";
  std::atomic<bool> stop{true};
  ExtractOptions options;
  options.cancel = &stop;
  auto r = extractBytes(mail, classifySource("lease.eml"), "lease.eml", options);
  ASSERT_FALSE(r.ok());  // not kept without its attachment, which a later ingest reads
  EXPECT_EQ(r.error().kind, ErrorKind::Cancelled) << r.error().message;
}

TEST(ExtractMailAttachments, AnAttachedScanIsReadByOcrAndCountedWithTheMessage) {
  const std::string scan = test::writeMixedPdf({{{}, test::renderTextPage({"NOTICE OF TERMINATION", "sent by registered mail"})}});
  const std::string mail = "Subject: Notice\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nScan.\n" +
                           attachedPart("notice.pdf", "application/pdf", scan) + "--b--\n";
  ExtractOptions off;
  off.ocr = false;
  auto unread = extractBytes(mail, classifySource("n.eml"), "n.eml", off);
  ASSERT_TRUE(unread.ok()) << unread.error().message;
  EXPECT_EQ(unread->unread_pages, 1);  // kept with the message, so a later ingest with OCR reads it again
  EXPECT_EQ(unread->ocr_problem, kOcrOff);
  EXPECT_EQ(unreadPagesNote(1, 0, kOcrOff), "1 page without a text layer left unread: OCR is off (--no-ocr)");
  EXPECT_TRUE(ocrMayReadUnreadPages(unreadPagesNote(1, 0, kOcrOff)));
  auto read = extractBytes(mail, classifySource("n.eml"), "n.eml");
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->ocr_pages, 1);
  EXPECT_EQ(read->unread_pages, 0);
  EXPECT_NE(read->text.find("registered mail"), std::string::npos) << read->text;
}

TEST(ExtractMailAttachments, AnAttachmentsNameIsOneLine) {
  const std::string mail = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nSee.\n"
                           "--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"=?UTF-8?Q?a=0A----------_b.txt?=\"\n\nnote\n--b--\n";
  auto r = extractMail(mail, "x.eml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->text.find("---------- Attachment: a ---------- b.txt ----------\nnote\n"), std::string::npos) << r->text;
}

TEST(ExtractMailAttachments, AnAttachedContractIsChunkedByItsClausesInsideTheMessage) {
  std::vector<std::string> page;
  for (int clause = 1; clause <= 12; ++clause) {
    page.push_back(std::to_string(clause) + ". Clause heading " + std::to_string(clause));
    page.push_back("The Supplier shall perform obligation " + std::to_string(clause) + " in full and on time, and the");
    page.push_back("Customer may terminate this Agreement if it does not.");
  }
  const std::string pdf = bench::writeTextPdf({page}, "Supply agreement");
  const std::string mail = "From: a@example.com\nSubject: Signed\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                           "Content-Type: text/plain\n\nSigned copy attached.\n" +
                           attachedPart("supply agreement.pdf", "application/pdf", pdf) +
                           attachedPart("scan.tif", "image/tiff", "II*") + "--b--\n";
  const SourceType type = classifySource("signed.eml");
  auto r = extractBytes(mail, type, "signed.eml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const EstimatingTokenCounter tokens;
  const std::vector<Chunk> chunks = chunkDocument(*r, type, tokens);
  int clauses = 0;
  for (const Chunk& c : chunks) {
    // Provenance is the message's: the chunk's bytes and its first line are the message text's.
    ASSERT_EQ(r->text.substr(static_cast<size_t>(c.byte_begin), static_cast<size_t>(c.byte_end - c.byte_begin)), c.text);
    const size_t line_start = [&] {
      size_t pos = 0;
      for (int line = 1; line < c.line_first; ++line) pos = r->text.find('\n', pos) + 1;
      return pos;
    }();
    EXPECT_EQ(r->text.compare(line_start, c.text.size(), c.text), 0) << c.line_first << ": " << c.text;
    if (!c.heading_path.empty() && c.heading_path.front() == "Attachment: supply agreement.pdf" && c.heading_path.size() == 2) {
      ++clauses;
      EXPECT_EQ(c.heading_path[1].substr(0, 2 + std::to_string(clauses).size()), std::to_string(clauses) + ". ");
    }
  }
  EXPECT_EQ(clauses, 12);  // one chunk per clause, as the PDF on its own gets
  EXPECT_EQ(chunkerFor(*r, type), ChunkerId::Generic);
}

// An attached file's chunks say where in it they are: "Attachment: lease.pdf, page 2", also for a file
// attached to an attached message ("Attachment: forward.eml › Attachment: lease.pdf, page 2") and for a
// message of a mailbox; a one-page file names no page.
TEST(ExtractMailAttachments, ChunksOfAnAttachedFileNameItsPages) {
  std::vector<std::vector<std::string>> pages(3);
  for (int p = 0; p < 3; ++p)
    for (int line = 0; line < 12; ++line)
      pages[p].push_back("Page " + std::to_string(p + 1) + " marker" + std::string(1, static_cast<char>('a' + p)) +
                         " line " + std::to_string(line) + " of the lease, with its terms written out in full.");
  const std::string pdf = bench::writeTextPdf(pages, "Lease");
  const std::string inner = test::messageWith("Fwd: lease", "The lease.", attachedPart("lease.pdf", "application/pdf", pdf));
  const std::string mail = test::messageWith("Signed", "Both attached.",
                                             attachedPart("lease.pdf", "application/pdf", pdf) +
                                                 attachedPart("forward.eml", "message/rfc822", inner));
  const std::string mbox = "From a@example.com Mon Mar  2 10:00:00 2026\n" + test::messageWith("First", "Hello.", "") +
                           "\nFrom a@example.com Mon Mar  2 11:00:00 2026\n" + mail;
  const EstimatingTokenCounter tokens;
  for (const std::string name : {"signed.eml", "thread.mbox"}) {
    const SourceType type = classifySource(name);
    auto r = extractBytes(name == "signed.eml" ? mail : mbox, type, name);
    ASSERT_TRUE(r.ok()) << r.error().message;
    int seen = 0, forwarded = 0;
    for (const Chunk& c : chunkDocument(*r, type, tokens)) {
      for (int p = 1; p <= 3; ++p) {
        if (c.text.find("marker" + std::string(1, static_cast<char>('a' + p - 1))) == std::string::npos) continue;
        ASSERT_FALSE(c.heading_path.empty());
        // The forwarded message's copy is cited through it (a message/rfc822 part named by its file name).
        const bool through = c.heading_path.front() == "Attachment: forward.eml" && c.heading_path.size() > 1;
        const std::string& head = c.heading_path[through ? 1 : 0];
        EXPECT_TRUE(head == "Attachment: lease.pdf, page " + std::to_string(p) ||
                    head.rfind("Attachment: lease.pdf, pages ", 0) == 0)
            << name << ": " << head << " for a chunk of page " << p;
        ++seen;
        forwarded += through ? 1 : 0;
      }
    }
    EXPECT_GE(seen, 6) << name;  // both copies' pages: the attached one and the forwarded message's
    EXPECT_GE(forwarded, 3) << name;
  }
}

}  // namespace
}  // namespace folio::ingest
