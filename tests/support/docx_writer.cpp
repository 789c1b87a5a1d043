#include "support/docx_writer.h"

#include <zip.h>

#include <cstdio>
#include <stdexcept>

namespace folio::test {
namespace {

constexpr const char* kNamespaces =
    R"( xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")"
    R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")"
    R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006")"
    R"( xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape")"
    R"( xmlns:v="urn:schemas-microsoft-com:vml")";

std::string part(const std::string& root, const std::string& inner) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" "\n<w:" + root + kNamespaces + ">" + inner +
         "</w:" + root + ">";
}

}  // namespace

std::string zipBytes(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (out == nullptr) throw std::runtime_error("zip_source_buffer_create");
  zip_source_keep(out);
  zip_t* zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  if (zip == nullptr) throw std::runtime_error("zip_open_from_source");
  for (const auto& [name, bytes] : parts) {
    zip_source_t* s = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    if (s == nullptr || zip_file_add(zip, name.c_str(), s, ZIP_FL_ENC_UTF_8) < 0) throw std::runtime_error("zip_file_add");
  }
  if (zip_close(zip) != 0) throw std::runtime_error("zip_close");
  std::string bytes;
  if (zip_source_open(out) == 0) {
    zip_source_seek(out, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(out);
    zip_source_seek(out, 0, SEEK_SET);
    bytes.resize(static_cast<size_t>(size));
    zip_source_read(out, bytes.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(out);
  }
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

std::string docxBytes(const DocxParts& p) {
  std::string types =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
      R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
      R"(<Default Extension="xml" ContentType="application/xml"/>)"
      R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)";
  std::string root_rels =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)";
  if (!p.title.empty() || !p.author.empty()) {
    root_rels +=
        R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>)";
  }
  root_rels += "</Relationships>";
  std::string doc_rels =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
  const std::string kType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::vector<std::pair<std::string, std::string>> parts = {{"[Content_Types].xml", types}, {"_rels/.rels", root_rels}};
  parts.emplace_back("word/document.xml", part("document", "<w:body>" + p.body + "</w:body>"));
  int id = 1;
  auto add = [&](const std::string& kind, const std::string& root, const std::string& inner) {
    if (inner.empty()) return;
    doc_rels += R"(<Relationship Id="rId)" + std::to_string(id++) + R"(" Type=")" + kType + kind + R"(" Target=")" + kind +
                R"(.xml"/>)";
    parts.emplace_back("word/" + kind + ".xml", part(root, inner));
  };
  add("styles", "styles", p.styles);
  add("numbering", "numbering", p.numbering);
  add("footnotes", "footnotes", p.footnotes);
  add("settings", "settings", p.settings);
  for (const auto& [name, inner] : p.headers) {
    const std::string kind = name.rfind("footer", 0) == 0 ? "footer" : "header";
    doc_rels += R"(<Relationship Id=")" + name + R"(" Type=")" + kType + kind + R"(" Target=")" + name + R"(.xml"/>)";
    parts.emplace_back("word/" + name + ".xml", part(kind == "footer" ? "ftr" : "hdr", inner));
  }
  doc_rels += "</Relationships>";
  parts.emplace_back("word/_rels/document.xml.rels", doc_rels);
  if (!p.title.empty() || !p.author.empty()) {
    parts.emplace_back(
        "docProps/core.xml",
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">)"
        "<dc:title>" + p.title + "</dc:title><dc:creator>" + p.author + "</dc:creator></cp:coreProperties>");
  }
  for (const auto& e : p.extra) parts.push_back(e);
  return zipBytes(parts);
}

std::string wordParagraph(const std::string& text, const std::string& style, int num_id, int level) {
  std::string ppr;
  if (!style.empty()) ppr += R"(<w:pStyle w:val=")" + style + R"("/>)";
  if (num_id >= 0) {
    ppr += R"(<w:numPr><w:ilvl w:val=")" + std::to_string(level) + R"("/><w:numId w:val=")" + std::to_string(num_id) +
           R"("/></w:numPr>)";
  }
  return "<w:p>" + (ppr.empty() ? std::string() : "<w:pPr>" + ppr + "</w:pPr>") +
         R"(<w:r><w:t xml:space="preserve">)" + text + "</w:t></w:r></w:p>";
}

}  // namespace folio::test
