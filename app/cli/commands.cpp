#include "app/cli/commands.h"

namespace folio::cli {

void registerCommands(CLI::App& app, CommandContext& ctx) {
  addDemoCommand(app, ctx);
  addPlanCommand(app, ctx);
  addIngestCommand(app, ctx);
  addSearchCommand(app, ctx);
  addDocsCommand(app, ctx);
  addGenerateCommand(app, ctx);
  addSummarizeCommand(app, ctx);
  addAskCommand(app, ctx);
  addReportCommand(app, ctx);
  addCompareCommand(app, ctx);
  addTimelineCommand(app, ctx);
  addReviewCommand(app, ctx);
  addServeCommand(app, ctx);
  addBenchCommand(app, ctx);
  addDevicesCommand(app, ctx);
}

}  // namespace folio::cli
