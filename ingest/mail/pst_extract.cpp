#include "ingest/mail/pst_extract.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <vector>

#include "ingest/charset.h"
#include "ingest/mail/mapi_message.h"
#include "ingest/mail/pst_le.h"
#include "ingest/mail/pst_ltp.h"
#include "ingest/mail/pst_message.h"
#include "ingest/mail/pst_ndb.h"

namespace folio::ingest::mail {
namespace {

constexpr uint32_t kMessageStore = 0x21, kNameToIdMap = 0x61, kRootFolder = 0x122;
constexpr uint32_t kNidTypeMask = 0x1F, kHierarchyTable = 0x0D, kContentsTable = 0x0E;
constexpr uint16_t kIpmSubtreeEntryId = 0x35E0, kLtpRowId = 0x67F2, kNameidStreamGuid = 0x0002, kNameidStreamEntry = 0x0003;
constexpr uint64_t kMaxNodeBytes = 256ull << 20;
constexpr int kMaxFolderDepth = 64;
constexpr size_t kMaxNotes = 20;  // failures named at the end; the rest counted
const std::string kPathSeparator = " \u203A ";  // " › "

std::string thousands(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string hexNid(uint32_t nid) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", nid);
  return buf;
}

struct MessageRef {
  uint32_t nid;
  size_t folder;  // index into the folder paths
  uint64_t delivered;
};

class StoreReader {
 public:
  StoreReader(const PstNdb& ndb, const AttachmentReader& attachments, const PstOptions& options)
      : ndb_(ndb), attachments_(attachments), options_(options) {}

  Result<ExtractedText> read() {
    ExtractedText out;
    // Paths start below the top folder ("Top of Personal Folders" is left out of them).
    uint32_t top = kRootFolder;
    if (auto node = ndb_.node(kMessageStore); node.ok()) {
      if (auto pc = PstLtpNode::open(ndb_, *node, kHeapPropertyContext, kMaxNodeBytes); pc.ok()) {
        if (auto props = readPropertyContext(*pc); props.ok()) {
          PstObjectProps o(std::move(*props));
          if (auto title = o.stringValue(kPropDisplayName); title.ok() && *title) out.title = decoded(**title);
          // PR_IPM_SUBTREE_ENTRYID: flags (4), the store's uid (16), the folder's node id (4).
          if (auto entry = o.binaryValue(kIpmSubtreeEntryId); entry.ok() && *entry && (*entry)->size() >= 24) {
            const uint32_t nid = le32(**entry, 20);
            if ((nid & kNidTypeMask) == 0x02 && ndb_.node(nid).ok()) top = nid;
          }
        }
      }
    }
    if (Status s = readNameToIdMap(); !s.ok()) map_note_ = s.error().message;
    std::set<uint32_t> seen;
    FOLIO_TRY(folder(top, "", 0, seen));
    // Every message's place is known before the first is read: "Message N of M".
    for (size_t i = 0; i < messages_.size(); ++i) {
      if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) {
        return cancelled(ndb_.name() + ": stopped while reading");
      }
      const MessageRef& m = messages_[i];
      if (out.text.size() > options_.max_text_bytes) {
        note(m, "the store's text is over " + std::to_string(options_.max_text_bytes >> 20) + " MiB");
        continue;
      }
      MessageText text;
      MessageFields fields;
      if (Status s = message(m.nid, text, fields); !s.ok()) {
        note(m, s.error().message);
        continue;
      }
      if (!out.text.empty()) out.text += '\n';
      out.page_starts.push_back(static_cast<int64_t>(out.text.size()));
      std::string heading = folders_[m.folder];
      if (!fields.subject.empty()) heading += (heading.empty() ? "" : kPathSeparator) + fields.subject;
      out.text += "# Message " + thousands(i + 1) + " of " + thousands(messages_.size()) + (heading.empty() ? "" : ": " + heading) +
                  "\n\n";
      ExtractedText part;
      const std::string body = text.finish();
      for (const int64_t start : text.attachedPageStarts())
        out.attached_page_starts.push_back(static_cast<int64_t>(out.text.size()) + start);
      addAttachedFiles(out, text.attachedFiles(), static_cast<int64_t>(out.text.size()));
      out.text += body;
      text.moveScannedPagesTo(part);
      addScannedPages(out, std::move(part));
    }
    if (!notes_.empty() || !folder_notes_.empty() || !map_note_.empty()) {
      out.text += "\n---------- Not read ----------\n";
      if (!map_note_.empty()) {
        out.text += "The store's name-to-id map could not be read, so appointments, contacts and tasks are read without "
                    "their own fields: " + map_note_ + "\n";
      }
      if (!folder_notes_.empty()) {
        out.text += thousands(folder_notes_.size()) + (folder_notes_.size() == 1 ? " folder" : " folders") + " could not be read:\n";
        for (const auto& n : folder_notes_) out.text += "- " + n + "\n";
      }
      if (!notes_.empty()) {
        out.text += thousands(failed_) + (failed_ == 1 ? " message" : " messages") + " could not be read:\n";
        for (const auto& n : notes_) out.text += "- " + n + "\n";
        if (failed_ > notes_.size()) out.text += "- and " + thousands(failed_ - notes_.size()) + " more\n";
      }
    }
    if (out.page_starts.size() <= 1) out.page_starts.clear();
    return out;
  }

