// WeightStore::open on tiny checkpoints written by the test (single file and sharded), then one defect
// at a time: a missing tensor, a wrong shape, a missing shard, an index that lies. Also every fixture
// model under tests/fixtures/models and the tensor list of the real MiniMax-M1 index.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/common/file_io.h"
#include "engine/weights/expected_tensors.h"
#include "engine/weights/weight_store.h"
#include "support/safetensors_writer.h"

namespace fs = std::filesystem;
using folio::ErrorKind;
using folio::engine::WeightStore;
using folio::test::StTensor;
using nlohmann::json;

namespace {

using folio::test::shardFileName;
using folio::test::TinyModel;
using folio::test::tinyModelConfigJson;
using folio::test::tinyModelTensors;
using folio::test::writeModelDir;

folio::Result<std::unique_ptr<WeightStore>> openDir(const fs::path& dir) {
  auto config = folio::engine::loadModelConfig(dir);
  if (!config.ok()) return config.error();
  return WeightStore::open(dir, *config);
}

void expectError(const fs::path& dir, ErrorKind kind, std::initializer_list<std::string> words) {
  auto r = openDir(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, kind) << r.error().message;
  for (const std::string& w : words) EXPECT_NE(r.error().message.find(w), std::string::npos) << r.error().message;
  fs::remove_all(dir);
}

std::vector<StTensor> without(std::vector<StTensor> v, const std::string& name) {
  v.erase(std::remove_if(v.begin(), v.end(), [&](const StTensor& t) { return t.name == name; }), v.end());
  return v;
}

}  // namespace

TEST(WeightStore, OpensASingleFileModel) {
  const TinyModel tiny;
  const auto tensors = tinyModelTensors(tiny);
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tensors);
  auto r = openDir(dir);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const WeightStore& w = **r;
  EXPECT_EQ(w.names().size(), tensors.size());
  uint64_t bytes = 0;
  for (const StTensor& t : tensors) bytes += folio::test::stTensorBytes(t);
  EXPECT_EQ(w.totalBytes(), bytes);

  const auto& qkv = w.get("model.layers.0.self_attn.qkv_proj.weight");
  EXPECT_EQ(qkv.dtype, folio::kernels::DType::BF16);
  EXPECT_EQ(qkv.shape, (std::vector<int64_t>{24, 8}));
  EXPECT_EQ(qkv.rows(), 24);
  EXPECT_EQ(qkv.cols(), 8);
  EXPECT_EQ(qkv.numel(), 192);
  // The view points at this tensor's bytes: the writer's pattern (i * 37 + k) & 0xff, i = its index.
  const size_t i = 2;  // embed, input_layernorm, qkv_proj
  ASSERT_EQ(tensors[i].name, "model.layers.0.self_attn.qkv_proj.weight");
  const auto* p = static_cast<const uint8_t*>(qkv.data);
  for (size_t k = 0; k < 384; ++k) ASSERT_EQ(p[k], static_cast<uint8_t>((i * 37 + k) & 0xff)) << k;

  EXPECT_EQ(w.get("model.layers.1.block_sparse_moe.gate.weight").dtype, folio::kernels::DType::F32);
  EXPECT_EQ(w.find("model.layers.0.self_attn.q_proj.weight"), nullptr);  // lightning layer has none
  fs::remove_all(dir);
}

TEST(WeightStore, IdentityIsStableAndFollowsTheHeaders) {
  const TinyModel tiny;
  const fs::path a = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny));
  const fs::path b = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny));
  auto ra = openDir(a), rb = openDir(b), ra2 = openDir(a);
  ASSERT_TRUE(ra.ok() && rb.ok() && ra2.ok());
  EXPECT_EQ((*ra)->identity(), (*ra2)->identity());
  EXPECT_EQ((*ra)->identity(), (*rb)->identity());  // same headers and sizes, another directory
  EXPECT_EQ((*ra)->identity().rfind("fnv1a64:", 0), 0u);

  // Same shapes, a router stored in BF16 instead of F32: another checkpoint, another identity.
  auto tensors = tinyModelTensors(tiny);
  for (auto& t : tensors) {
    if (t.name.find("gate.weight") != std::string::npos && t.name.find("block_sparse_moe") != std::string::npos) t.dtype = "BF16";
  }
  const fs::path c = writeModelDir(tinyModelConfigJson(tiny), tensors);
  auto rc = openDir(c);
  ASSERT_TRUE(rc.ok()) << rc.error().message;  // the router may be any float dtype
  EXPECT_NE((*rc)->identity(), (*ra)->identity());
  for (const auto& d : {a, b, c}) fs::remove_all(d);
}

