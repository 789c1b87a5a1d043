// A file attached to an attached message is headed by both ("Attachment: Fwd draft.eml › Attachment:
// lease.pdf, page 2"), and where it ends the attached message's remaining text is that message's again.
// A message attached inline (MIME message/rfc822; Outlook's attached message in a .msg or .pst) is named
// by its subject: "Attachment: Re: draft SPA (message) › Attachment: lease.pdf, page 3".
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
// Each chunk of the lease (leasePdf) is headed "Attachment: <through> › Attachment: lease.pdf, page p", and
// by no other file.
void expectLeaseThrough(const std::vector<Chunk>& chunks, const std::string& through, int page) {
  int lease = 0;
  for (const Chunk& c : chunks) {
    for (int p = 1; p <= 3; ++p) {
      if (c.text.find("marker" + std::string(1, static_cast<char>('a' + p - 1))) == std::string::npos) continue;
      ASSERT_GE(c.heading_path.size(), 2u) << path(c);
      EXPECT_EQ(c.heading_path[0], "Attachment: " + through) << path(c);
      EXPECT_TRUE(c.heading_path[1] == "Attachment: lease.pdf, page " + std::to_string(p) ||
                  c.heading_path[1].rfind("Attachment: lease.pdf, pages ", 0) == 0)
          << path(c) << " for page " << p;
      for (size_t i = 2; i < c.heading_path.size(); ++i) EXPECT_EQ(c.heading_path[i].rfind("Attachment: ", 0), std::string::npos) << path(c);
      EXPECT_EQ(c.page_first, page) << path(c);
      ++lease;
    }
  }
  EXPECT_GE(lease, 3);
}

void expectNestedChain(const std::vector<Chunk>& chunks, int page) {
  expectLeaseThrough(chunks, "Fwd draft.eml", page);
  expectAttachment(chunkWith(chunks, "Forwarded draft body."), "Fwd draft.eml", page);
  expectAttachment(chunkWith(chunks, "- photo.jpg"), "Fwd draft.eml", page);  // after the lease: the forward's again
  expectAttachment(chunkWith(chunks, "Outer notes text."), "notes.txt", page);
  const Chunk& outer_list = chunkWith(chunks, "- site.jpg");
  for (const std::string& h : outer_list.heading_path) EXPECT_EQ(h.rfind("Attachment: ", 0), std::string::npos) << path(outer_list);
}

const std::string kJpeg = "\xFF\xD8\xFF\xE0";

// `expect(chunks, store, page)` on each message on its own (page 0), then on each mailbox or store holding it
// as its second message (page 2).
template <class Expect>
void onEach(const std::vector<Store>& singles, const std::vector<Store>& stores, Expect expect) {
  for (const Store& single : singles) {
    SCOPED_TRACE(single.name);
    expect(chunksOf(single), single, 0);
  }
  for (const Store& store : stores) {
    SCOPED_TRACE(store.name);
    expect(chunksOf(store), store, 2);
  }
}

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
  onEach({{"draft.eml", eml(outer), ""}, {"draft.msg", test::msgBytes(msg), ""}}, bothKinds({{"First", "Before the draft.", {}}, outer}),
         [](const std::vector<Chunk>& chunks, const Store& store, int page) {
           expectNestedChain(chunks, page);
           if (page > 0) expectMessage(chunkWith(chunks, "- site.jpg"), "Message 2 of 2: " + store.folder + "Draft", 2);
         });
}

// Forwarded inline: a message/rfc822 part (boundary "c" inside the outer message's "b"), Outlook's
// attached message (PR_ATTACH_METHOD 5) in a .msg and in a store. "Re: draft SPA" carries the lease
// and a photo not read; the outer message carries it, notes and a photo of its own.
std::string withBoundary(const std::string& message, const std::string& boundary) {
  std::string out = message;
  for (size_t at = 0; (at = out.find("--b", at)) != std::string::npos; at += boundary.size() + 2) out.replace(at, 3, "--" + boundary);
  const size_t at = out.find("boundary=b");
  if (at != std::string::npos) out.replace(at, 10, "boundary=" + boundary);
  return out;
}

std::string inlinePart(const std::string& message) {
  return "--b\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n" + message + "\n";
}

Mail inlineForward() { return {"Re: draft SPA", "Forwarded inline body.", {{"lease.pdf", leasePdf()}, {"photo.jpg", kJpeg}}}; }
const File kNotes{"notes.txt", "Outer notes text.\n"};
const File kSite{"site.jpg", kJpeg};

std::string inlineEml() {
  const std::string forward = withBoundary(eml(inlineForward()), "c");
  return test::messageWith("Draft", "Draft attached.",
                           inlinePart(forward) + attachedPart(kNotes.name, "text/plain", kNotes.bytes) +
                               attachedPart(kSite.name, "image/jpeg", kSite.bytes));
}