 private:
  static std::string decoded(const MapiString& s) {
    std::string v = s.unicode ? utf16leToUtf8(s.bytes) : toUtf8(s.bytes, "CP1252");
    while (!v.empty() && (v.back() == '\0' || v.back() == ' ')) v.pop_back();
    return v;
  }

  Result<PstLtpNode> open(uint32_t nid, uint8_t client) const {
    auto node = ndb_.node(nid);
    if (!node) return node.error();
    return PstLtpNode::open(ndb_, *node, client, kMaxNodeBytes);
  }

  // The store's name-to-id map (node 0x61), read once: a store without one (none of Outlook's) has its
  // messages read without named properties; a damaged one is named at the end.
  Status readNameToIdMap() {
    auto pc = open(kNameToIdMap, kHeapPropertyContext);
    if (!pc) return pc.error().kind == ErrorKind::NotFound ? Status{} : Status(pc.error());
    auto props = readPropertyContext(*pc);
    if (!props) return props.error();
    PstObjectProps o(std::move(*props));
    auto guids = o.binaryValue(kNameidStreamGuid);
    if (!guids) return guids.error();
    auto entries = o.binaryValue(kNameidStreamEntry);
    if (!entries) return entries.error();
    auto map = NamedProperties::parse(guids->value_or(std::string()), entries->value_or(std::string()), ndb_.name());
    if (!map) return map.error();
    named_ = std::move(*map);
    return {};
  }

  // A folder's messages, then its subfolders', depth first. `path` is its place ("Inbox › Alpha").
  Status folder(uint32_t nid, const std::string& path, int depth, std::set<uint32_t>& seen) {
    if (depth > kMaxFolderDepth || !seen.insert(nid).second) {
      folder_notes_.push_back((path.empty() ? "the top folder" : path) + ": a loop in the folder tree");
      return {};
    }
    const uint32_t base = nid & ~kNidTypeMask;
    if (auto contents = open(base | kContentsTable, kHeapTableContext); contents.ok()) {
      auto rows = readTable(*contents);
      if (!rows) {
        folder_notes_.push_back((path.empty() ? "the top folder" : path) + ": " + rows.error().message);
      } else {
        folders_.push_back(path);
        std::vector<MessageRef> here;
        for (const auto& row : *rows) {
          if (auto id = row.fixed(kLtpRowId)) here.push_back({static_cast<uint32_t>(*id), folders_.size() - 1, row.fixed(kPropDeliveryTime).value_or(0)});
        }
        std::stable_sort(here.begin(), here.end(), [](const MessageRef& a, const MessageRef& b) { return a.delivered < b.delivered; });
        messages_.insert(messages_.end(), here.begin(), here.end());
      }
    } else if (contents.error().kind != ErrorKind::NotFound) {
      folder_notes_.push_back((path.empty() ? "the top folder" : path) + ": " + contents.error().message);
    }
    auto hierarchy = open(base | kHierarchyTable, kHeapTableContext);
    if (!hierarchy) {
      if (hierarchy.error().kind != ErrorKind::NotFound) folder_notes_.push_back((path.empty() ? "the top folder" : path) + ": " + hierarchy.error().message);
      return {};
    }
    auto rows = readTable(*hierarchy);
    if (!rows) {
      folder_notes_.push_back((path.empty() ? "the top folder" : path) + ": " + rows.error().message);
      return {};
    }
    for (const auto& row : *rows) {
      const auto child = row.fixed(kLtpRowId);
      if (!child) continue;
      std::string name;
      PstObjectProps o(row);
      if (auto n = o.stringValue(kPropDisplayName); n.ok() && *n) name = decoded(**n);
      if (name.empty()) name = "(folder " + hexNid(static_cast<uint32_t>(*child)) + ")";
      FOLIO_TRY(folder(static_cast<uint32_t>(*child), path.empty() ? name : path + kPathSeparator + name, depth + 1, seen));
    }
    return {};
  }

  Status message(uint32_t nid, MessageText& text, MessageFields& fields) const {
    auto node = open(nid, kHeapPropertyContext);
    if (!node) return node.error();
    auto m = openPstMessage(std::move(*node));
    if (!m) return m.error();
    return writeMapiMessage(**m, text, fields, attachments_, kMaxNodeBytes, named_);
  }

  void note(const MessageRef& m, const std::string& why) {
    ++failed_;
    if (notes_.size() < kMaxNotes) {
      const std::string& path = folders_[m.folder];
      notes_.push_back((path.empty() ? "" : path + ": ") + "message " + hexNid(m.nid) + ": " + why);
    }
  }

  const PstNdb& ndb_;
  const AttachmentReader& attachments_;
  const PstOptions& options_;
  std::vector<std::string> folders_;
  std::vector<MessageRef> messages_;
  NamedProperties named_;
  std::vector<std::string> notes_, folder_notes_;
  std::string map_note_;  // why the name-to-id map could not be read
  size_t failed_ = 0;
};

}  // namespace

Result<ExtractedText> extractPst(const PstSource& source, const std::string& name, const AttachmentReader& attachments,
                                 const PstOptions& options) {
  auto header = readPstHeader(source, name);
  if (!header) return header.error();
  PstNdb ndb(source, *header, name);
  // The roots of both B-trees must be readable: else nothing in the store can be found.
  if (auto root = ndb.node(kRootFolder); !root) return root.error();
  StoreReader reader(ndb, attachments, options);
  return reader.read();
}

}  // namespace folio::ingest::mail