TEST(WeightStore, OpensAShardedModel) {
  const TinyModel tiny{.shared = true};
  const auto tensors = tinyModelTensors(tiny);
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tensors, 3);
  auto r = openDir(dir);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)->names().size(), tensors.size());
  EXPECT_EQ((*r)->get("model.layers.1.coefficient.weight").shape, (std::vector<int64_t>{1, 8}));
  EXPECT_EQ((*r)->get("model.layers.0.shared_mlp.down_proj.weight").shape, (std::vector<int64_t>{8, 5}));
  fs::remove_all(dir);
}

TEST(WeightStore, TiedEmbeddingsServeTheHead) {
  const TinyModel tiny{.tied = true};
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny));
  auto r = openDir(dir);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)->get("lm_head.weight").data, (*r)->get("model.embed_tokens.weight").data);
  fs::remove_all(dir);
}

TEST(WeightStore, MissingTensorIsNamed) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), without(tinyModelTensors(tiny), "model.layers.1.self_attn.k_proj.weight"));
  expectError(dir, ErrorKind::BadInput,
              {"model.safetensors", "tensor 'model.layers.1.self_attn.k_proj.weight' is missing", "[4, 8]"});
}

TEST(WeightStore, MissingLmHeadWhenNotTied) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), without(tinyModelTensors(tiny), "lm_head.weight"));
  expectError(dir, ErrorKind::BadInput, {"'lm_head.weight' is missing"});
}

TEST(WeightStore, WrongShapeIsNamedWithBothShapes) {
  const TinyModel tiny;
  auto tensors = tinyModelTensors(tiny);
  // (shape [8, 4] is fine for the safetensors rules; only the config says otherwise)
  tensors[5].shape = {8, 4};
  ASSERT_EQ(tensors[5].name, "model.layers.0.self_attn.out_proj.weight");
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tensors);
  expectError(dir, ErrorKind::BadInput,
              {"model.safetensors: tensor 'model.layers.0.self_attn.out_proj.weight': shape [8, 4] but the config "
               "implies [8, 8]"});
}

TEST(WeightStore, WrongExpertShapeInAShard) {
  const TinyModel tiny;
  auto tensors = tinyModelTensors(tiny);
  for (auto& t : tensors) {
    if (t.name == "model.layers.1.block_sparse_moe.experts.1.w2.weight") t.shape = {6, 8};  // transposed
  }
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tensors, 3);
  expectError(dir, ErrorKind::BadInput,
              {"model-00002-of-00003.safetensors: tensor 'model.layers.1.block_sparse_moe.experts.1.w2.weight': shape "
               "[6, 8] but the config implies [8, 6]"});
}

TEST(WeightStore, UnknownDtypeSurfacesWithTheFile) {
  const TinyModel tiny;
  auto tensors = tinyModelTensors(tiny);
  tensors[0].dtype = "I8";
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tensors);
  expectError(dir, ErrorKind::BadInput,
              {"model.safetensors: tensor 'model.embed_tokens.weight': unsupported dtype 'I8'"});
}

TEST(WeightStore, MissingShardIsNamed) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny), 3);
  fs::remove(dir / shardFileName(1, 3));
  expectError(dir, ErrorKind::NotFound, {"model-00001-of-00003.safetensors: missing", "model.safetensors.index.json"});
}

TEST(WeightStore, IndexNamingTheWrongShard) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny), 3);
  json index = json::parse(folio::test::readBinaryFile(dir / "model.safetensors.index.json"));
  index["weight_map"]["model.norm.weight"] = shardFileName(0, 3);
  folio::test::writeBinaryFile(dir / "model.safetensors.index.json", index.dump());
  expectError(dir, ErrorKind::BadInput,
              {"model-00000-of-00003.safetensors: tensor 'model.norm.weight' is listed in", "not in this shard",
               "found in model-00002-of-00003.safetensors"});
}

TEST(WeightStore, IndexListingATensorNoShardHas) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny), 2);
  json index = json::parse(folio::test::readBinaryFile(dir / "model.safetensors.index.json"));
  index["weight_map"]["model.extra.weight"] = shardFileName(1, 2);
  folio::test::writeBinaryFile(dir / "model.safetensors.index.json", index.dump());
  expectError(dir, ErrorKind::BadInput, {"tensor 'model.extra.weight'", "not in this shard"});
}

