#include "app/cli/commands.h"

namespace folio::cli {

void registerCommands(CLI::App& app, CommandContext& ctx) {
  addDemoCommand(app, ctx);
  addPlanCommand(app, ctx);
  addGenerateCommand(app, ctx);
}

}  // namespace folio::cli
