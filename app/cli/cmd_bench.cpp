// `folio bench [--model DIR] [--threads N] [--tables B1,B4,...] [--quick] [--long] [--long-tokens N]
// [--experts-int8] [--baseline FILE]...`: how fast the CPU engine runs on this machine, each figure as a
// ratio to the machine's own limits measured in the same run (see app/bench/engine_bench.h for the
// tables). Without --model only the kernel tables run. Exit 2 when the model cannot be loaded.
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "app/bench/engine_bench.h"
#include "app/cli/commands.h"
#include "app/cli/exit_codes.h"

namespace folio::cli {

void addBenchCommand(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<bench::EngineBenchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Measure the CPU engine on this machine: tables B0 (memory bandwidth, FMA peak) to B8, as ratios");
  cmd->add_option("--model", opts->model, "Model directory (B3–B8 need one; `folio demo` or "
                                           "tools/reference/make_checkpoint.py can make one)");
  cmd->add_option("--threads", opts->threads, "Worker threads (0 = all cores)")->check(CLI::Range(0, 4096));
  cmd->add_option("--tables", opts->tables, "Tables to run, e.g. B1,B4 (B0 always runs; B7 only when named)")
      ->capture_default_str()
      ->check([](const std::string& list) -> std::string {
        std::stringstream in(list);
        for (std::string t; std::getline(in, t, ',');) {
          if (t.size() != 2 || t[0] != 'B' || t[1] < '0' || t[1] > '8') return "'" + t + "' is not a table (B0 to B8)";
        }
        return "";
      });
  cmd->add_flag("--quick", opts->quick, "Fewer sizes and repetitions");
  cmd->add_flag("--long", opts->long_prompts, "B5 also at 32K tokens");
  cmd->add_option("--long-tokens", opts->long_tokens, "B7: length of the long prompt")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 24))
      ->capture_default_str();
  cmd->add_flag("--experts-int8", opts->experts_int8, "Quantise the routed experts to int8 at load");
  cmd->add_option("--baseline", opts->baselines,
                  "JSON timings from tools/baseline/minimax_torch.py (repeatable): prints Folio ÷ baseline");
  cmd->callback([opts, &ctx] {
    const Status s = bench::runEngineBench(*opts);
    if (!s.ok()) std::cerr << "folio bench: " << s.error().message << "\n";
    ctx.exit_code = s.ok() ? kExitOk : exitCodeFor(s.error());
  });
}

}  // namespace folio::cli
