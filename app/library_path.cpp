#include "app/library_path.h"

#include <cstdlib>
#include <system_error>

namespace folio::app {
namespace {

std::filesystem::path absoluteEnv(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return {};
  std::filesystem::path p(v);
  return p.is_absolute() ? p : std::filesystem::path{};  // XDG: relative values are ignored
}

}  // namespace

Result<std::filesystem::path> defaultLibraryPath() {
  if (auto xdg = absoluteEnv("XDG_DATA_HOME"); !xdg.empty()) return xdg / "folio" / "library.sqlite";
  if (auto home = absoluteEnv("HOME"); !home.empty()) return home / ".local" / "share" / "folio" / "library.sqlite";
  return Error{ErrorKind::NotFound, "cannot place the library: neither XDG_DATA_HOME nor HOME is set; use --library PATH"};
}

Result<std::filesystem::path> resolveLibraryPath(const std::string& requested) {
  std::filesystem::path path;
  if (!requested.empty()) {
    path = requested;
  } else {
    auto def = defaultLibraryPath();
    if (!def) return def.error();
    path = *def;
  }
  const auto dir = path.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return ioError(dir.string() + ": cannot create the library directory: " + ec.message());
  }
  return path;
}

Result<ingest::Library> openLibrary(const std::string& requested, bool create,
                                    const ingest::MigrationObserver& on_migration) {
  auto path = resolveLibraryPath(requested);
  if (!path) return path.error();
  std::error_code ec;
  if (!create && !std::filesystem::exists(*path, ec)) {
    return notFound(path->string() + ": no library here yet; run `folio ingest PATH...` first");
  }
  ingest::DatabaseOptions options;
  options.create = create;
  return ingest::Library::open(*path, options, on_migration);
}

}  // namespace folio::app
