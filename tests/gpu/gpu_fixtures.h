// Where the GPU tests find tests/fixtures: $FOLIO_FIXTURES_DIR when set (the device machine runs
// binaries built elsewhere, whose compiled-in path may not exist there), else the compiled-in path,
// else tests/fixtures under the current directory (the repository root on the device machine).
#pragma once

#include <cstdlib>
#include <filesystem>

namespace folio::test {

inline std::filesystem::path gpuFixturesDir() {
  if (const char* env = std::getenv("FOLIO_FIXTURES_DIR"); env != nullptr && *env != '\0') return env;
  const std::filesystem::path built = FOLIO_FIXTURES_DIR;
  std::error_code ec;
  if (std::filesystem::exists(built / "models", ec)) return built;
  return std::filesystem::current_path() / "tests" / "fixtures";
}

}  // namespace folio::test