test::MsgObject msgFile(const File& f) {
  test::MsgObject a;
  a.unicode = {{0x3707, f.name}};
  a.binary = {{0x3701, f.bytes}};
  a.fixed = {{0x37050003, 1}};
  return a;
}

test::MsgObject msgOf(const Mail& m) {
  test::MsgObject msg;
  msg.unicode = {{0x0037, m.subject}, {0x1000, m.body}};
  for (const File& f : m.files) msg.attachments.push_back(msgFile(f));
  return msg;
}

test::MsgObject msgAttaching(const test::MsgObject& message, const std::string& display_name) {
  test::MsgObject a;
  a.unicode = {{0x3001, display_name}};
  a.fixed = {{0x37050003, 5}};
  a.embedded = {message};
  return a;
}

std::string inlineMsg() {
  test::MsgObject outer = msgOf({"Draft", "Draft attached.", {}});
  outer.attachments = {msgAttaching(msgOf(inlineForward()), "Re: draft SPA"), msgFile(kNotes), msgFile(kSite)};
  return test::msgBytes(outer);
}

test::PstMessageSpec pstMessage(const Mail& m) {
  test::PstMessageSpec spec;
  spec.subject = m.subject;
  spec.body = m.body;
  for (const File& f : m.files) spec.attachments.push_back({f.name, "application/octet-stream", f.bytes, nullptr});
  return spec;
}

void expectInlineChain(const std::vector<Chunk>& chunks, int page) {
  expectLeaseThrough(chunks, "Re: draft SPA (message)", page);
  expectAttachment(chunkWith(chunks, "Forwarded inline body."), "Re: draft SPA (message)", page);
  expectAttachment(chunkWith(chunks, "Outer notes text."), "notes.txt", page);
  const Chunk& own = chunkWith(chunks, "Draft attached.");
  for (const std::string& h : own.heading_path) EXPECT_EQ(h.rfind("Attachment: ", 0), std::string::npos) << path(own);
  EXPECT_EQ(own.text.find("Attached message"), std::string::npos) << own.text;  // the line naming it is no one's text
  // An inline message's files not read are listed with the outer message's, at its end.
  const Chunk& list = chunkWith(chunks, "- site.jpg");
  EXPECT_NE(list.text.find("- photo.jpg"), std::string::npos) << list.text;
  for (const std::string& h : list.heading_path) EXPECT_EQ(h.rfind("Attachment: ", 0), std::string::npos) << path(list);
}

TEST(ChunkMessageBoundaries, AFileAttachedToAMessageForwardedInlineIsHeadedByThatMessagesSubject) {
  test::PstMessageSpec outer = pstMessage({"Draft", "Draft attached.", {kNotes, kSite}});
  outer.attachments.insert(outer.attachments.begin(),
                           test::PstAttachmentSpec{"", "", "", std::make_shared<test::PstMessageSpec>(pstMessage(inlineForward()))});
  test::PstFolderSpec inbox{"Inbox", {pstMessage({"First", "Before the draft.", {}}), outer}, {}};
  const std::string first = "From a@example.com Mon Mar  2 10:00:00 2026\n" + eml({"First", "Before the draft.", {}}) + "\n";
  const std::vector<Store> stores = {
      {"thread.mbox", first + "From a@example.com Mon Mar  2 11:00:00 2026\n" + inlineEml() + "\n", ""},
      {"store.pst", test::makePst({inbox}), "Inbox \u203A "},
  };
  onEach({{"draft.eml", inlineEml(), ""}, {"draft.msg", inlineMsg(), ""}}, stores, [](const std::vector<Chunk>& chunks, const Store& store, int page) {
    expectInlineChain(chunks, page);
    if (page == 0) return;
    expectMessage(chunkWith(chunks, "Draft attached."), "Message 2 of 2: " + store.folder + "Draft", 2);
    expectMessage(chunkWith(chunks, "Before the draft."), "Message 1 of 2: " + store.folder + "First", 1);
  });
}

