// Locates Folio's resources (samples, prompt templates, icons) for a build-tree or an installed binary.
#pragma once

#include <filesystem>

namespace folio::app {

// Search order: $FOLIO_RESOURCES, <exe>/../share/folio (installed), the source tree's resources/
// (build tree). Returns an empty path when none exists.
std::filesystem::path findResourceDir();

}  // namespace folio::app
