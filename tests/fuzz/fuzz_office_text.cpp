// Fuzzes Word, OpenDocument, Excel and PowerPoint extraction. Random bytes rarely survive a zip's
// checksums, so the input is mostly the XML parts, which the harness zips: for Word, body, styles,
// numbering, footnotes and a header (relationship id "header1") separated by NUL bytes; after a leading "ODT\n" (text), "ODS\n"
// (spreadsheet) or "ODP\n" (presentation), an OpenDocument's content.xml, styles.xml and meta.xml; after "XLSX\n", a workbook's workbook.xml, sharedStrings.xml,
// styles.xml, first sheet, that sheet's drawing and a chart part; after "PPTX\n", a presentation's
// presentation.xml, first slide, its notes, second slide and a chart part. The chart part is related
// both as a DrawingML chart (rId1 of the drawing, rId2 of the slide) and as an Office 2016 one (rId2,
// rId3), so either reader reads it. An input starting with "PK" is read as the file itself. Checks: a failure names the file; text is
// valid UTF-8; page starts increase from 0 inside the text; chunking keeps its provenance.
// fuzz-link: folio_ingest
// fuzz-sources: support/docx_writer.cpp
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/extract.h"
#include "fuzz_extract_support.h"
#include "support/docx_writer.h"

namespace {

std::vector<std::string> splitParts(std::string_view in, size_t count = 4) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (parts.size() < count) {
    const size_t nul = in.find('\0', pos);
    parts.emplace_back(in.substr(pos, nul == std::string_view::npos ? std::string_view::npos : nul - pos));
    if (nul == std::string_view::npos) break;
    pos = nul + 1;
  }
  parts.resize(count);
  return parts;
}

std::string docxFromParts(std::string_view in) {
  const auto parts = splitParts(in, 5);
  folio::test::DocxParts p;
  p.body = parts[0];
  p.styles = parts[1];
  p.numbering = parts[2];
  p.footnotes = parts[3];
  if (!parts[4].empty()) p.headers = {{"header1", parts[4]}};
  p.title = "fuzz";
  return folio::test::docxBytes(p);
}

std::string odfFromParts(std::string_view in, const std::string& type) {
  const auto parts = splitParts(in);
  return folio::test::zipBytes({{"mimetype", "application/vnd.oasis.opendocument." + type},
                                {"content.xml", parts[0]},
                                {"styles.xml", parts[1]},
                                {"meta.xml", parts[2]}});
}

std::string rels(const std::vector<std::pair<std::string, std::string>>& targets) {
  std::string out = "<Relationships>";
  for (size_t i = 0; i < targets.size(); ++i) {
    out += "<Relationship Id=\"rId" + std::to_string(i + 1) + "\" Type=\"http://schemas.openxmlformats.org/" + targets[i].first +
           "\" Target=\"" + targets[i].second + "\"/>";
  }
  return out + "</Relationships>";
}

std::string xlsxFromParts(std::string_view in) {
  const auto parts = splitParts(in, 6);
  return folio::test::zipBytes({{"_rels/.rels", rels({{"x/officeDocument", "xl/workbook.xml"}})},
                                {"xl/workbook.xml", parts[0]},
                                {"xl/_rels/workbook.xml.rels", rels({{"x/worksheet", "worksheets/sheet1.xml"},
                                                                     {"x/sharedStrings", "sharedStrings.xml"},
                                                                     {"x/styles", "styles.xml"}})},
                                {"xl/sharedStrings.xml", parts[1]},
                                {"xl/styles.xml", parts[2]},
                                {"xl/worksheets/sheet1.xml", parts[3]},
                                {"xl/worksheets/_rels/sheet1.xml.rels", rels({{"x/drawing", "../drawings/drawing1.xml"}})},
                                {"xl/drawings/drawing1.xml", parts[4]},
                                {"xl/drawings/_rels/drawing1.xml.rels", rels({{"x/chart", "../charts/chart1.xml"},
                                                                              {"x/chartEx", "../charts/chart1.xml"}})},
                                {"xl/charts/chart1.xml", parts[5]}});
}

std::string pptxFromParts(std::string_view in) {
  const auto parts = splitParts(in, 5);
  return folio::test::zipBytes({{"_rels/.rels", rels({{"x/officeDocument", "ppt/presentation.xml"}})},
                                {"ppt/presentation.xml", parts[0]},
                                {"ppt/_rels/presentation.xml.rels", rels({{"x/slide", "slides/slide1.xml"}, {"x/slide", "slides/slide2.xml"}})},
                                {"ppt/slides/slide1.xml", parts[1]},
                                {"ppt/slides/_rels/slide1.xml.rels", rels({{"x/notesSlide", "../notesSlides/n1.xml"},
                                                                           {"x/chart", "../charts/chart1.xml"},
                                                                           {"x/chartEx", "../charts/chart1.xml"}})},
                                {"ppt/notesSlides/n1.xml", parts[2]},
                                {"ppt/slides/slide2.xml", parts[3]},
                                {"ppt/charts/chart1.xml", parts[4]}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  using namespace folio::ingest;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string bytes = in.substr(0, 2) == "PK"     ? std::string(in)
                            : in.substr(0, 4) == "ODT\n" ? odfFromParts(in.substr(4), "text")
                            : in.substr(0, 4) == "ODS\n" ? odfFromParts(in.substr(4), "spreadsheet")
                            : in.substr(0, 4) == "ODP\n" ? odfFromParts(in.substr(4), "presentation")
                            : in.substr(0, 5) == "XLSX\n" ? xlsxFromParts(in.substr(5))
                            : in.substr(0, 5) == "PPTX\n" ? pptxFromParts(in.substr(5))
                                                          : docxFromParts(in);
  const SourceType word{SourceKind::Word, ""};
  ExtractOptions options;
  options.max_file_bytes = 1u << 20;
  auto r = extractBytes(bytes, word, "fuzz.docx", options);
  if (!r.ok()) {
    if (r.error().message.find("fuzz.docx") == std::string::npos) std::abort();
    return 0;
  }
  fuzz::checkExtracted(*r, word);
  return 0;
}