// Inline inside inline, inline inside a message attached as a file (a message/rfc822 part with a file
// name is named by it, as a message file attached is), and a file after an inline message in the
// message that carried it: each headed by exactly the messages and files it came through.
TEST(ChunkMessageBoundaries, MessagesForwardedInlineNestWithAttachedFiles) {
  const std::string deep = withBoundary(eml({"Deep one", "Deep body.", {{"deep.txt", "Deepest annex text.\n"}}}), "d");
  const std::string middle = withBoundary(
      test::messageWith("Middle", "Middle body.", inlinePart(deep) + attachedPart("mid.txt", "text/plain", "Middle annex.\n")), "c");
  const std::string carried = test::messageWith("Carried", "Carried body.", inlinePart(withBoundary(eml(inlineForward()), "c")));
  const std::string outer = test::messageWith(
      "Outer", "Outer body.",
      inlinePart(middle) + attachedPart("Fwd carried.eml", "message/rfc822", carried) + attachedPart("last.txt", "text/plain", "Last annex.\n"));
  // The same nest in Outlook: attached messages in attached messages, and a .msg attached as a file.
  test::MsgObject deep_msg = msgOf({"Deep one", "Deep body.", {{"deep.txt", "Deepest annex text.\n"}}});
  test::MsgObject middle_msg = msgOf({"Middle", "Middle body.", {}});
  middle_msg.attachments = {msgAttaching(deep_msg, "Deep one"), msgFile({"mid.txt", "Middle annex.\n"})};
  test::MsgObject carried_msg = msgOf({"Carried", "Carried body.", {}});
  carried_msg.attachments = {msgAttaching(msgOf(inlineForward()), "Re: draft SPA")};
  test::MsgObject outer_msg = msgOf({"Outer", "Outer body.", {}});
  outer_msg.attachments = {msgAttaching(middle_msg, "Middle"), msgFile({"Fwd carried.msg", test::msgBytes(carried_msg)}),
                           msgFile({"last.txt", "Last annex.\n"})};
  auto deep_pst = std::make_shared<test::PstMessageSpec>(pstMessage({"Deep one", "Deep body.", {{"deep.txt", "Deepest annex text.\n"}}}));
  auto middle_pst = std::make_shared<test::PstMessageSpec>(pstMessage({"Middle", "Middle body.", {{"mid.txt", "Middle annex.\n"}}}));
  middle_pst->attachments.insert(middle_pst->attachments.begin(), test::PstAttachmentSpec{"", "", "", deep_pst});
  test::PstMessageSpec outer_pst = pstMessage({"Outer", "Outer body.", {{"Fwd carried.msg", test::msgBytes(carried_msg)}, {"last.txt", "Last annex.\n"}}});
  outer_pst.attachments.insert(outer_pst.attachments.begin(), test::PstAttachmentSpec{"", "", "", middle_pst});
  const std::vector<Store> stores = {
      {"outer.eml", outer, ""},
      {"outer.msg", test::msgBytes(outer_msg), ""},
      {"store.pst", test::makePst({test::PstFolderSpec{"Inbox", {outer_pst}, {}}}), ""},
  };
  for (const Store& store : stores) {
    SCOPED_TRACE(store.name);
    const std::vector<Chunk> chunks = chunksOf(store);
    const std::string carried_name = store.name == "outer.eml" ? "Fwd carried.eml" : "Fwd carried.msg";
    expectChain(chunkWith(chunks, "Deepest annex text."), {"Middle (message)", "Deep one (message)", "deep.txt"}, 0);
    expectChain(chunkWith(chunks, "Deep body."), {"Middle (message)", "Deep one (message)"}, 0);
    expectChain(chunkWith(chunks, "Middle annex."), {"Middle (message)", "mid.txt"}, 0);
    expectChain(chunkWith(chunks, "Middle body."), {"Middle (message)"}, 0);
    expectChain(chunkWith(chunks, "Forwarded inline body."), {carried_name, "Re: draft SPA (message)"}, 0);
    int lease = 0;
    for (const Chunk& c : chunks)
      if (c.text.find("markerb") != std::string::npos) ++lease, expectChain(c, {carried_name, "Re: draft SPA (message)", "lease.pdf"}, 0);
    EXPECT_GE(lease, 1);
    expectChain(chunkWith(chunks, "Carried body."), {carried_name}, 0);
    expectChain(chunkWith(chunks, "Last annex."), {"last.txt"}, 0);
    const Chunk& own = chunkWith(chunks, "Outer body.");
    for (const std::string& h : own.heading_path) EXPECT_EQ(h.rfind("Attachment: ", 0), std::string::npos) << path(own);
  }
}

// A message attached inline without a subject is "(no subject) (message)"; one whose subject looks like
// a file name is still a message, chunked as one.
TEST(ChunkMessageBoundaries, AnInlineMessageWithoutASubjectOrNamedLikeAFile) {
  const std::string none = withBoundary(test::messageWith("", "No subject body.", attachedPart("a.txt", "text/plain", "Annex A text.\n")), "c");
  const std::string pdf_like = withBoundary(test::messageWith("lease.pdf", "Named like a file.", ""), "c");
  const std::vector<Chunk> chunks = chunksOf({"m.eml", test::messageWith("Both", "Both below.", inlinePart(none) + inlinePart(pdf_like)), ""});
  expectChain(chunkWith(chunks, "Annex A text."), {"(no subject) (message)", "a.txt"}, 0);
  expectChain(chunkWith(chunks, "No subject body."), {"(no subject) (message)"}, 0);
  expectChain(chunkWith(chunks, "Named like a file."), {"lease.pdf (message)"}, 0);
}

}  // namespace
}  // namespace folio::ingest
