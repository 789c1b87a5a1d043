// experts_int8: routed experts quantised at load (symmetric, per output row, scale = max|w|/127).
// The logits stay close to the bf16 model's (the error is printed), the experts really are int8 with
// per-row scales, the rest keeps its dtype, and the identity (snapshots) tells the two apart.
// Dimension letters: T tokens, V vocab.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/model/model.h"
#include "engine/model/session.h"
#include "test_session_support.h"

using namespace folio::engine;
using namespace folio::engine::test;

namespace {

std::vector<float> promptLogits(std::shared_ptr<const Model> model, const std::vector<int32_t>& ids) {
  SessionOptions o;
  o.context_capacity = static_cast<int64_t>(ids.size());
  o.threads = 2;
  auto s = openSession(std::move(model), o);
  std::vector<float> logits;  // [T, V]
  EXPECT_TRUE(s && s->prefill(ids, &logits).ok());
  return logits;
}

}  // namespace

TEST(SessionExpertsInt8, LogitsCloseToBf16AndExpertsQuantised) {
  for (const std::string name : {"tiny-bf16-h4-gqa2-lsls-hfcfg", "tiny-bf16-h6-gqa3-sll-sharded"}) {
    const auto dir = std::filesystem::path(FOLIO_FIXTURES_DIR) / "models" / name;
    auto bf16 = Model::load(dir);
    ModelLoadOptions opt;
    opt.experts_int8 = true;
    auto int8 = Model::load(dir, opt);
    ASSERT_TRUE(bf16.ok() && int8.ok());
    const Model& q = *int8.value();
    EXPECT_TRUE(q.expertsInt8());
    EXPECT_FALSE(bf16.value()->expertsInt8());
    EXPECT_NE(q.identity(), bf16.value()->identity());
    for (int l = 0; l < q.config().num_layers; ++l) {
      const LayerWeights& lw = q.layer(l);
      EXPECT_EQ(lw.router.dtype, bf16.value()->layer(l).router.dtype);  // routers are not quantised
      for (const ExpertWeights& ew : lw.experts) {
        for (const WeightMatrix* w : {&ew.w1, &ew.w3, &ew.w2}) {
          ASSERT_EQ(w->dtype, folio::kernels::DType::I8);
          ASSERT_NE(w->row_scales, nullptr);
          // symmetric per row: the largest magnitude of every non-zero row maps to ±127
          const auto* d = static_cast<const int8_t*>(w->data);
          for (int64_t n = 0; n < w->rows; ++n) {
            int mx = 0;
            for (int64_t k = 0; k < w->cols; ++k) mx = std::max(mx, std::abs(int{d[n * w->cols + k]}));
            EXPECT_EQ(mx, w->row_scales[n] > 0 ? 127 : 0);
          }
        }
      }
    }
    EXPECT_EQ(q.embedding().dtype, bf16.value()->embedding().dtype);
    const std::vector<int32_t> ids = fixedPrompt(200);
    const std::vector<float> a = promptLogits(int8.value(), ids), b = promptLogits(bf16.value(), ids);
    ASSERT_EQ(a.size(), b.size());
    double num = 0, den = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      num += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
      den += double(b[i]) * b[i];
    }
    const double err = std::sqrt(num / den);
    std::printf("[ int8 ] %s: logits rel L2 vs bf16 experts %.3e over %zu tokens\n", name.c_str(), err, ids.size());
    EXPECT_LT(err, 5e-2) << name;  // tiny random fixtures: 2.4e-2 and 5.4e-3 measured
    EXPECT_GT(err, 0.0) << name << ": quantisation must change something";
  }
}
