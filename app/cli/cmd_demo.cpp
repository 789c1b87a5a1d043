// `folio demo`: the headless demo over the sample documents.
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"
#include "app/demo.h"
#include "app/resource_paths.h"

namespace folio::cli {

void addDemoCommand(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("demo", "Run the headless demo over the sample documents");
  auto samples = std::make_shared<std::string>();
  cmd->add_option("--samples", *samples, "Directory of documents (default: the bundled samples)");
  cmd->callback([&ctx, samples] {
    std::filesystem::path dir = *samples;
    if (dir.empty()) {
      const auto res = app::findResourceDir();
      if (res.empty()) {
        std::cerr << "folio demo: cannot find Folio's resources; set FOLIO_RESOURCES\n";
        ctx.exit_code = kExitFailure;
        return;
      }
      dir = res / "samples";
    }
    ctx.exit_code = app::runDemo(dir, std::cout, std::cerr);
  });
}

}  // namespace folio::cli
