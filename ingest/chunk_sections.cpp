#include "ingest/chunk_sections.h"

namespace folio::ingest {

std::vector<Unit> sectionUnits(const TextIndex& index, const HeadingDetector& detect, ChunkKind preamble_kind,
                               const std::vector<std::string>& preamble_path) {
  struct Open {
    int level;
    std::string entry;
    ChunkKind kind;
  };
  std::vector<Open> stack;
  std::vector<Unit> units;
  Unit current{preamble_kind, preamble_path, 0, 0};
  bool current_has_body = false;  // any non-blank line after the heading line(s)
  bool current_is_heading = false;
  int current_level = 0;

  auto close = [&](int64_t end) {
    current.end = end;
    if (current.end > current.begin) units.push_back(current);
  };

  for (size_t li = 0; li < index.lineCount(); ++li) {
    const std::string_view line = index.line(li);
    std::optional<Heading> h = detect(li, line);
    if (h && h->title_of_previous) {
      if (current_is_heading && !current_has_body && !stack.empty()) {
        stack.back().entry += " " + h->entry;
        stack.back().kind = h->kind;
        current.kind = h->kind;
        current.heading_path.back() = stack.back().entry;
        continue;
      }
      h.reset();
    }
    if (!h) {
      if (!isBlank(line)) current_has_body = true;
      continue;
    }
    while (!stack.empty() && stack.back().level >= h->level) stack.pop_back();
    ChunkKind kind = h->kind;
    if (h->inherit_kind && !stack.empty()) kind = stack.back().kind;
    stack.push_back(Open{h->level, h->entry, kind});
    const int64_t begin = index.lineBegin(li);
    const bool fold = current_is_heading && !current_has_body && h->level > current_level;
    if (!fold) {
      close(begin);
      current.begin = begin;
    }
    current.kind = kind;
    current.heading_path.clear();
    for (const Open& o : stack) current.heading_path.push_back(o.entry);
    current_is_heading = true;
    current_has_body = h->body_on_line;
    current_level = h->level;
  }
  close(static_cast<int64_t>(index.doc().text.size()));
  return units;
}

}  // namespace folio::ingest
