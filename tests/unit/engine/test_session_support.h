// Helpers shared by the session tests: fixture models, sessions and prompts.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/model/model.h"
#include "engine/model/session.h"

namespace folio::engine::test {

inline std::shared_ptr<const Model> loadFixtureModel(const std::string& name) {
  auto m = Model::load(std::filesystem::path(FOLIO_FIXTURES_DIR) / "models" / name);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? m.value() : nullptr;
}

inline std::unique_ptr<Session> openSession(std::shared_ptr<const Model> model, const SessionOptions& o) {
  auto s = Session::create(std::move(model), o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(s.value()) : nullptr;
}

// A fixed pseudo-random prompt of n ids below 306 (the tiny tokenizer's non-special ids).
inline std::vector<int32_t> fixedPrompt(size_t n, uint32_t stride = 7919) {
  std::vector<int32_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = static_cast<int32_t>((i * stride + 13) % 306);
  return ids;
}

}  // namespace folio::engine::test
