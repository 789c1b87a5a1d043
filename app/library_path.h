// Where the document library lives: --library PATH when given, else $XDG_DATA_HOME/folio/library.sqlite
// (falling back to ~/.local/share/folio/library.sqlite). The directory is created on first use.
#pragma once

#include <filesystem>
#include <string>

#include "engine/common/result.h"
#include "ingest/library/library.h"

namespace folio::app {

// The default library path from the environment (XDG_DATA_HOME, then HOME); an error when neither
// is set to an absolute path.
Result<std::filesystem::path> defaultLibraryPath();

// `requested` when non-empty, else the default; creates the parent directory.
Result<std::filesystem::path> resolveLibraryPath(const std::string& requested);

// Opens (and migrates) the library at `requested` or the default path. With create == false a
// missing library is an error that says to run `folio ingest` first. `on_migration` hears a long
// schema upgrade and may cancel it (ingest/library/schema.h).
Result<ingest::Library> openLibrary(const std::string& requested, bool create,
                                    const ingest::MigrationObserver& on_migration = {});

}  // namespace folio::app
