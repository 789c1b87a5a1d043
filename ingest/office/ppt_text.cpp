#include "ingest/office/ppt_text.h"

#include "ingest/charset.h"
#include "ingest/office/doc_bytes.h"

namespace folio::ingest::office {
namespace {

std::string atomText(std::string_view stream, const PptRecord& atom) {
  const std::string_view bytes = stream.substr(atom.body(), atom.length);
  if (atom.type == kPptTextCharsAtom) return utf16leToUtf8(bytes);
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) appendCodePoint(out, static_cast<unsigned char>(c));
  return out;
}

}  // namespace

void appendPptTexts(std::string_view stream, const std::vector<PptRecord>& records, std::vector<PptText>& out) {
  const DocBytes b{stream};
  bool open = false;  // a TextHeaderAtom waits for its characters
  for (const PptRecord& r : records) {
    if (r.type == kPptTextHeaderAtom && r.length >= 4) {
      out.push_back(PptText{static_cast<int>(b.u32(r.body()) & 0xFF), {}, -1});
      open = true;
    } else if (r.type == kPptTextCharsAtom || r.type == kPptTextBytesAtom) {
      if (!open) out.push_back(PptText{});
      out.back().text += atomText(stream, r);
      open = false;
    } else if (r.type == kPptOutlineTextRefAtom && r.length >= 4) {
      const uint32_t index = b.u32(r.body());
      if (!open) out.push_back(PptText{});  // else the header gives the referenced text its role
      out.back().outline_ref = index > 0xFFFF ? -1 : static_cast<int>(index);
      open = false;
    }
  }
}

std::vector<std::string> pptParagraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string paragraph;
  const auto finish = [&] {
    while (!paragraph.empty() && (paragraph.back() == ' ' || paragraph.back() == '\n' || paragraph.back() == '\t')) {
      paragraph.pop_back();
    }
    if (!paragraph.empty()) out.push_back(std::move(paragraph));
    paragraph.clear();
  };
  for (const char c : text) {
    if (c == '\r') finish();
    else if (c == '\v') paragraph += '\n';
    else if (c == '\t' || static_cast<unsigned char>(c) >= 0x20) paragraph += c;
  }
  finish();
  return out;
}

}  // namespace folio::ingest::office
