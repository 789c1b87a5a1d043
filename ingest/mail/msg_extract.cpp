#include "ingest/mail/msg_extract.h"

#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "ingest/mail/mapi_message.h"
#include "ingest/mail/message_text.h"

namespace folio::ingest::mail {
namespace {

using ole::CompoundFile;

// The header of the fixed-size property table before its 16-byte entries: the message's own, an
// attached message's, a recipient's or an attachment's.
constexpr size_t kTopHeader = 32, kEmbeddedHeader = 24, kChildHeader = 8;

std::string hex4(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%04X", v & 0xFFFF);
  return buf;
}

uint64_t u64(std::string_view b, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(b[at + static_cast<size_t>(i)]);
  return v;
}

std::string stream(uint16_t id, std::string_view type) { return "__substg1.0_" + hex4(id) + std::string(type); }

// The properties of one storage of the .msg: streams named by property, and a table of fixed-size values.
class MsgObject {
 public:
  MsgObject(const CompoundFile& file, uint32_t storage, size_t header, uint64_t max) : file_(file), storage_(storage), max_(max) {
    auto entry = file_.child(storage, "__properties_version1.0");
    if (!entry || entry->storage) return;
    auto bytes = file_.read(*entry, max_);
    if (!bytes.ok()) return;  // the table holds dates and flags: the text is read without them
    for (size_t at = header; at + 16 <= bytes->size(); at += 16) {
      const uint64_t tag = u64(*bytes, at) & 0xFFFFFFFF;
      fixed_[static_cast<uint16_t>(tag >> 16)] = u64(*bytes, at + 8);
    }
  }

  std::optional<uint64_t> fixedValue(uint16_t id) const {
    auto it = fixed_.find(id);
    if (it == fixed_.end()) return std::nullopt;
    return it->second;
  }

  Result<std::optional<std::string>> raw(uint16_t id, std::string_view type) const {
    auto entry = file_.child(storage_, stream(id, type));
    if (!entry || entry->storage) return std::optional<std::string>();
    auto bytes = file_.read(*entry, max_);
    if (!bytes.ok()) return bytes.error();
    return std::optional<std::string>(std::move(*bytes));
  }

  // [MS-OXMSG] 2.1.4.2.2: a stream of each value's length (8 bytes each), and a stream a value
  // ("__substg1.0_XXXX1102-00000000" and on).
  Result<std::optional<std::vector<std::string>>> binaries(uint16_t id) const {
    using Values = std::optional<std::vector<std::string>>;
    auto lengths = raw(id, "1102");
    if (!lengths.ok()) return lengths.error();
    if (!*lengths) return Values();
    std::vector<std::string> values;
    for (size_t i = 0; i < (*lengths)->size() / 8; ++i) {
      char index[16];
      std::snprintf(index, sizeof index, "-%08zX", i);
      auto value = raw(id, std::string("1102") + index);
      if (!value.ok()) return value.error();
      if (!*value) break;  // fewer values than lengths: those there are
      values.push_back(std::move(**value));
    }
    return Values(std::move(values));
  }

  Result<std::optional<MapiString>> stringValue(uint16_t id) const {
    auto wide = raw(id, "001F");
    if (!wide.ok()) return wide.error();
    if (*wide) return std::optional<MapiString>(MapiString{std::move(**wide), true});
    auto narrow = raw(id, "001E");
    if (!narrow.ok()) return narrow.error();
    if (*narrow) return std::optional<MapiString>(MapiString{std::move(**narrow), false});
    return std::optional<MapiString>();
  }

  const CompoundFile& file_;
  uint32_t storage_;
  uint64_t max_;
  std::map<uint16_t, uint64_t> fixed_;
};

// MapiObject over a storage: the same three reads for a recipient, an attachment and a message.
template <class Base>
class MsgProps : public Base {
 public:
  MsgProps(const CompoundFile& file, uint32_t storage, size_t header, uint64_t max) : o_(file, storage, header, max) {}
  std::optional<uint64_t> fixed(uint16_t id) const override { return o_.fixedValue(id); }
  Result<std::optional<MapiString>> string(uint16_t id) const override { return o_.stringValue(id); }
  Result<std::optional<std::string>> binary(uint16_t id) const override { return o_.raw(id, "0102"); }
  Result<std::optional<std::vector<std::string>>> binaries(uint16_t id) const override { return o_.binaries(id); }

