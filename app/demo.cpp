#include "app/demo.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/common/file_io.h"
#include "ingest/source_kind.h"

namespace folio::app {

int runDemo(const std::filesystem::path& samples_dir, std::ostream& out, std::ostream& err) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(samples_dir, ec)) {
    err << "folio demo: sample directory not found: " << samples_dir.string() << "\n";
    return 1;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(samples_dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());

  out << "Folio demo over " << samples_dir.string() << "\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-44s %-9s %-11s %9s %7s\n", "document", "kind", "language", "bytes", "lines");
  out << line;
  size_t total_bytes = 0;
  for (const auto& f : files) {
    const auto type = ingest::classifySource(f);
    auto bytes = readFile(f, 64u << 20);
    if (!bytes) {
      err << "  skipped " << bytes.error().message << "\n";
      continue;
    }
    size_t lines = 0;
    if (type.kind != ingest::SourceKind::Pdf) lines = static_cast<size_t>(std::count(bytes->begin(), bytes->end(), '\n'));
    total_bytes += bytes->size();
    std::snprintf(line, sizeof line, "%-44s %-9s %-11s %9zu %7s\n", fs::relative(f, samples_dir).string().c_str(),
                  std::string(ingest::sourceKindName(type.kind)).c_str(),
                  type.language.empty() ? "-" : std::string(type.language).c_str(), bytes->size(),
                  type.kind == ingest::SourceKind::Pdf ? "-" : std::to_string(lines).c_str());
    out << line;
  }
  out << "\n" << files.size() << " documents, " << total_bytes << " bytes.\n";
  return 0;
}

}  // namespace folio::app
