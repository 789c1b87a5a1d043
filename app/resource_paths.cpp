#include "app/resource_paths.h"

#include <cstdlib>
#include <system_error>

namespace folio::app {

std::filesystem::path findResourceDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("FOLIO_RESOURCES"); env && *env && fs::is_directory(env, ec)) return env;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "folio";
    if (fs::is_directory(installed / "samples", ec)) return installed;
  }
  const fs::path source = FOLIO_SOURCE_RESOURCES;
  if (fs::is_directory(source, ec)) return source;
  return {};
}

}  // namespace folio::app
