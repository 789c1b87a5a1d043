#include "ingest/office/xml_reader.h"

#include <expat.h>

#include <algorithm>
#include <charconv>

namespace folio::ingest::office {
namespace {

// Expat with a namespace separator reports "uri\x01local"; the reader keeps the local part.
constexpr char kSeparator = '\x01';

std::string_view localName(const XML_Char* name) {
  std::string_view n(name);
  const size_t sep = n.rfind(kSeparator);
  if (sep != std::string_view::npos) return n.substr(sep + 1);
  const size_t colon = n.rfind(':');  // an undeclared prefix: expat leaves "w:p" whole
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

struct ParseState {
  const XmlHandler* handler;
  XML_Parser parser;
  bool doctype = false;
  XmlAttributes attributes;
};

void onStart(void* data, const XML_Char* name, const XML_Char** atts) {
  auto* s = static_cast<ParseState*>(data);
  if (!s->handler->start) return;
  s->attributes.items.clear();
  for (size_t i = 0; atts[i] != nullptr; i += 2) s->attributes.items.emplace_back(localName(atts[i]), atts[i + 1]);
  s->handler->start(localName(name), s->attributes);
}

void onEnd(void* data, const XML_Char* name) {
  auto* s = static_cast<ParseState*>(data);
  if (s->handler->end) s->handler->end(localName(name));
}

void onText(void* data, const XML_Char* text, int len) {
  auto* s = static_cast<ParseState*>(data);
  if (s->handler->text && len > 0) s->handler->text(std::string_view(text, static_cast<size_t>(len)));
}

void onDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* s = static_cast<ParseState*>(data);
  s->doctype = true;
  XML_StopParser(s->parser, XML_FALSE);
}

}  // namespace

int attributeInt(std::string_view value, int fallback) {
  int n = 0;
  const auto r = std::from_chars(value.data(), value.data() + value.size(), n);
  return r.ec == std::errc() && r.ptr == value.data() + value.size() ? n : fallback;
}

std::string_view XmlAttributes::get(std::string_view name, std::string_view fallback) const {
  for (const auto& [key, value] : items) {
    if (key == name) return value;
  }
  return fallback;
}

bool XmlAttributes::has(std::string_view name) const {
  for (const auto& item : items) {
    if (item.first == name) return true;
  }
  return false;
}

Status parseXml(std::string_view xml, const std::string& part, const XmlHandler& handler) {
  XML_Parser parser = XML_ParserCreateNS("UTF-8", kSeparator);
  if (parser == nullptr) return Error{ErrorKind::Internal, part + ": out of memory starting the XML parser"};
  ParseState state{&handler, parser};
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, onStart, onEnd);
  XML_SetCharacterDataHandler(parser, onText);
  XML_SetStartDoctypeDeclHandler(parser, onDoctype);
  XML_Status status = XML_STATUS_OK;
  // Expat takes an int length: feed large parts in pieces.
  constexpr size_t kPiece = size_t{1} << 30;
  size_t pos = 0;
  do {
    const size_t n = std::min(kPiece, xml.size() - pos);
    const bool last = pos + n == xml.size();
    status = XML_Parse(parser, xml.data() + pos, static_cast<int>(n), last ? XML_TRUE : XML_FALSE);
    pos += n;
  } while (status == XML_STATUS_OK && pos < xml.size());
  Status result;
  if (state.doctype) {
    result = badInput(part + ": has a DOCTYPE declaration, which no Office file part has");
  } else if (status != XML_STATUS_OK) {
    result = badInput(part + ": line " + std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
                      XML_ErrorString(XML_GetErrorCode(parser)));
  }
  XML_ParserFree(parser);
  return result;
}

}  // namespace folio::ingest::office