TEST(WeightStore, IndexTotalSizeMustAddUp) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny), 2);
  json index = json::parse(folio::test::readBinaryFile(dir / "model.safetensors.index.json"));
  const uint64_t real = index["metadata"]["total_size"].get<uint64_t>();
  index["metadata"]["total_size"] = real + 2;
  folio::test::writeBinaryFile(dir / "model.safetensors.index.json", index.dump());
  expectError(dir, ErrorKind::BadInput, {"total_size is " + std::to_string(real + 2), "hold " + std::to_string(real)});
}

TEST(WeightStore, IndexCannotPointOutsideTheDirectory) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny), 2);
  json index = json::parse(folio::test::readBinaryFile(dir / "model.safetensors.index.json"));
  index["weight_map"]["model.norm.weight"] = "../elsewhere.safetensors";
  folio::test::writeBinaryFile(dir / "model.safetensors.index.json", index.dump());
  expectError(dir, ErrorKind::BadInput, {"'model.norm.weight'", "expected a file name in the model directory"});
}

TEST(WeightStore, ATensorInTwoShardsIsRefused) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny), 2);
  // Shard 0 gets an extra copy of a tensor that shard 1 holds.
  auto tensors = tinyModelTensors(tiny);
  const size_t half = (tensors.size() + 1) / 2;
  std::vector<StTensor> first(tensors.begin(), tensors.begin() + static_cast<long>(half));
  first.push_back({"model.norm.weight", "BF16", {8}, {}});
  folio::test::writeBinaryFile(dir / shardFileName(0, 2), folio::test::safetensorsFile(first));
  expectError(dir, ErrorKind::BadInput, {"tensor 'model.norm.weight' is also in"});
}

TEST(WeightStore, CorruptShardHeaderNamesTheShard) {
  const TinyModel tiny;
  const fs::path dir = writeModelDir(tinyModelConfigJson(tiny), tinyModelTensors(tiny), 2);
  std::string bytes = folio::test::readBinaryFile(dir / shardFileName(1, 2));
  bytes.resize(bytes.size() - 10);  // a truncated download
  folio::test::writeBinaryFile(dir / shardFileName(1, 2), bytes);
  expectError(dir, ErrorKind::BadInput, {shardFileName(1, 2), "run past the data section"});
}

TEST(WeightStore, NoWeightsAtAll) {
  const TinyModel tiny;
  const fs::path dir = folio::test::freshTempDir("weights");
  folio::test::writeBinaryFile(dir / "config.json", tinyModelConfigJson(tiny));
  expectError(dir, ErrorKind::NotFound, {"no model.safetensors and no model.safetensors.index.json"});
}

TEST(WeightStore, ExpectedTensorsMatchTheMiniMaxM1Release) {
  // The real index lists exactly the tensors the real config implies (8,243 of them).
  const fs::path m1 = fs::path(FOLIO_SHARED_DIR) / "models" / "minimax-m1";
  auto config = folio::engine::loadModelConfig(m1);
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto text = folio::readFile(m1 / "model.safetensors.index.json");
  ASSERT_TRUE(text.ok()) << text.error().message;
  std::set<std::string> listed;
  const json index = json::parse(*text);
  for (const auto& [name, shard] : index["weight_map"].items()) listed.insert(name);
  std::set<std::string> implied;
  for (const auto& t : folio::engine::expectedTensors(*config)) implied.insert(t.name);
  EXPECT_EQ(implied.size(), 8243u);
  EXPECT_EQ(listed, implied);
}

TEST(WeightStore, OpensEveryFixtureModel) {
  const fs::path root = fs::path(FOLIO_FIXTURES_DIR) / "models";
  int opened = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (!fs::exists(entry.path() / "config.json")) continue;
    SCOPED_TRACE(entry.path().string());
    auto r = openDir(entry.path());
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto config = folio::engine::loadModelConfig(entry.path());
    const auto expected = folio::engine::expectedTensors(*config);
    for (const auto& t : expected) EXPECT_EQ((*r)->get(t.name).shape, t.shape) << t.name;
    EXPECT_FALSE((*r)->identity().empty());
    ++opened;
  }
  if (opened == 0) GTEST_SKIP() << "no fixture models under " << root;
}
