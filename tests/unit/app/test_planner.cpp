// Planner: fits -> inline, one token over -> summarize-then-reason, and the budget arithmetic exact.
#include <gtest/gtest.h>

#include "app/pipeline/planner.h"

namespace folio::app {
namespace {

PlanInput input(int64_t window, std::vector<int64_t> doc_tokens, int64_t summary_tokens = 0) {
  PlanInput in;
  in.question_tokens = 20;
  in.budgets = {window, 1000, 500, 80};
  int64_t id = 1;
  for (int64_t t : doc_tokens) in.documents.push_back({id++, "doc" + std::to_string(id), t, summary_tokens, 3});
  return in;
}

TEST(Planner, FitsExactlyIsInline) {
  // available = 10000 - 1000 - 500 - 80 - 20 = 8400
  auto plan = makePlan(input(10000, {4000, 4400}));
  EXPECT_EQ(plan.available_tokens, 8400);
  EXPECT_EQ(plan.mode, kModeInline);
  EXPECT_EQ(plan.context_tokens, 8400);
  EXPECT_EQ(plan.prompt_tokens + plan.budgets.thinking_budget + plan.budgets.answer_budget, plan.budgets.context_window);
  EXPECT_TRUE(plan.left_out.empty());
  ASSERT_EQ(plan.stages.size(), 1u);
  EXPECT_EQ(plan.stages[0].stage, "reason");
}

TEST(Planner, OneTokenOverIsSummarizeThenReason) {
  auto plan = makePlan(input(10000, {4000, 4401}));
  EXPECT_EQ(plan.mode, kModeSummarize);
  EXPECT_EQ(plan.document_tokens, 8401);
  ASSERT_EQ(plan.left_out.size(), 1u);
  EXPECT_NE(plan.left_out[0].why.find("8400"), std::string::npos);
  ASSERT_EQ(plan.stages.size(), 3u);
  EXPECT_EQ(plan.stages[0].stage, "map");
  EXPECT_EQ(plan.stages[0].input_tokens, 8401);
  EXPECT_EQ(plan.stages[1].stage, "reduce");
  EXPECT_EQ(plan.stages[2].stage, "reason");
  EXPECT_EQ(plan.stages[2].output_budget, 1500);
}

TEST(Planner, SectionSummariesInlineOnlyWhenTheyFit) {
  // 2 × (4000 + 200) = 8400 fits with summaries.
  auto with = makePlan(input(10000, {4000, 4000}, 200));
  EXPECT_EQ(with.mode, kModeInline);
  EXPECT_TRUE(with.inline_summaries);
  EXPECT_EQ(with.context_tokens, 8400);
  // 2 × (4000 + 201) does not; the documents alone still do.
  auto without = makePlan(input(10000, {4000, 4000}, 201));
  EXPECT_EQ(without.mode, kModeInline);
  EXPECT_FALSE(without.inline_summaries);
  EXPECT_EQ(without.context_tokens, 8000);
  ASSERT_EQ(without.left_out.size(), 1u);
  EXPECT_NE(without.left_out[0].what.find("section summaries"), std::string::npos);
}

TEST(Planner, BudgetsLargerThanTheWindowLeaveNothing) {
  auto plan = makePlan(input(1500, {10}));
  EXPECT_EQ(plan.available_tokens, 0);
  EXPECT_EQ(plan.mode, kModeSummarize);
}

TEST(Planner, ThinkingBudgetMovesTheBoundary) {
  auto in = input(10000, {8400});
  EXPECT_EQ(makePlan(in).mode, kModeInline);
  in.budgets.thinking_budget += 1;
  EXPECT_EQ(makePlan(in).mode, kModeSummarize);
}

TEST(Planner, JsonRoundTrip) {
  auto plan = makePlan(input(10000, {4000, 4401}, 50));
  const auto j = planJson(plan);
  EXPECT_EQ(j["mode"], kModeSummarize);
  EXPECT_EQ(j["budgets"]["thinking_budget"], 1000);
  EXPECT_EQ(j["documents"].size(), 2u);
  const auto back = planFromJson(j);
  EXPECT_EQ(back.mode, plan.mode);
  EXPECT_EQ(back.available_tokens, plan.available_tokens);
  EXPECT_EQ(back.budgets.answer_budget, 500);
  EXPECT_EQ(back.stages.size(), plan.stages.size());
  EXPECT_EQ(back.left_out.size(), plan.left_out.size());
  // A stored answer's report lists the documents the plan weighed.
  ASSERT_EQ(back.documents.size(), plan.documents.size());
  for (size_t i = 0; i < plan.documents.size(); ++i) {
    EXPECT_EQ(back.documents[i].id, plan.documents[i].id);
    EXPECT_EQ(back.documents[i].path, plan.documents[i].path);
    EXPECT_EQ(back.documents[i].tokens, plan.documents[i].tokens);
    EXPECT_EQ(back.documents[i].summary_tokens, plan.documents[i].summary_tokens);
    EXPECT_EQ(back.documents[i].chunks, plan.documents[i].chunks);
  }
}

}  // namespace
}  // namespace folio::app
