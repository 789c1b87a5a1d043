// A file attached to an attached message is headed by both ("Attachment: Fwd draft.eml › Attachment:
// lease.pdf, page 2"), and where it ends the attached message's remaining text is that message's again.
//
// Mailboxes (.mbox) and Outlook stores (.pst) hold one message a page under "# Message N of M: …", each
// attached file's text after "---------- Attachment: <name> ----------". A message's page ends whatever
// attachment its predecessor ended in: the next message is cited under its own heading, never under
// that file — with several attachments, attached messages holding their own, files three deep, a
// mailbox attached to a message, and a body quoting lines that look like those headings.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_pdf_writer.h"
#include "ingest/chunker.h"
#include "ingest/extract.h"
#include "ingest/source_kind.h"
#include "support/mail_writer.h"
#include "support/msg_writer.h"
#include "support/pst_writer.h"

namespace folio::ingest {
namespace {

using test::attachedPart;

struct File {
  std::string name, bytes;
};

struct Mail {
  std::string subject, body;
  std::vector<File> files;
};

std::string eml(const Mail& m) {
  std::string parts;
  for (const File& f : m.files) parts += attachedPart(f.name, "application/octet-stream", f.bytes);
  return test::messageWith(m.subject, m.body, parts);
}

std::string mbox(const std::vector<Mail>& mails) {
  std::string out;
  for (const Mail& m : mails) out += "From a@example.com Mon Mar  2 10:00:00 2026\n" + eml(m) + "\n";
  return out;
}

// The messages in an "Inbox" folder, delivered in the given order.
std::string pst(const std::vector<Mail>& mails) {
  test::PstFolderSpec inbox{"Inbox", {}, {}};
  for (size_t i = 0; i < mails.size(); ++i) {
    test::PstMessageSpec m;
    m.subject = mails[i].subject;
    m.body = mails[i].body;
    m.delivery_time = test::fileTime(2026, 3, 2 + static_cast<int>(i), 10, 0);
    for (const File& f : mails[i].files) m.attachments.push_back({f.name, "application/octet-stream", f.bytes, nullptr});
    inbox.messages.push_back(std::move(m));
  }
  return test::makePst({inbox});
}

struct Store {
  std::string name, bytes;
  std::string folder;  // what a message's heading names before its subject
};

std::vector<Store> bothKinds(const std::vector<Mail>& mails) {
  return {{"thread.mbox", mbox(mails), ""}, {"store.pst", pst(mails), "Inbox \u203A "}};
}

std::vector<Chunk> chunksOf(const Store& store) {
  const SourceType type = classifySource(store.name);
  auto r = extractBytes(store.bytes, type, store.name);
  EXPECT_TRUE(r.ok()) << r.error().message;
  if (!r.ok()) return {};
  const EstimatingTokenCounter tokens;
  return chunkDocument(*r, type, tokens);
}

// The one chunk holding `marker`.
const Chunk& chunkWith(const std::vector<Chunk>& chunks, const std::string& marker) {
  static const Chunk none;
  const Chunk* found = &none;
  int count = 0;
  for (const Chunk& c : chunks) {
    if (c.text.find(marker) == std::string::npos) continue;
    found = &c;
    ++count;
  }
  EXPECT_EQ(count, 1) << marker;
  return *found;
}

std::string path(const Chunk& c) {
  std::string out;
  for (const std::string& h : c.heading_path) out += (out.empty() ? "" : " | ") + h;
  return out;
}

// A chunk of a message's own text: headed by that message and by no attached file.
void expectMessage(const Chunk& c, const std::string& heading, int page) {
  ASSERT_FALSE(c.heading_path.empty()) << c.text;
  EXPECT_EQ(c.heading_path.front(), heading) << path(c);
  for (const std::string& h : c.heading_path) EXPECT_EQ(h.rfind("Attachment: ", 0), std::string::npos) << path(c);
  EXPECT_EQ(c.page_first, page) << path(c);
  EXPECT_EQ(c.page_last, page) << path(c);
}

// A chunk of an attached file: headed by the files it came through, outermost first, then by it (", page 2"
// after the innermost name where that file has pages), and by no other file.
void expectChain(const Chunk& c, const std::vector<std::string>& chain, int page) {
  ASSERT_GE(c.heading_path.size(), chain.size()) << c.text;
  for (size_t i = 0; i < chain.size(); ++i) {
    const std::string& head = c.heading_path[i];
    const bool inner = i + 1 == chain.size();
    EXPECT_TRUE(head == "Attachment: " + chain[i] || (inner && head.rfind("Attachment: " + chain[i] + ", page", 0) == 0))
        << path(c);
  }
  for (size_t i = chain.size(); i < c.heading_path.size(); ++i)
    EXPECT_EQ(c.heading_path[i].rfind("Attachment: ", 0), std::string::npos) << path(c);
  EXPECT_EQ(c.page_first, page) << path(c);
  EXPECT_EQ(c.page_last, page) << path(c);
}

void expectAttachment(const Chunk& c, const std::string& name, int page) { expectChain(c, {name}, page); }

TEST(ChunkMessageBoundaries, AMessageAfterOneEndingInAnAttachmentIsItsOwn) {
  const std::vector<Mail> mails = {
      {"Lease", "See the lease.", {{"lease.txt", "The tenant may end the lease early.\n"}}},
      {"Calendar", "Board meeting moved to Friday.", {}},
      {"Two files", "Both attached.", {{"a.txt", "Alpha annex text.\n"}, {"b.txt", "Beta annex text.\n"}}},
      {"Thanks", "Received, thanks.", {}},
  };
  for (const Store& store : bothKinds(mails)) {
    SCOPED_TRACE(store.name);
    const std::vector<Chunk> chunks = chunksOf(store);
    expectAttachment(chunkWith(chunks, "end the lease early"), "lease.txt", 1);
    expectMessage(chunkWith(chunks, "Board meeting moved"), "Message 2 of 4: " + store.folder + "Calendar", 2);
    expectAttachment(chunkWith(chunks, "Alpha annex"), "a.txt", 3);
    expectAttachment(chunkWith(chunks, "Beta annex"), "b.txt", 3);
    expectMessage(chunkWith(chunks, "Received, thanks."), "Message 4 of 4: " + store.folder + "Thanks", 4);
    for (const Chunk& c : chunks) EXPECT_EQ(c.page_first, c.page_last) << path(c);  // never across two messages
  }
}

// What follows a message's attached files (the list of those not read) is that message's.
TEST(ChunkMessageBoundaries, TheListOfFilesNotReadIsHeadedByItsMessage) {
  const std::vector<Mail> mails = {
      {"Photos", "Lease and a photo.", {{"lease.txt", "Rent is due monthly.\n"}, {"site.jpg", "\xFF\xD8\xFF\xE0"}}},
      {"Next", "Another matter.", {}},
  };
  for (const Store& store : bothKinds(mails)) {
    SCOPED_TRACE(store.name);
    const std::vector<Chunk> chunks = chunksOf(store);
    expectAttachment(chunkWith(chunks, "Rent is due monthly."), "lease.txt", 1);
    expectMessage(chunkWith(chunks, "- site.jpg"), "Message 1 of 2: " + store.folder + "Photos", 1);
    expectMessage(chunkWith(chunks, "Another matter."), "Message 2 of 2: " + store.folder + "Next", 2);
  }
}

// An attached message's own attachments, three deep: an .eml holding an .eml holding a file, and an
// Outlook .msg holding a file. Each file is headed by the chain of files it came through; the text of
// an attached message after its own attached file by that message; the next message by itself.
TEST(ChunkMessageBoundaries, AttachedMessagesWithTheirOwnAttachmentsEndAtTheNextMessage) {
  const std::string level2 = eml({"level 2", "Level two text.", {{"deep.txt", "Deepest annex text.\n"}}});
  const std::string level1 = eml({"level 1", "Level one text.", {{"level2.eml", level2}, {"one.txt", "Level one annex.\n"}}});
  test::MsgObject inner_file;
  inner_file.unicode = {{0x3707, "memo.txt"}};
  inner_file.binary = {{0x3701, "Memo inside the msg.\n"}};
  inner_file.fixed = {{0x37050003, 1}};
  test::MsgObject msg;
  msg.unicode = {{0x0037, "Outlook forward"}, {0x1000, "Forwarded from Outlook."}};
  msg.attachments = {inner_file};
  const std::vector<Mail> mails = {
      {"Nested", "Nest attached.", {{"level1.eml", level1}, {"forward.msg", test::msgBytes(msg)}}},
      {"After", "Message after the nest.", {}},
  };
  for (const Store& store : bothKinds(mails)) {
    SCOPED_TRACE(store.name);
    const std::vector<Chunk> chunks = chunksOf(store);
    expectChain(chunkWith(chunks, "Deepest annex text."), {"level1.eml", "level2.eml", "deep.txt"}, 1);
    expectChain(chunkWith(chunks, "Level one annex."), {"level1.eml", "one.txt"}, 1);
    expectChain(chunkWith(chunks, "Memo inside the msg."), {"forward.msg", "memo.txt"}, 1);
    expectChain(chunkWith(chunks, "Level two text."), {"level1.eml", "level2.eml"}, 1);
    expectMessage(chunkWith(chunks, "Message after the nest."), "Message 2 of 2: " + store.folder + "After", 2);
  }
}

// A mailbox attached to a message has "# Message" lines of its own: they stay in that attachment.
TEST(ChunkMessageBoundaries, AnAttachedMailboxsMessagesStayInTheAttachment) {
  const std::string archive = mbox({{"Old one", "Archived first message.", {}}, {"Old two", "Archived second message.", {}}});
  const std::vector<Mail> mails = {
      {"Archive", "The old mailbox.", {{"archive.mbox", archive}}},
      {"Later", "A later message.", {}},
  };
  for (const Store& store : bothKinds(mails)) {
    SCOPED_TRACE(store.name);
    const std::vector<Chunk> chunks = chunksOf(store);
    expectAttachment(chunkWith(chunks, "Archived second message."), "archive.mbox", 1);
    expectMessage(chunkWith(chunks, "A later message."), "Message 2 of 2: " + store.folder + "Later", 2);
  }
}

// A body quoting a forward with lines shaped like Folio's own: its "# Message" line starts no message,
// and its attachment line stays within its message.
TEST(ChunkMessageBoundaries, QuotedHeadingLinesInABodyStayInTheirMessage) {
  const std::string quoted =
      "See below.\n\n---------- Forwarded message ---------\n# Message 7 of 9: Inbox \u203A Old thread\n\n"
      "Quoted old text.\n\n---------- Attachment: old.pdf ----------\nQuoted attachment text.\n";
  const std::vector<Mail> mails = {
      {"Forward", quoted, {{"lease.txt", "The lease itself.\n"}}},
      {"Reply", "The reply after it.", {}},
  };
  for (const Store& store : bothKinds(mails)) {
    SCOPED_TRACE(store.name);
    const std::vector<Chunk> chunks = chunksOf(store);
    EXPECT_EQ(chunkWith(chunks, "Quoted old text.").page_first, 1);
    EXPECT_EQ(chunkWith(chunks, "Quoted attachment text.").page_last, 1);
    expectAttachment(chunkWith(chunks, "The lease itself."), "lease.txt", 1);
    expectMessage(chunkWith(chunks, "The reply after it."), "Message 2 of 2: " + store.folder + "Reply", 2);
  }
}

// A three-page lease whose page p holds "marker<a, b, c>" on each line.
std::string leasePdf() {
  std::vector<std::vector<std::string>> pages(3);
  for (int p = 0; p < 3; ++p)
    for (int line = 0; line < 12; ++line)
      pages[p].push_back("Page " + std::to_string(p + 1) + " marker" + std::string(1, static_cast<char>('a' + p)) +
                         " line " + std::to_string(line) + " of the lease, with its terms written out in full.");
  return bench::writeTextPdf(pages, "Lease");
}

// "Fwd draft.eml" carries the lease and a photo it does not read; the outer message carries it, notes
// and a photo of its own. Each file's chunks are headed by the files it came through; the forwarded
// message's list of files not read by that message; the outer message's list by the outer message.
void expectNestedChain(const std::vector<Chunk>& chunks, int page) {
  int lease = 0;
  for (const Chunk& c : chunks) {
    for (int p = 1; p <= 3; ++p) {
      if (c.text.find("marker" + std::string(1, static_cast<char>('a' + p - 1))) == std::string::npos) continue;
      ASSERT_GE(c.heading_path.size(), 2u) << path(c);
      EXPECT_EQ(c.heading_path[0], "Attachment: Fwd draft.eml") << path(c);
      EXPECT_TRUE(c.heading_path[1] == "Attachment: lease.pdf, page " + std::to_string(p) ||
                  c.heading_path[1].rfind("Attachment: lease.pdf, pages ", 0) == 0)
          << path(c) << " for page " << p;
      EXPECT_EQ(c.page_first, page) << path(c);
      ++lease;
    }
  }
  EXPECT_GE(lease, 3);
  expectAttachment(chunkWith(chunks, "Forwarded draft body."), "Fwd draft.eml", page);
  expectAttachment(chunkWith(chunks, "- photo.jpg"), "Fwd draft.eml", page);  // after the lease: the forward's again
  expectAttachment(chunkWith(chunks, "Outer notes text."), "notes.txt", page);
  const Chunk& outer_list = chunkWith(chunks, "- site.jpg");
  for (const std::string& h : outer_list.heading_path) EXPECT_EQ(h.rfind("Attachment: ", 0), std::string::npos) << path(outer_list);
}

const std::string kJpeg = "\xFF\xD8\xFF\xE0";

TEST(ChunkMessageBoundaries, AFileAttachedToAnAttachedMessageIsHeadedByBoth) {
  const std::string forward = eml({"Fwd: draft", "Forwarded draft body.", {{"lease.pdf", leasePdf()}, {"photo.jpg", kJpeg}}});
  const Mail outer{"Draft", "Draft attached.", {{"Fwd draft.eml", forward}, {"notes.txt", "Outer notes text.\n"}, {"site.jpg", kJpeg}}};
  // On its own (.eml, and an Outlook .msg carrying the same files) and as a mailbox's or store's second message.
  test::MsgObject msg;
  msg.unicode = {{0x0037, outer.subject}, {0x1000, outer.body}};
  for (const File& f : outer.files) {
    test::MsgObject a;
    a.unicode = {{0x3707, f.name}};
    a.binary = {{0x3701, f.bytes}};
    a.fixed = {{0x37050003, 1}};
    msg.attachments.push_back(a);
  }
  std::vector<Store> stores = bothKinds({{"First", "Before the draft.", {}}, outer});
  for (const Store& single : {Store{"draft.eml", eml(outer), ""}, Store{"draft.msg", test::msgBytes(msg), ""}}) {
    SCOPED_TRACE(single.name);
    expectNestedChain(chunksOf(single), 0);
  }
  for (const Store& store : stores) {
    SCOPED_TRACE(store.name);
    const std::vector<Chunk> chunks = chunksOf(store);
    expectNestedChain(chunks, 2);
    expectMessage(chunkWith(chunks, "- site.jpg"), "Message 2 of 2: " + store.folder + "Draft", 2);
  }
}

}  // namespace
}  // namespace folio::ingest
