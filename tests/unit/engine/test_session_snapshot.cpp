// State snapshots: round trip, and refusal of another model's snapshot, truncated or corrupt files,
// a future version and a snapshot larger than the session's capacity.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "engine/model/model.h"
#include "engine/model/session.h"
#include "engine/model/snapshot.h"
#include "unit/engine/test_session_support.h"

namespace fs = std::filesystem;
using namespace folio;
using namespace folio::engine;

namespace {

std::shared_ptr<const Model> loadFixture(const std::string& name) { return test::loadFixtureModel(name); }

std::unique_ptr<Session> open(std::shared_ptr<const Model> model, int64_t capacity = 256) {
  SessionOptions o;
  o.context_capacity = capacity;
  o.prefill_chunk = 20;
  return test::openSession(std::move(model), o);
}

std::vector<int32_t> prompt(size_t n) { return test::fixedPrompt(n, 31); }

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = loadFixture("tiny-f32-h4-ls");  // lightning + softmax layer
    ASSERT_TRUE(model_);
    dir_ = fs::temp_directory_path() / ("folio_snapshot_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    session_ = open(model_);
    ASSERT_TRUE(session_->prefill(prompt(45)).ok());
    ASSERT_TRUE(session_->decode(7).ok());  // leaves deferred lightning decay pending
    path_ = dir_ / "state.bin";
    ASSERT_TRUE(session_->saveState(path_).ok());
    bytes_ = slurp(path_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Loads `bytes` into a fresh session; returns the error message ("" on success).
  std::string loadBytes(const std::string& bytes, std::shared_ptr<const Model> model = nullptr,
                        int64_t capacity = 256) {
    const fs::path p = dir_ / "other.bin";
    spit(p, bytes);
    auto s = open(model ? model : model_, capacity);
    Status st = s->loadState(p);
    return st.ok() ? "" : st.error().message;
  }

  std::shared_ptr<const Model> model_;
  std::unique_ptr<Session> session_;
  fs::path dir_, path_;
  std::string bytes_;
};

}  // namespace

TEST_F(SnapshotTest, RoundTripRestoresEverything) {
  auto s = open(model_);
  ASSERT_TRUE(s->loadState(path_).ok());
  EXPECT_EQ(s->position(), 46);
  EXPECT_EQ(s->tokens(), session_->tokens());
  ASSERT_EQ(s->lastLogits().size(), session_->lastLogits().size());
  EXPECT_EQ(0, std::memcmp(s->lastLogits().data(), session_->lastLogits().data(), s->lastLogits().size() * 4));
  // saving the restored session gives the same bytes
  const fs::path again = dir_ / "again.bin";
  ASSERT_TRUE(s->saveState(again).ok());
  EXPECT_EQ(slurp(again), bytes_);
  // and both continue identically
  ASSERT_TRUE(s->decode(9).ok());
  ASSERT_TRUE(session_->decode(9).ok());
  EXPECT_EQ(0, std::memcmp(s->lastLogits().data(), session_->lastLogits().data(), s->lastLogits().size() * 4));
}

TEST_F(SnapshotTest, EmptySessionRoundTrips) {
  auto a = open(model_);
  ASSERT_TRUE(a->saveState(dir_ / "empty.bin").ok());
  auto b = open(model_);
  ASSERT_TRUE(b->prefill(prompt(3)).ok());
  ASSERT_TRUE(b->loadState(dir_ / "empty.bin").ok());
  EXPECT_EQ(b->position(), 0);
  EXPECT_TRUE(b->lastLogits().empty());
}

TEST_F(SnapshotTest, RefusesAnotherModel) {
  const std::string err = loadBytes(bytes_, loadFixture("tiny-f32-h4-shared-text01"));
  EXPECT_NE(err.find("another model"), std::string::npos) << err;
}

TEST_F(SnapshotTest, RefusesTruncatedAndCorruptFiles) {
  for (size_t keep : {size_t{0}, size_t{5}, size_t{20}, bytes_.size() / 2, bytes_.size() - 1}) {
    const std::string err = loadBytes(bytes_.substr(0, keep));
    EXPECT_FALSE(err.empty()) << "truncated to " << keep;
    EXPECT_NE(err.find("other.bin"), std::string::npos) << err;
  }
  for (size_t at : {size_t{40}, bytes_.size() / 3, bytes_.size() - 100, bytes_.size() - 3}) {
    std::string bad = bytes_;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    const std::string err = loadBytes(bad);
    EXPECT_NE(err.find("checksum"), std::string::npos) << "flipped byte " << at << ": " << err;
  }
  EXPECT_NE(loadBytes("not a snapshot at all").find("magic"), std::string::npos);
  // a failed load leaves the session as it was
  auto s = open(model_);
  ASSERT_TRUE(s->prefill(prompt(4)).ok());
  spit(dir_ / "bad.bin", bytes_.substr(0, 100));
  EXPECT_FALSE(s->loadState(dir_ / "bad.bin").ok());
  EXPECT_EQ(s->position(), 4);
  EXPECT_FALSE(s->loadState(dir_ / "missing.bin").ok());
}

TEST_F(SnapshotTest, RefusesFutureVersion) {
  std::string future = bytes_;
  const uint32_t v = kSnapshotVersion + 1;
  std::memcpy(future.data() + 8, &v, 4);
  auto s = open(model_);
  spit(dir_ / "future.bin", future);
  Status st = s->loadState(dir_ / "future.bin");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::Unsupported);
  EXPECT_NE(st.error().message.find("newer"), std::string::npos) << st.error().message;
}

TEST_F(SnapshotTest, RefusesMoreTokensThanCapacity) {
  const std::string err = loadBytes(bytes_, nullptr, 30);
  EXPECT_NE(err.find("capacity"), std::string::npos) << err;
}

TEST_F(SnapshotTest, DecodeRejectsValidChecksumWithInconsistentContent) {
  // a well-formed checksum over a wrong layer count must still be refused
  auto state = decodeSnapshot(bytes_, *model_, 256, "x");
  ASSERT_TRUE(state.ok()) << state.error().message;
  SessionState tampered = state.value();
  tampered.layers.pop_back();
  const std::string bytes = encodeSnapshot(tampered, *model_);
  auto again = decodeSnapshot(bytes, *model_, 256, "tampered.bin");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("layers"), std::string::npos) << again.error().message;
}
