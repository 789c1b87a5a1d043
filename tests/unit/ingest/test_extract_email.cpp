// E-mail (.eml): the header fields a reader looks at, the plain-text alternative (else the HTML one as
// text) in its charset and transfer encoding, attached messages, attachment names; broken structure
// still gives text.
#include <gtest/gtest.h>

#include <string>

#include "ingest/charset.h"
#include "ingest/extract.h"
#include "ingest/mail/mime_decode.h"
#include "ingest/source_kind.h"

namespace folio::ingest {
namespace {

ExtractedText extractOk(const std::string& bytes) {
  auto r = extractBytes(bytes, SourceType{SourceKind::Email, ""}, "message.eml");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ExtractedText{};
}

TEST(ExtractEmail, APlainMessageWithFoldedAndEncodedHeaders) {
  const ExtractedText t = extractOk(
      "Return-Path: <a@example.com>\r\nFrom: =?UTF-8?Q?Ren=C3=A9e_Dubois?= <renee@example.com>\r\n"
      "To: legal@example.com,\r\n  counsel@example.com\r\nSubject: =?ISO-8859-1?Q?R=E9siliation?= =?UTF-8?B?IGR1IGJhaWw=?=\r\n"
      "Date: Tue, 3 Mar 2026 10:12:00 +0100\r\nMessage-ID: <1@example.com>\r\n\r\n"
      "Please find the notice of termination below.\r\nRegards,\r\nRen\xC3\xA9" "e\r\n");
  EXPECT_EQ(t.text,
            "Subject: R\xC3\xA9siliation du bail\nFrom: Ren\xC3\xA9" "e Dubois <renee@example.com>\n"
            "To: legal@example.com, counsel@example.com\nDate: Tue, 3 Mar 2026 10:12:00 +0100\n\n"
            "Please find the notice of termination below.\nRegards,\nRen\xC3\xA9" "e\n\n");
  EXPECT_EQ(t.title, "R\xC3\xA9siliation du bail");
  EXPECT_EQ(t.author, "Ren\xC3\xA9" "e Dubois <renee@example.com>");
}

TEST(ExtractEmail, MultipartPrefersPlainTextAndListsAttachments) {
  const std::string mail =
      "From: a@example.com\nSubject: Lease\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\n\npreamble\n--outer\n"
      "Content-Type: multipart/alternative; boundary=inner\n\n--inner\n"
      "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
      "The tenant may end the lease=\n early. Caf=E9 closes.\n--inner\n"
      "Content-Type: text/html; charset=utf-8\n\n<p>The <b>tenant</b> may end the lease early.</p>\n--inner--\n"
      "--outer\nContent-Type: application/pdf; name=\"lease.pdf\"\nContent-Disposition: attachment; "
      "filename*=UTF-8''bail%20sign%C3%A9.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
      "--outer\nContent-Type: message/rfc822\n\nFrom: b@example.com\nSubject: Fwd: notice\n\n"
      "Original notice text.\n--outer--\nepilogue\n";
  const ExtractedText t = extractOk(mail);
  EXPECT_EQ(t.text,
            "Subject: Lease\nFrom: a@example.com\n\nThe tenant may end the lease early. Caf\xC3\xA9 closes.\n\n"
            "---------- Attached message ----------\nSubject: Fwd: notice\nFrom: b@example.com\n\n"
            "Original notice text.\n\nAttachments (not read):\n- bail sign\xC3\xA9.pdf (application/pdf): not a readable PDF "
            "(damaged, truncated or not a PDF)\n");
}

TEST(ExtractEmail, HtmlOnlyBase64BodyIsReadAsText) {
  const ExtractedText t = extractOk(
      "Subject: Notice\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
      "PGgxPlRlcm1pbmF0aW9uPC9oMT48cD5TaXggbW9udGhzJiMzOTsgbm90aWNlLjwvcD4=\n");
  EXPECT_EQ(t.text, "Subject: Notice\n\n# Termination\n\nSix months' notice.\n\n");
}

TEST(ExtractEmail, BrokenStructureStillGivesText) {
  // No header block: all body.
  EXPECT_EQ(extractOk("just some words\nand more\n").text, "just some words\nand more\n\n");
  // A multipart without its boundary: the body as it is.
  EXPECT_EQ(extractOk("Subject: x\nContent-Type: multipart/mixed\n\nbody text\n").text, "Subject: x\n\nbody text\n\n");
  // Nesting past the bound stops descending instead of recursing without end.
  std::string deep = "Subject: deep\n";
  for (int i = 0; i < 50; ++i) deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" + std::to_string(i) + "\n";
  deep += "Content-Type: text/plain\n\nbottom\n";
  const ExtractedText t = extractOk(deep);
  EXPECT_EQ(t.text.find("bottom"), std::string::npos);
  EXPECT_EQ(t.title, "deep");
}

TEST(ExtractEmail, Decoders) {
  EXPECT_EQ(mail::decodeBase64("SGVs\nbG8="), "Hello");
  EXPECT_EQ(mail::decodeQuotedPrintable("a=3Db=\nc = d =ZZ"), "a=bc = d =ZZ");
  EXPECT_EQ(toUtf8("caf\xE9", "windows-1252"), "caf\xC3\xA9");
  EXPECT_EQ(toUtf8("caf\xE9", "no-such-charset"), "caf\xC3\xA9");  // read as Windows-1252
  EXPECT_EQ(toUtf8("ok \xFF", "utf-8"), "ok \xEF\xBF\xBD");
  EXPECT_EQ(mail::decodeHeaderValue("=?utf-8?q?a?= =?utf-8?q?b?= c =?bogus"), "ab c =?bogus");
  EXPECT_EQ(classifySource("Re: lease.eml").kind, SourceKind::Email);
}

}  // namespace
}  // namespace folio::ingest