 protected:
  MsgObject o_;
};

class MsgMessage final : public MsgProps<MapiMessage> {
 public:
  using MsgProps::MsgProps;
  Result<std::optional<std::vector<std::unique_ptr<MapiObject>>>> recipients() const override;
  Result<std::vector<std::unique_ptr<MapiAttachment>>> attachments() const override;
};

class MsgAttachment final : public MsgProps<MapiAttachment> {
 public:
  using MsgProps::MsgProps;
  Result<std::unique_ptr<MapiMessage>> embeddedMessage() const override {
    auto embedded = o_.file_.child(o_.storage_, stream(kPropAttachData, "000D"));
    if (!embedded || !embedded->storage) return std::unique_ptr<MapiMessage>();
    return std::unique_ptr<MapiMessage>(std::make_unique<MsgMessage>(o_.file_, embedded->id, kEmbeddedHeader, o_.max_));
  }
};

class MsgRecipient final : public MsgProps<MapiObject> {
 public:
  using MsgProps::MsgProps;
};

Result<std::optional<std::vector<std::unique_ptr<MapiObject>>>> MsgMessage::recipients() const {
  std::vector<std::unique_ptr<MapiObject>> out;
  for (const auto& child : o_.file_.children(o_.storage_)) {
    if (!child.storage || child.name.rfind("__recip_version1.0_", 0) != 0) continue;
    out.push_back(std::make_unique<MsgRecipient>(o_.file_, child.id, kChildHeader, o_.max_));
  }
  if (out.empty()) return std::optional<std::vector<std::unique_ptr<MapiObject>>>();
  return std::optional<std::vector<std::unique_ptr<MapiObject>>>(std::move(out));
}

Result<std::vector<std::unique_ptr<MapiAttachment>>> MsgMessage::attachments() const {
  std::vector<std::unique_ptr<MapiAttachment>> out;
  for (const auto& child : o_.file_.children(o_.storage_)) {
    if (!child.storage || child.name.rfind("__attach_version1.0_", 0) != 0) continue;
    out.push_back(std::make_unique<MsgAttachment>(o_.file_, child.id, kChildHeader, o_.max_));
  }
  return out;
}

// The message's name-to-id map (its __nameid_version1.0 storage), which attached messages share; an
// empty one when it is missing or damaged: the message is then read without its named properties.
NamedProperties nameToIdMap(const CompoundFile& file, const std::string& name, uint64_t max) {
  auto storage = file.child(CompoundFile::kRoot, "__nameid_version1.0");
  if (!storage || !storage->storage) return {};
  std::string streams[2];  // GUIDs, entries
  for (int i = 0; i < 2; ++i) {
    auto entry = file.child(storage->id, stream(static_cast<uint16_t>(2 + i), "0102"));
    if (!entry || entry->storage) return {};
    auto bytes = file.read(*entry, max);
    if (!bytes.ok()) return {};
    streams[i] = std::move(*bytes);
  }
  auto map = NamedProperties::parse(streams[0], streams[1], name);
  return map.ok() ? std::move(*map) : NamedProperties{};
}

}  // namespace

Result<ExtractedText> extractMsg(const CompoundFile& file, const std::string& name, uint64_t max_stream_bytes,
                                 const AttachmentReader& attachments) {
  // Errors from the compound file name the file already.
  MsgMessage message(file, CompoundFile::kRoot, kTopHeader, max_stream_bytes);
  MessageText text;
  MessageFields top;
  FOLIO_TRY(writeMapiMessage(message, text, top, attachments, max_stream_bytes, nameToIdMap(file, name, max_stream_bytes)));
  ExtractedText out;
  out.text = text.finish();
  text.moveScannedPagesTo(out);
  out.attached_page_starts = text.attachedPageStarts();
  out.attached_files = text.attachedFiles();
  out.title = top.subject;
  out.author = top.from;
  return out;
}

}  // namespace folio::ingest::mail
