// Papers: the title block, the abstract, numbered sections and subsections ("3. Method",
// "3.2 Summary tree." with its text on the same line), named sections without numbers
// ("Introduction", "Conclusion", "Acknowledgements", ...), and the references (kind References, split
// at "[n]" entries when over the target size). Section numbers must continue the current sequence.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "engine/common/ascii_case.h"
#include "ingest/chunk_sections.h"
#include "ingest/chunk_util.h"
#include "ingest/chunker.h"

namespace folio::ingest {
namespace {

constexpr std::array<std::string_view, 22> kNamedSections{
    "introduction", "related work", "background", "method", "methods", "methodology", "approach",
    "experiments", "experimental setup", "evaluation", "results", "discussion", "conclusion", "conclusions",
    "limitations", "future work", "acknowledgements", "acknowledgments", "appendix", "references",
    "bibliography", "works cited"};

bool isReferencesTitle(std::string_view t) {
  const std::string l = lowerAscii(t);
  return l == "references" || l == "bibliography" || l == "works cited";
}

class PaperDetector {
 public:
  std::optional<Heading> operator()(size_t, std::string_view raw) {
    const std::string_view line = trimSpaces(raw);
    if (line.empty() || line.size() > 300) return std::nullopt;
    std::string_view bare = line;
    if (!bare.empty() && bare.back() == '.') bare.remove_suffix(1);
    const std::string l = lowerAscii(bare);
    if (l == "abstract") {
      in_refs_ = false;
      return Heading{1, "Abstract", ChunkKind::Abstract, false, false};
    }
    if (l.rfind("abstract", 0) == 0 && line.size() > 9 && !seen_abstract_ &&
        (line[8] == ':' || line[8] == '.' || line.substr(8, 3) == "\xE2\x80\x94")) {
      seen_abstract_ = true;
      return Heading{1, "Abstract", ChunkKind::Abstract, false, true};
    }
    if (l == "abstract") seen_abstract_ = true;
    if (bare.size() <= 40 && std::find(kNamedSections.begin(), kNamedSections.end(), l) != kNamedSections.end()) {
      in_refs_ = isReferencesTitle(bare);
      return Heading{1, std::string(bare), in_refs_ ? ChunkKind::References : ChunkKind::Section, false, false};
    }
    if (in_refs_) return std::nullopt;  // numbered reference entries are not sections
    return numbered(line);
  }

 private:
  std::optional<Heading> numbered(std::string_view line) {
    size_t i = 0;
    std::vector<int> parts;
    while (true) {
      size_t j = i;
      int v = 0;
      while (j < line.size() && j - i < 2 && std::isdigit(static_cast<unsigned char>(line[j]))) v = v * 10 + (line[j++] - '0');
      if (j == i || (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j])))) return std::nullopt;
      parts.push_back(v);
      i = j;
      if (i + 1 < line.size() && line[i] == '.' && std::isdigit(static_cast<unsigned char>(line[i + 1]))) {
        ++i;
        continue;
      }
      break;
    }
    if (i < line.size() && line[i] == '.') ++i;
    if (i >= line.size() || line[i] != ' ' || parts.size() > 3) return std::nullopt;
    const std::string_view rest = trimSpaces(line.substr(i));
    if (rest.empty() || !std::isupper(static_cast<unsigned char>(rest[0]))) return std::nullopt;
    if (parts.size() == 1) {
      // A section heading is a short line on its own, continuing the numbering.
      if (rest.size() > 80 || rest.back() == '.' || rest.back() == ',') return std::nullopt;
      if (section_ == 0 ? parts[0] > 2 : (parts[0] <= section_ || parts[0] > section_ + 2)) return std::nullopt;
      section_ = parts[0];
      return Heading{1, oneLine(line, 80), ChunkKind::Section, false, false};
    }
    if (parts[0] != section_) return std::nullopt;
    // "2.1 Softmax attention. For queries ...": the title runs to the first ". ".
    std::string number;
    for (size_t k = 0; k < parts.size(); ++k) number += (k ? "." : "") + std::to_string(parts[k]);
    const size_t stop = rest.find(". ");
    const bool inline_body = stop != std::string_view::npos && stop <= 80;
    const std::string_view title = inline_body ? rest.substr(0, stop) : rest;
    return Heading{static_cast<int>(parts.size()), number + " " + oneLine(title, 80), ChunkKind::Section, false,
                   inline_body || rest.size() > 80};
  }

  int section_ = 0;
  bool in_refs_ = false;
  bool seen_abstract_ = false;
};

// The title: the document's metadata title, else the first non-blank line.
std::string paperTitle(const TextIndex& index) {
  if (!index.doc().title.empty()) return oneLine(index.doc().title, 120);
  for (size_t li = 0; li < index.lineCount(); ++li) {
    if (!isBlank(index.line(li))) return oneLine(index.line(li), 120);
  }
  return "Title";
}

bool isReferenceEntry(std::string_view line) {
  line = trimSpaces(line);
  if (line.size() < 4 || line[0] != '[') return false;
  const size_t close = line.find(']');
  return close != std::string_view::npos && close <= 8;
}

}  // namespace

std::vector<Chunk> chunkPaper(const ExtractedText& doc, const TokenCounter& tokens, const ChunkOptions& options) {
  const TextIndex index(doc);
  PaperDetector detector;
  const std::vector<Unit> units = sectionUnits(
      index, [&](size_t li, std::string_view line) { return detector(li, line); }, ChunkKind::Section,
      {paperTitle(index)});
  std::vector<Chunk> out;
  for (const Unit& unit : units) {
    Chunk whole;
    if (!makeChunk(index, unit.kind, unit.heading_path, unit.begin, unit.end, tokens, whole)) continue;
    if (unit.kind != ChunkKind::References || whole.token_count <= options.target_tokens) {
      emitUnit(index, unit, tokens, options, out);
      continue;
    }
    // Pack whole reference entries up to the target size.
    Unit part = unit;
    int used = 0;
    const size_t first = index.lineIndex(whole.byte_begin), last = index.lineIndex(whole.byte_end - 1);
    for (size_t li = first; li <= last; ++li) {
      const int t = tokens.count(index.line(li));
      if (li > first && used + t > options.target_tokens && isReferenceEntry(index.line(li))) {
        part.end = index.lineBegin(li);
        emitUnit(index, part, tokens, options, out);
        part.begin = part.end;
        used = 0;
      }
      used += t;
    }
    part.end = whole.byte_end;
    emitUnit(index, part, tokens, options, out);
  }
  return out;
}

}  // namespace folio::ingest
