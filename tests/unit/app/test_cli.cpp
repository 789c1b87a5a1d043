// Drives the real `folio` binary: help, version, usage errors, the headless default.
#include <gtest/gtest.h>

#include "support/run_process.h"

using folio::test::runProcess;

namespace {
// No display: the default must fall back to the headless demo.
const std::map<std::string, std::string> kNoDisplay = {{"DISPLAY", ""}, {"WAYLAND_DISPLAY", ""}, {"QT_QPA_PLATFORM", ""}};
}  // namespace

TEST(Cli, HelpListsCommands) {
  auto r = runProcess({FOLIO_BINARY, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("gui"), std::string::npos);
  EXPECT_NE(r.out.find("demo"), std::string::npos);
}

TEST(Cli, Version) {
  auto r = runProcess({FOLIO_BINARY, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("folio ", 0), 0u) << r.out;
}

TEST(Cli, UnknownCommandIsAUsageError) {
  auto r = runProcess({FOLIO_BINARY, "no-such-command"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_FALSE(r.signaled);
}

TEST(Cli, NoDisplayRunsTheHeadlessDemo) {
  auto r = runProcess({FOLIO_BINARY}, kNoDisplay);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no display"), std::string::npos);
  EXPECT_NE(r.out.find("Folio demo"), std::string::npos);
  EXPECT_NE(r.out.find("documents"), std::string::npos);
}

TEST(Cli, GuiWithoutDisplayFailsWithAReason) {
  auto r = runProcess({FOLIO_BINARY, "gui"}, kNoDisplay);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no display"), std::string::npos);
}

TEST(Cli, DemoOnMissingDirectoryNamesIt) {
  auto r = runProcess({FOLIO_BINARY, "demo", "--samples", "/nonexistent/samples"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/samples"), std::string::npos);
}
