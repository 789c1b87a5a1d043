// Mailboxes (.mbox): each message a page under "# Message N of M: <subject>", read as an .eml is
// (attachments too); mboxrd's quoted ">From " lines unquoted; a single message saved after a separator
// line read as that message; chunks cite the message by page.
#include <gtest/gtest.h>

#include <string>

#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/source_kind.h"

namespace folio::ingest {
namespace {

const std::string kMailbox =
    "From alice@example.com Tue Mar  3 10:12:00 2026\n"
    "From: Alice <alice@example.com>\nSubject: Lease renewal\nDate: Tue, 3 Mar 2026 10:12:00 +0100\n\n"
    "Shall we renew the warehouse lease?\n>From what I recall the break clause is in 14.2.\n\n"
    "From bob@example.com Wed Mar  4 09:00:00 2026\n"
    "From: Bob <bob@example.com>\nSubject: Re: Lease renewal\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
    "Content-Type: text/plain\n\nYes. Notes attached.\n--b\nContent-Type: text/plain\nContent-Disposition: attachment; "
    "filename=\"notes.txt\"\n\nThe landlord accepts a six-month notice period.\n--b--\n\n"
    "From carol@example.com Thu Mar  5 08:00:00 2026\n"
    "From: Carol <carol@example.com>\nSubject: Re: Lease renewal\n\nAgreed.\n";

TEST(ExtractMbox, EachMessageIsAPageReadAsAnEml) {
  const SourceType type = classifySource("lease.mbox");
  ASSERT_EQ(type.kind, SourceKind::Email);
  auto r = extractBytes(kMailbox, type, "lease.mbox");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text,
            "# Message 1 of 3: Lease renewal\n\nSubject: Lease renewal\nFrom: Alice <alice@example.com>\n"
            "Date: Tue, 3 Mar 2026 10:12:00 +0100\n\nShall we renew the warehouse lease?\n"
            "From what I recall the break clause is in 14.2.\n\n"
            "\n# Message 2 of 3: Re: Lease renewal\n\nSubject: Re: Lease renewal\nFrom: Bob <bob@example.com>\n\n"
            "Yes. Notes attached.\n\n---------- Attachment: notes.txt ----------\n"
            "The landlord accepts a six-month notice period.\n\n"
            "\n# Message 3 of 3: Re: Lease renewal\n\nSubject: Re: Lease renewal\nFrom: Carol <carol@example.com>\n\n"
            "Agreed.\n\n");
  ASSERT_EQ(r->page_starts.size(), 3u);
  const EstimatingTokenCounter tokens;
  bool found = false;
  for (const Chunk& c : chunkDocument(*r, type, tokens)) {
    if (c.text.find("six-month notice") == std::string::npos) continue;
    found = true;
    EXPECT_EQ(c.page_first, 2);  // the second message
    ASSERT_FALSE(c.heading_path.empty());
    EXPECT_EQ(c.heading_path.front(), "Attachment: notes.txt");
  }
  EXPECT_TRUE(found);
}

TEST(ExtractMbox, ASingleMessageAfterASeparatorLineIsThatMessage) {
  auto r = extractBytes("From - Tue Mar  3 10:12:00 2026\nX-Mozilla-Status: 0001\nFrom: a@example.com\nSubject: Notice\n\nText.\n",
                        classifySource("saved.eml"), "saved.eml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->text, "Subject: Notice\nFrom: a@example.com\n\nText.\n\n");
  EXPECT_EQ(r->title, "Notice");
  EXPECT_TRUE(r->page_starts.empty());
}

}  // namespace
}  // namespace folio::ingest
