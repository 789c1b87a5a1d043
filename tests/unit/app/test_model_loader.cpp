// ModelLoader (the GUI's model panel): the same unchanged directory is read from disk once however many
// questions run on it, and read again when its files change, another directory is chosen, or nobody
// holds the runtime any more. Questions go through the real pipeline (runChat on the CPU backend).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "app/pipeline/model_loader.h"
#include "support/safetensors_writer.h"

namespace folio::app {
namespace {

namespace fs = std::filesystem;

// A private copy of the tiny fixture model, so its files can be touched.
fs::path copyFixtureModel() {
  const fs::path dir = test::freshTempDir("loader");
  fs::copy(fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls", dir, fs::copy_options::recursive);
  return dir;
}

void ask(const ModelRuntime& rt) {
  PromptTokens prompt;
  prompt.suffix = rt.tokenizer->encode("Which clause sets the notice period?");
  ChatGeneration gen;
  gen.context_window = 256;
  gen.max_output_tokens = 4;
  StageUsage usage;
  auto out = runChat(rt, prompt, gen, usage);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_GT(usage.prompt_tokens, 0);
}

TEST(ModelLoader, OneLoadAcrossQuestions) {
  const fs::path dir = copyFixtureModel();
  ModelLoader loader;
  std::vector<std::shared_ptr<const ModelRuntime>> held;
  for (int question = 0; question < 3; ++question) {
    auto rt = loader.load(dir);
    ASSERT_TRUE(rt.ok()) << rt.error().message;
    ask(**rt);
    held.push_back(*rt);
  }
  EXPECT_EQ(loader.loads(), 1);
  EXPECT_EQ(held[1], held[0]);
  EXPECT_EQ(held[2]->model, held[0]->model);
  auto same_path_spelled_differently = loader.load(dir / "." / ".." / dir.filename());
  ASSERT_TRUE(same_path_spelled_differently.ok());
  EXPECT_EQ(*same_path_spelled_differently, held[0]);
  EXPECT_EQ(loader.loads(), 1);
  fs::remove_all(dir);
}

TEST(ModelLoader, ReloadsWhenTheModelChanges) {
  const fs::path a = copyFixtureModel(), b = copyFixtureModel();
  ModelLoader loader;
  auto first = loader.load(a);
  ASSERT_TRUE(first.ok()) << first.error().message;

  // a file rewritten in place (same size, newer time)
  fs::last_write_time(a / "config.json", fs::last_write_time(a / "config.json") + std::chrono::seconds(5));
  auto touched = loader.load(a);
  ASSERT_TRUE(touched.ok());
  EXPECT_NE(touched->get()->model, first->get()->model);
  EXPECT_EQ(loader.loads(), 2);

  auto other = loader.load(b);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(loader.loads(), 3);
  ask(**other);

  // only the last model is kept: back to `a` reads it again
  auto back = loader.load(a);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(loader.loads(), 4);

  // nobody holds the runtime any more: it was freed, so the next request loads it afresh
  const std::weak_ptr<const engine::Model> freed = back->get()->model;
  first = Error{};
  touched = Error{};
  back = Error{};
  EXPECT_TRUE(freed.expired());
  auto again = loader.load(a);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(loader.loads(), 5);
  fs::remove_all(a);
  fs::remove_all(b);
}

// Two front-end requests for the same model at once read it once.
TEST(ModelLoader, ConcurrentRequestsShareOneLoad) {
  const fs::path dir = copyFixtureModel();
  ModelLoader loader;
  std::shared_ptr<const ModelRuntime> got[2];
  std::thread t0([&] { got[0] = *loader.load(dir); });
  std::thread t1([&] { got[1] = *loader.load(dir); });
  t0.join();
  t1.join();
  EXPECT_EQ(got[0], got[1]);
  EXPECT_EQ(loader.loads(), 1);
  fs::remove_all(dir);
}

TEST(ModelLoader, AFailedLoadNamesTheFileAndKeepsNothing) {
  const fs::path dir = test::freshTempDir("loader-empty");
  ModelLoader loader;
  auto r = loader.load(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("config.json"), std::string::npos) << r.error().message;
  EXPECT_EQ(loader.loads(), 0);
  fs::copy(fs::path(FOLIO_FIXTURES_DIR) / "models" / "tiny-f32-h4-ls", dir, fs::copy_options::recursive);
  auto fixed = loader.load(dir);
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(loader.loads(), 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace folio::app
