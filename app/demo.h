// The headless demo: what `folio` runs where there is no display. It walks the sample documents
// shipped in resources/samples and shows what Folio makes of them.
#pragma once

#include <filesystem>
#include <ostream>

namespace folio::app {

// Returns a process exit code; writes a human-readable report to `out`.
int runDemo(const std::filesystem::path& samples_dir, std::ostream& out, std::ostream& err);

}  // namespace folio::app
