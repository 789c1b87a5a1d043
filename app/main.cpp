// The `folio` executable: the composition root. With no arguments (or `folio gui`) it opens the
// desktop window; where there is no display it says so and runs the headless demo instead.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/demo.h"
#include "app/resource_paths.h"
#include "ui/gui_main.h"

namespace {

bool haveDisplay() {
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
  };
  return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

int runDefault(int argc, char** argv) {
  if (haveDisplay()) return folio::ui::runGui(argc, argv);
  std::cout << "folio: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop window cannot open.\n"
               "       Running the headless demo over the sample documents instead.\n"
               "       (Use `xvfb-run folio` or QT_QPA_PLATFORM=offscreen to start the window without a screen.)\n\n";
  const auto res = folio::app::findResourceDir();
  if (res.empty()) {
    std::cerr << "folio: cannot find Folio's resources; set FOLIO_RESOURCES\n";
    return folio::cli::kExitFailure;
  }
  return folio::app::runDemo(res / "samples", std::cout, std::cerr);
}

// `folio FILE...` (how the desktop entry's `Exec=folio %F` starts it): every argument is an existing
// path and the first is not a command name. Opens the window; without a display says what it would do.
bool isFileLaunch(CLI::App& app, int argc, char** argv) {
  std::error_code ec;
  for (int i = 1; i < argc; ++i)
    if (argv[i][0] == '-' || !std::filesystem::exists(argv[i], ec)) return false;
  return app.get_subcommands([&](CLI::App* sub) { return sub->check_name(argv[1]); }).empty();
}

int runFileLaunch(CLI::App& app, int argc, char** argv) {
  if (haveDisplay()) return folio::ui::runGui(argc, argv);
  std::cerr << "folio: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop window cannot open "
               "for:\n";
  for (int i = 1; i < argc; ++i) std::cerr << "         " << argv[i] << "\n";
  if (!app.get_subcommands([](CLI::App* sub) { return sub->check_name("ingest"); }).empty())
    std::cerr << "       To add them to the library without a window: folio ingest <paths>\n";
  return folio::cli::kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 1) return runDefault(argc, argv);

  CLI::App app{"Folio: long-document analysis on a local MiniMax-M1-class engine", "folio"};
  app.set_version_flag("--version", std::string("folio ") + FOLIO_VERSION);
  app.require_subcommand(0, 1);
  app.fallthrough(false);

  folio::cli::CommandContext ctx;
  bool gui_requested = false;
  auto* gui = app.add_subcommand("gui", "Open the desktop window (the default with no command)");
  gui->callback([&] { gui_requested = true; });
  folio::cli::registerCommands(app, ctx);
  if (isFileLaunch(app, argc, argv)) return runFileLaunch(app, argc, argv);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return folio::cli::kExitUsage;
  }
  if (gui_requested) {
    if (!haveDisplay()) {
      std::cerr << "folio gui: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run it under xvfb-run "
                   "or with QT_QPA_PLATFORM=offscreen\n";
      return folio::cli::kExitFailure;
    }
    // Qt sees only the program name and the arguments after `gui` (e.g. -platform offscreen).
    return folio::ui::runGui(argc - 1, argv + 1);
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return folio::cli::kExitUsage;
  }
  return ctx.exit_code;
}
