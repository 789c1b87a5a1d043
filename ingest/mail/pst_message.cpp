#include "ingest/mail/pst_message.h"

#include <cstdio>

#include "ingest/mail/pst_le.h"

namespace folio::ingest::mail {
namespace {

constexpr uint32_t kRecipientTable = 0x692, kAttachmentTable = 0x671;
constexpr uint16_t kLtpRowId = 0x67F2;
constexpr uint64_t kMaxValueBytes = 256ull << 20;  // a body or an attached file

std::string hex4(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", v);
  return buf;
}

template <class Base>
class PstObject : public Base {
 public:
  // `node` keeps the heap that `props` read from alive (shared by a table's rows).
  PstObject(std::shared_ptr<const PstLtpNode> node, PstProps props) : node_(std::move(node)), o_(std::move(props)) {}
  std::optional<uint64_t> fixed(uint16_t id) const override { return o_.fixedValue(id); }
  Result<std::optional<MapiString>> string(uint16_t id) const override { return o_.stringValue(id); }
  Result<std::optional<std::string>> binary(uint16_t id) const override { return o_.binaryValue(id); }
  Result<std::optional<std::vector<std::string>>> binaries(uint16_t id) const override { return o_.binariesValue(id); }

 protected:
  std::shared_ptr<const PstLtpNode> node_;
  PstObjectProps o_;
};

class PstAttachment final : public PstObject<MapiAttachment> {
 public:
  using PstObject::PstObject;
  Result<std::unique_ptr<MapiMessage>> embeddedMessage() const override {
    const PstProp* p = o_.props().find(kPropAttachData);
    if (p == nullptr || p->type != kPtObject || !p->by_ref) return std::unique_ptr<MapiMessage>();
    auto ref = node_->heap().item(p->ref);  // the subnode holding the message, and its size
    if (!ref) return ref.error();
    if (ref->size() < 4) return badInput(node_->name() + ": damaged attached message reference");
    auto sub = node_->subnode(le32(*ref, 0), kHeapPropertyContext);
    if (!sub) return sub.error();
    return openPstMessage(std::move(*sub));
  }
};

class PstMessageImpl final : public PstObject<MapiMessage> {
 public:
  using PstObject::PstObject;

  Result<std::optional<std::vector<std::unique_ptr<MapiObject>>>> recipients() const override {
    using List = std::optional<std::vector<std::unique_ptr<MapiObject>>>;
    if (!node_->hasSubnode(kRecipientTable)) return List();
    auto table = node_->subnode(kRecipientTable, kHeapTableContext);
    if (!table) return table.error();
    auto shared = std::make_shared<const PstLtpNode>(std::move(*table));
    auto rows = readTable(*shared);
    if (!rows) return rows.error();
    if (rows->empty()) return List();
    std::vector<std::unique_ptr<MapiObject>> out;
    for (auto& row : *rows) out.push_back(std::make_unique<PstObject<MapiObject>>(shared, std::move(row)));
    return List(std::move(out));
  }

  Result<std::vector<std::unique_ptr<MapiAttachment>>> attachments() const override {
    std::vector<std::unique_ptr<MapiAttachment>> out;
    if (!node_->hasSubnode(kAttachmentTable)) return out;
    auto table = node_->subnode(kAttachmentTable, kHeapTableContext);
    if (!table) return table.error();
    auto rows = readTable(*table);
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
      const auto nid = row.fixed(kLtpRowId);
      if (!nid) continue;
      auto sub = node_->subnode(static_cast<uint32_t>(*nid), kHeapPropertyContext);
      if (!sub) return sub.error();
      auto shared = std::make_shared<const PstLtpNode>(std::move(*sub));
      auto props = readPropertyContext(*shared);
      if (!props) return props.error();
      out.push_back(std::make_unique<PstAttachment>(shared, std::move(*props)));
    }
    return out;
  }
};

}  // namespace

Result<std::optional<MapiString>> PstObjectProps::stringValue(uint16_t id) const {
  const PstProp* p = props_.find(id);
  if (p == nullptr || (p->type != kPtUnicode && p->type != kPtString8)) return std::optional<MapiString>();
  auto bytes = props_.bytes(id, kMaxValueBytes);
  if (!bytes) return bytes.error();
  MapiString s{bytes->value_or(std::string()), p->type == kPtUnicode};
  // A subject may open with 0x01 and the length of its prefix ("RE: "), kept apart: both are dropped.
  const size_t unit = s.unicode ? 2 : 1;
  if (id == kPropSubject && s.bytes.size() >= 2 * unit && s.bytes[0] == '\x01' && (!s.unicode || s.bytes[1] == '\0')) {
    s.bytes.erase(0, 2 * unit);
  }
  return std::optional<MapiString>(std::move(s));
}

Result<std::optional<std::string>> PstObjectProps::binaryValue(uint16_t id) const {
  const PstProp* p = props_.find(id);
  if (p == nullptr || p->type != kPtBinary) return std::optional<std::string>();
  return props_.bytes(id, kMaxValueBytes);
}

Result<std::optional<std::vector<std::string>>> PstObjectProps::binariesValue(uint16_t id) const {
  using Values = std::optional<std::vector<std::string>>;
  const PstProp* p = props_.find(id);
  if (p == nullptr || p->type != kPtMultipleBinary) return Values();
  auto bytes = props_.bytes(id, kMaxValueBytes);
  if (!bytes) return bytes.error();
  if (!*bytes) return Values();
  // [MS-PST] 2.3.3.4.2: a count, each value's offset, then the values one after another.
  const std::string& b = **bytes;
  const std::string damaged = props_.node()->name() + ": damaged multi-valued property 0x" + hex4(id);
  if (b.size() < 4) return badInput(damaged);
  const size_t count = le32(b, 0);
  if (count > (b.size() - 4) / 4) return badInput(damaged);
  std::vector<std::string> values;
  for (size_t i = 0; i < count; ++i) {
    const size_t start = le32(b, 4 + 4 * i), end = i + 1 < count ? le32(b, 8 + 4 * i) : b.size();
    if (start < 4 + 4 * count || start > end || end > b.size()) return badInput(damaged);
    values.push_back(b.substr(start, end - start));
  }
  return Values(std::move(values));
}

Result<std::unique_ptr<MapiMessage>> openPstMessage(PstLtpNode node) {
  auto shared = std::make_shared<const PstLtpNode>(std::move(node));
  auto props = readPropertyContext(*shared);
  if (!props) return props.error();
  return std::unique_ptr<MapiMessage>(std::make_unique<PstMessageImpl>(shared, std::move(*props)));
}

}  // namespace folio::ingest::mail
