// Registration of the headless `folio <command>` subcommands. Each command lives in its own
// app/cli/cmd_*.cpp and adds itself to the CLI11 app; its callback stores the process exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace folio::cli {

struct CommandContext {
  int exit_code = 0;  // set by the callback of the command that ran
};

void addDemoCommand(CLI::App& app, CommandContext& ctx);
void addPlanCommand(CLI::App& app, CommandContext& ctx);
void addIngestCommand(CLI::App& app, CommandContext& ctx);
void addSearchCommand(CLI::App& app, CommandContext& ctx);
void addDocsCommand(CLI::App& app, CommandContext& ctx);
void addGenerateCommand(CLI::App& app, CommandContext& ctx);
void addSummarizeCommand(CLI::App& app, CommandContext& ctx);
void addAskCommand(CLI::App& app, CommandContext& ctx);
void addReportCommand(CLI::App& app, CommandContext& ctx);
void addCompareCommand(CLI::App& app, CommandContext& ctx);
void addTimelineCommand(CLI::App& app, CommandContext& ctx);
void addReviewCommand(CLI::App& app, CommandContext& ctx);
void addServeCommand(CLI::App& app, CommandContext& ctx);
void addBenchCommand(CLI::App& app, CommandContext& ctx);
void addDevicesCommand(CLI::App& app, CommandContext& ctx);

// Adds every headless command (the GUI command is added by main, which owns the widgets).
void registerCommands(CLI::App& app, CommandContext& ctx);

}  // namespace folio::cli
