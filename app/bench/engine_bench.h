// `folio bench`: the CPU engine's speed on this machine, as ratios to limits measured in the same run
// (B0 memory bandwidth and FMA peak). Tables: B1 lightning prefill, B2 lightning decode step, B3 one MoE
// layer, B4 whole-model decode vs the bandwidth bound, B5 whole-model prefill, B6 resident memory vs
// the formula, B7 a long prompt's memory, B8 several sessions decoding through one decode batcher vs in
// turn. B3–B8 need a model directory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/common/result.h"

namespace folio::bench {

struct EngineBenchOptions {
  std::string model;                   // checkpoint directory; empty: only B0–B2
  std::vector<std::string> baselines;  // JSON timings of tools/baseline/minimax_torch.py
  int threads = 0;                     // 0: all cores
  bool quick = false;                  // fewer sizes and repetitions
  bool long_prompts = false;           // B5 also at 32K tokens
  bool experts_int8 = false;           // quantise the routed experts at load
  int64_t long_tokens = 65536;         // B7: the long prompt's length
  std::string tables = "B1,B2,B3,B4,B5,B6,B8";  // which tables to run (B0 always runs)
  bool want(const char* table) const { return tables.find(table) != std::string::npos; }
};

// Prints the tables to stdout; fails when the model cannot be loaded.
Status runEngineBench(const EngineBenchOptions& options);

}  // namespace folio::bench
