// The mail store the .pst/.ost tests write (support/pst_writer.h): folders, subfolders, HTML and plain
// bodies, attachments (files, and an attached message with a file of its own), and how they read it.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/content_hash.h"
#include "ingest/extract.h"
#include "ingest/library/search.h"
#include "support/pst_writer.h"
#include "unit/ingest/test_library_util.h"

namespace folio::ingest::test {

inline folio::test::PstMessageSpec pstTestMessage(const std::string& subject, int day, const std::string& body) {
  folio::test::PstMessageSpec m;
  m.subject = subject;
  m.from_name = "Renée Dubois";
  m.from_address = "renee@example.com";
  m.delivery_time = folio::test::fileTime(2026, 3, day, 10, 12);
  m.body = body;
  m.recipients = {{"Legal Team", "legal@example.com", 1}, {"Ann Archer", "ann@example.com", 2}, {"Hidden", "bcc@example.com", 3}};
  return m;
}

// Inbox (with Project Alpha) and Sent Items; `lease_body` is the body of the message carrying attachments.
inline std::vector<folio::test::PstFolderSpec> pstTestFolders(const std::string& lease_body = "See the attached lease.") {
  folio::test::PstFolderSpec inbox{"Inbox", {}, {}};
  inbox.messages = {pstTestMessage("Second", 9, "Delivered later."), pstTestMessage("First", 2, "Delivered first.")};
  folio::test::PstFolderSpec alpha{"Project Alpha", {pstTestMessage("Re: draft SPA", 5, "Clause 4.2 is agreed.")}, {}};
  folio::test::PstMessageSpec html = pstTestMessage("Minutes", 6, "");
  html.html = "<html><body><h1>Minutes</h1><p>The board approved the merger.</p></body></html>";
  alpha.messages.push_back(html);
  inbox.folders = {alpha};
  folio::test::PstFolderSpec sent{"Sent Items", {}, {}};
  folio::test::PstMessageSpec with = pstTestMessage("Signed lease", 7, lease_body);
  with.attachments.push_back({"lease.txt", "text/plain", "The tenant may end the lease early under clause 9.", nullptr});
  with.attachments.push_back({"photo.jpg", "image/jpeg", std::string("\xFF\xD8\xFF\xE0", 4), nullptr});
  auto forwarded = std::make_shared<folio::test::PstMessageSpec>(pstTestMessage("Fwd: side letter", 3, "The landlord waives the penalty."));
  forwarded->attachments.push_back({"side letter.txt", "text/plain", "Side letter text: no break fee.", nullptr});
  with.attachments.push_back({"", "", "", forwarded});
  sent.messages = {with};
  return {inbox, sent};
}

inline folio::Result<ExtractedText> readPstStore(const std::string& bytes, const std::string& name = "store.pst",
                                                 const std::atomic<bool>* cancel = nullptr) {
  ExtractOptions options;
  options.cancel = cancel;
  return extractBytes(bytes, SourceType{SourceKind::Email, "pst"}, name, options);
}

// A store of pstTestFolders' messages written as `name` into a folder and ingested: one email document
// of `pages` pages whose "Minutes" message (the fourth) is found by its words. Returns the ingested folder.
inline IngestedFolder expectStoreIngested(const TempDir& dir, const std::string& name, const std::string& bytes, int pages) {
  const std::filesystem::path tree = dir.path() / "collection";
  writeText(tree / name, bytes);
  IngestedFolder folder = ingestFolderInto(dir.path() / "lib.sqlite", tree);
  if (!folder.lib) {
    ADD_FAILURE() << "the library did not open";
    return folder;
  }
  EXPECT_EQ(folder.report.added, 1u);
  EXPECT_EQ(folder.report.failed, 0u);
  const DocumentRecord* doc = folder.at(name);
  if (!doc) {
    ADD_FAILURE() << name << " was not ingested";
    return folder;
  }
  EXPECT_EQ(doc->status, DocumentStatus::Ok) << doc->error;
  EXPECT_EQ(doc->kind, "email");
  EXPECT_EQ(doc->page_count, pages);
  EXPECT_EQ(doc->content_hash, contentHashHex(bytes));
  auto found = search(folder.lib->db(), "board approved merger");
  EXPECT_TRUE(found && !found->hits.empty());
  if (found && !found->hits.empty()) {
    EXPECT_EQ(found->hits.front().rel_path, name);
    EXPECT_EQ(found->hits.front().page_first, 4);  // "Minutes": the fourth message of the store
  }
  return folder;
}

}  // namespace folio::ingest::test
