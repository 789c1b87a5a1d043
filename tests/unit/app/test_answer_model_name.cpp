// The model that wrote an answer, by name: described from the loaded model (directory, type, size, τ,
// int8 experts), stored with the answer (schema v7) next to its identity hash, and shown by reports and
// the JSON answer; answers stored by a v6 library survive the upgrade and are shown by their hash.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "app/pipeline/answer_store.h"
#include "app/pipeline/model_description.h"
#include "app/report/report_builder.h"
#include "ingest/library/library.h"
#include "ingest/library/schema.h"
#include "unit/ingest/test_library_util.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;
using ingest::test::TempDir;

const fs::path kTinyModel = fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls";

AnswerRecord modelAnswer(const std::string& question) {
  AnswerRecord a;
  a.question = question;
  a.model = "fnv1a64:0123456789abcdef/fedcba9876543210";
  a.model_name = "MiniMax-M1-40k — minimax_m1, 456B parameters, τ 0.5";
  a.text = "Thirty days [1].";
  a.finish_reason = "eos";
  StageUsage reason;
  reason.stage = "reason";
  reason.engine = a.model;
  reason.calls = 1;
  a.usage.stages.push_back(reason);
  return a;
}

TEST(ModelDescription, CountsWithThreeSignificantDigits) {
  EXPECT_EQ(formatParameterCount(37), "37");
  EXPECT_EQ(formatParameterCount(177536), "178K");
  EXPECT_EQ(formatParameterCount(999950), "1M");  // not "1e+03K"
  EXPECT_EQ(formatParameterCount(1234567), "1.23M");
  EXPECT_EQ(formatParameterCount(45'900'000'000), "45.9B");
  EXPECT_EQ(formatParameterCount(456'000'000'000), "456B");
}

TEST(ModelDescription, NamesTheDirectoryTypeSizeAndTheSettingsThatApplied) {
  auto rt = loadModelRuntime(kTinyModel);
  ASSERT_TRUE(rt) << rt.error().message;
  // 177,536 elements in the fixture's safetensors header.
  EXPECT_EQ(parameterCount(rt->model->weights()), 177536);
  EXPECT_EQ(describeModel(*rt, 1.0), "tiny-f32-h4-ls — minimax_m1, 178K parameters");
  EXPECT_EQ(describeModel(*rt, 0.5), "tiny-f32-h4-ls — minimax_m1, 178K parameters, τ 0.5");
  engine::ModelLoadOptions int8;
  int8.experts_int8 = true;
  auto quantised = loadModelRuntime(kTinyModel, int8);
  ASSERT_TRUE(quantised) << quantised.error().message;
  EXPECT_EQ(describeModel(*quantised, 1.0), "tiny-f32-h4-ls — minimax_m1, 178K parameters, experts int8");
}

TEST(AnswerModelName, AStoredAnswerRoundTripsItsNameAndHash) {
  TempDir dir;
  auto lib = ingest::Library::open(dir.path() / "lib.sqlite");
  ASSERT_TRUE(lib) << lib.error().message;
  AnswerRecord a = modelAnswer("What is the notice period?");
  ASSERT_TRUE(storeAnswer(lib->db(), a));
  auto back = loadAnswer(lib->db(), a.id);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->model, a.model);
  EXPECT_EQ(back->model_name, a.model_name);
  EXPECT_EQ(answerModelName(*back), a.model_name);
  const auto j = answerJson(*back);
  EXPECT_EQ(j["model"], a.model);
  EXPECT_EQ(j["model_name"], a.model_name);
  EXPECT_EQ(j["label"], "Model answer");

  auto report = answerReport(*lib, a.id);
  ASSERT_TRUE(report) << report.error().message;
  const ReportSection& s = report->sections.at(0);
  EXPECT_EQ(s.label, "Model answer (MiniMax-M1-40k — minimax_m1, 456B parameters, τ 0.5)");
  ASSERT_EQ(s.budgets.size(), 1u);
  EXPECT_EQ(s.budgets[0].engine, a.model_name);
  bool identity_listed = false;
  for (const auto& [key, value] : s.facts) identity_listed = identity_listed || (key == "Model identity" && value == a.model);
  EXPECT_TRUE(identity_listed);
}

// The identity hash of the model that wrote old answer `i`.
std::string oldHash(size_t i) { return "fnv1a64:" + std::to_string(1000 + i) + "/1"; }

// A library last written by the previous Folio (schema v6) with answers in it, stored as v6 stored them.
void createV6LibraryWithAnswers(const fs::path& path, size_t answers) {
  auto db = ingest::Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(ingest::migrate(*db, 6));
  for (size_t i = 0; i < answers; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(db->exec("INSERT INTO questions(text, created_at) VALUES('question " + n + "', 1700000000)"));
    ASSERT_TRUE(db->exec("INSERT INTO answers(question_id, model, text, usage_json, created_at) VALUES(" +
                         std::to_string(db->lastInsertRowid()) + ", '" + oldHash(i) + "', 'answer " + n +
                         "', '{\"stages\":[{\"stage\":\"reason\",\"engine\":\"" + oldHash(i) +
                         "\",\"calls\":1}]}', 1700000000)"));
  }
}

TEST(AnswerModelName, UpgradingAV6LibraryKeepsEveryAnswerAndShowsOldOnesByTheirHash) {
  TempDir dir;
  const fs::path path = dir.path() / "v6.sqlite";
  createV6LibraryWithAnswers(path, 12);
  auto lib = ingest::Library::open(path);
  ASSERT_TRUE(lib) << lib.error().message;
  EXPECT_EQ(*ingest::schemaVersion(lib->db()), ingest::kSchemaVersion);
  auto ids = answerIds(lib->db(), std::nullopt);
  ASSERT_TRUE(ids) << ids.error().message;
  ASSERT_EQ(ids->size(), 12u);
  for (size_t i = 0; i < ids->size(); ++i) {
    auto a = loadAnswer(lib->db(), (*ids)[i]);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->text, "answer " + std::to_string(i));
    EXPECT_EQ(a->model, oldHash(i));
    EXPECT_EQ(a->model_name, "");
    EXPECT_TRUE(answerJson(*a)["model_name"].is_null());
  }
  auto report = answerReport(*lib, ids->front());
  ASSERT_TRUE(report) << report.error().message;
  const ReportSection& s = report->sections.at(0);
  EXPECT_EQ(s.label, "Model answer (model identity fnv1a64:1000/1)");
  ASSERT_EQ(s.budgets.size(), 1u);
  EXPECT_EQ(s.budgets[0].engine, "model identity fnv1a64:1000/1");
  // A new answer in the upgraded library has its name.
  AnswerRecord fresh = modelAnswer("And now?");
  ASSERT_TRUE(storeAnswer(lib->db(), fresh));
  EXPECT_EQ(loadAnswer(lib->db(), fresh.id)->model_name, fresh.model_name);
}

}  // namespace
}  // namespace folio::app
