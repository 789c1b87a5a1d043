// The (fixture, ranks) parameters of the tensor-parallel tests (CPU ranks in tests/unit, CUDA ranks in
// tests/gpu) and the test names gtest shows for them: "tiny_f32_h4_ls_tp2".
#pragma once

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace folio::test {

using FixtureRanks = std::tuple<std::string, int>;

// Every split kind the fixtures have: KV heads split and replicated, a shared expert, 6 heads over 2
// and 6 ranks, 3 heads with an uneven expert hidden split (11/11/10).
inline std::vector<FixtureRanks> tensorParallelCases() {
  return {{"tiny-f32-h4-ls", 2},
          {"tiny-f32-h4-ls", 4},
          {"tiny-bf16-h4-gqa2-lsls-hfcfg", 2},  // KV 2: split
          {"tiny-bf16-h4-gqa2-lsls-hfcfg", 4},  // KV 2: replicated twice
          {"tiny-f32-h4-shared-text01", 2},     // shared expert, KV 1 replicated
          {"tiny-f32-h4-shared-text01", 4},
          {"tiny-bf16-h6-gqa3-sll-sharded", 2},  // 6 heads: 2 and 6 ranks split them
          {"tiny-bf16-h6-gqa3-sll-sharded", 6},
          {"tiny-f32-h3-1layer", 3}};  // 3 heads, uneven expert hidden split (11/11/10)
}

struct FixtureRanksName {
  template <class Info>
  std::string operator()(const Info& info) const {
    std::string name = std::get<0>(info.param) + "_tp" + std::to_string(std::get<1>(info.param));
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
  }
};

}  // namespace folio::test
