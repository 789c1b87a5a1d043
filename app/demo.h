// The headless demo: what `folio` runs where there is no display. It ingests the sample documents
// shipped in resources/samples into a temporary library, lists them, and runs two example searches
// whose hits cite file, pages and lines.
#pragma once

#include <filesystem>
#include <ostream>

namespace folio::app {

// Returns a process exit code; writes a human-readable report to `out`.
int runDemo(const std::filesystem::path& samples_dir, std::ostream& out, std::ostream& err);

}  // namespace folio::app
