// config.json parsing: the real MiniMax-M1 release file, the three spellings, and each validation rule
// with the field its error must name.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "engine/model_config.h"

using folio::ErrorKind;
using folio::engine::AttnType;
using folio::engine::ModelConfig;
using folio::engine::parseModelConfig;
using nlohmann::json;

namespace {

const std::string kM1Dir = std::string(FOLIO_SHARED_DIR) + "/models/minimax-m1";

// A small valid config in the release spelling; tests change one thing at a time.
json tinyRelease() {
  return json{{"model_type", "minimax_m1"},
              {"hidden_size", 64},
              {"num_hidden_layers", 4},
              {"num_attention_heads", 4},
              {"num_key_value_heads", 2},
              {"head_dim", 16},
              {"vocab_size", 320},
              {"num_local_experts", 8},
              {"num_experts_per_tok", 2},
              {"intermediate_size", 32},
              {"shared_intermediate_size", 0},
              {"rotary_dim", 8},
              {"rope_theta", 10000000},
              {"rms_norm_eps", 1e-5},
              {"postnorm", true},
              {"tie_word_embeddings", false},
              {"attn_type_list", {0, 1, 0, 1}},
              {"layernorm_linear_attention_alpha", 1.5},
              {"layernorm_linear_attention_beta", 1.1},
              {"layernorm_full_attention_alpha", 1.25},
              {"layernorm_full_attention_beta", 0.9},
              {"layernorm_mlp_alpha", 1.75},
              {"layernorm_mlp_beta", 0.8}};
}

folio::Result<ModelConfig> parse(const json& j) { return parseModelConfig(j.dump(), "config.json"); }

// Expects a BadInput error whose message contains every one of `words`.
void expectError(const json& j, std::initializer_list<std::string> words) {
  auto r = parse(j);
  ASSERT_FALSE(r.ok()) << j.dump();
  EXPECT_EQ(r.error().kind, ErrorKind::BadInput);
  for (const std::string& w : words) EXPECT_NE(r.error().message.find(w), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.rfind("config.json: ", 0), 0u) << r.error().message;
}

}  // namespace

TEST(ModelConfig, ReadsTheMiniMaxM1Release) {
  auto r = folio::engine::loadModelConfig(kM1Dir);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ModelConfig& c = *r;
  EXPECT_EQ(c.model_type, "minimax_m1");
  EXPECT_EQ(c.hidden_size, 6144);
  EXPECT_EQ(c.num_layers, 80);
  EXPECT_EQ(c.num_heads, 64);
  EXPECT_EQ(c.num_kv_heads, 8);
  EXPECT_EQ(c.head_dim, 128);
  EXPECT_EQ(c.vocab_size, 200064);
  EXPECT_EQ(c.num_experts, 32);
  EXPECT_EQ(c.top_k, 2);
  EXPECT_EQ(c.intermediate_size, 9216);
  EXPECT_EQ(c.shared_intermediate_size, 0);
  EXPECT_EQ(c.rotary_dim, 64);
  EXPECT_DOUBLE_EQ(c.rope_theta, 1e7);
  EXPECT_DOUBLE_EQ(c.rms_norm_eps, 1e-5);
  EXPECT_DOUBLE_EQ(c.lightning_norm_eps, 1e-6);
  EXPECT_TRUE(c.postnorm);
  EXPECT_FALSE(c.tie_word_embeddings);
  EXPECT_EQ(c.max_position_embeddings, 10240000);
  const double alpha = std::pow(2.0 * 80, 0.25);  // (2·80)^¼
  for (double a : {c.alpha_lightning, c.alpha_softmax, c.alpha_mlp}) EXPECT_NEAR(a, alpha, 1e-12);
  for (double b : {c.beta_lightning, c.beta_softmax, c.beta_mlp}) EXPECT_DOUBLE_EQ(b, 1.0);
  ASSERT_EQ(c.layer_types.size(), 80u);
  for (int l = 0; l < 80; ++l) {
    EXPECT_EQ(c.layer_types[static_cast<size_t>(l)], (l + 1) % 8 == 0 ? AttnType::Softmax : AttnType::Lightning) << l;
  }
  EXPECT_EQ(c.numLayersOf(AttnType::Lightning), 70);
  EXPECT_EQ(c.numLayersOf(AttnType::Softmax), 10);
}

TEST(ModelConfig, ReleaseSpellingReadsEveryField) {
  auto r = parse(tinyRelease());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->alpha_lightning, 1.5);
  EXPECT_DOUBLE_EQ(r->beta_lightning, 1.1);
  EXPECT_DOUBLE_EQ(r->alpha_softmax, 1.25);
  EXPECT_DOUBLE_EQ(r->beta_softmax, 0.9);
  EXPECT_DOUBLE_EQ(r->alpha_mlp, 1.75);
  EXPECT_DOUBLE_EQ(r->beta_mlp, 0.8);
  EXPECT_EQ(r->layer_types, (std::vector<AttnType>{AttnType::Lightning, AttnType::Softmax, AttnType::Lightning,
                                                   AttnType::Softmax}));
  EXPECT_EQ(r->block_size, 256);
}

TEST(ModelConfig, LaterMinimaxSpelling) {
  json j = tinyRelease();
  for (const char* k : {"attn_type_list", "layernorm_linear_attention_alpha", "layernorm_linear_attention_beta",
                        "layernorm_full_attention_alpha", "layernorm_full_attention_beta", "layernorm_mlp_alpha",
                        "layernorm_mlp_beta", "rotary_dim"}) {
    j.erase(k);
  }
  j["model_type"] = "minimax";
  j["layer_types"] = {"full_attention", "linear_attention", "linear_attention", "full_attention"};
  j["full_attn_alpha_factor"] = 2.0;
  j["full_attn_beta_factor"] = 0.5;
  j["linear_attn_alpha_factor"] = 3.0;
  j["linear_attn_beta_factor"] = 0.25;
  j["mlp_alpha_factor"] = 4.0;
  j["mlp_beta_factor"] = 0.125;
  j["partial_rotary_factor"] = 0.5;
  j["block_size"] = 64;
  j["torch_dtype"] = "bfloat16";
  auto r = parse(j);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->layer_types, (std::vector<AttnType>{AttnType::Softmax, AttnType::Lightning, AttnType::Lightning,
                                                   AttnType::Softmax}));
  EXPECT_DOUBLE_EQ(r->alpha_softmax, 2.0);
  EXPECT_DOUBLE_EQ(r->beta_softmax, 0.5);
  EXPECT_DOUBLE_EQ(r->alpha_lightning, 3.0);
  EXPECT_DOUBLE_EQ(r->beta_lightning, 0.25);
  EXPECT_DOUBLE_EQ(r->alpha_mlp, 4.0);
  EXPECT_DOUBLE_EQ(r->beta_mlp, 0.125);
  EXPECT_EQ(r->rotary_dim, 8);  // 0.5 × head_dim 16
  EXPECT_EQ(r->block_size, 64);
  EXPECT_EQ(r->torch_dtype, "bfloat16");
}

TEST(ModelConfig, Text01SpellingIsAccepted) {
  json j = tinyRelease();
  j["model_type"] = "minimax_text_01";
  auto r = parse(j);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->model_type, "minimax_text_01");
}

TEST(ModelConfig, HeadDimDefaultsToHiddenOverHeads) {
  json j = tinyRelease();
  j.erase("head_dim");
  auto r = parse(j);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->head_dim, 16);  // 64 / 4
  j["head_dim"] = nullptr;
  ASSERT_TRUE(parse(j).ok());
  j["hidden_size"] = 66;
  expectError(j, {"head_dim", "not divisible"});
}

TEST(ModelConfig, RotaryDimDefaultsToTheWholeHead) {
  json j = tinyRelease();
  j.erase("rotary_dim");
  auto r = parse(j);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rotary_dim, 16);
}

TEST(ModelConfig, ZeroOrNegativeHeadsNameTheField) {
  json j = tinyRelease();
  j["num_attention_heads"] = 0;
  expectError(j, {"num_attention_heads", "out of range"});
  j["num_attention_heads"] = -4;
  expectError(j, {"num_attention_heads", "-4"});
  j = tinyRelease();
  j["num_key_value_heads"] = 0;
  expectError(j, {"num_key_value_heads"});
}

TEST(ModelConfig, HeadsMustDivideByKvHeads) {
  json j = tinyRelease();
  j["num_key_value_heads"] = 3;
  expectError(j, {"num_key_value_heads", "does not divide", "4"});
  j["num_key_value_heads"] = 8;  // more KV heads than heads
  expectError(j, {"num_key_value_heads"});
}

TEST(ModelConfig, ExpertsFewerThanTopK) {
  json j = tinyRelease();
  j["num_local_experts"] = 1;
  expectError(j, {"num_local_experts", "experts < top_k"});
  j = tinyRelease();
  j["num_experts_per_tok"] = 0;
  expectError(j, {"num_experts_per_tok"});
}

TEST(ModelConfig, RotaryDimMustBeEvenAndFitTheHead) {
  json j = tinyRelease();
  j["rotary_dim"] = 7;
  expectError(j, {"rotary_dim", "odd"});
  j["rotary_dim"] = 18;
  expectError(j, {"rotary_dim", "larger than head_dim 16"});
  j["rotary_dim"] = -2;
  expectError(j, {"rotary_dim"});
  j.erase("rotary_dim");
  j["partial_rotary_factor"] = 0.3;  // 4.8 dims
  expectError(j, {"partial_rotary_factor", "whole number"});
  j["partial_rotary_factor"] = 1.5;
  expectError(j, {"partial_rotary_factor"});
}

TEST(ModelConfig, LayerListMustMatchTheLayerCount) {
  json j = tinyRelease();
  j["attn_type_list"] = {0, 1, 0};
  expectError(j, {"attn_type_list", "3 entries", "num_hidden_layers is 4"});
  j["attn_type_list"] = {0, 1, 2, 0};
  expectError(j, {"attn_type_list", "element 2"});
  j.erase("attn_type_list");
  expectError(j, {"attn_type_list", "missing"});
  j["layer_types"] = {"linear_attention", "sliding_attention", "linear_attention", "full_attention"};
  expectError(j, {"layer_types", "element 1"});
  j["layer_types"] = {"linear_attention", "full_attention", "linear_attention", "full_attention"};
  j["attn_type_list"] = {1, 1, 1, 1};
  expectError(j, {"layer_types", "disagrees"});
}

TEST(ModelConfig, UnknownModelType) {
  json j = tinyRelease();
  j["model_type"] = "llama";
  expectError(j, {"model_type", "unknown model type 'llama'"});
  j.erase("model_type");
  expectError(j, {"model_type", "missing"});
}

TEST(ModelConfig, WrongJsonTypesNameTheField) {
  json j = tinyRelease();
  j["hidden_size"] = "64";
  expectError(j, {"hidden_size", "expected an integer", "string"});
  j = tinyRelease();
  j["hidden_size"] = 64.5;
  expectError(j, {"hidden_size", "expected an integer"});
  j = tinyRelease();
  j["postnorm"] = 1;
  expectError(j, {"postnorm", "true or false"});
  j = tinyRelease();
  j["rope_theta"] = "big";
  expectError(j, {"rope_theta", "expected a number"});
  j = tinyRelease();
  j["attn_type_list"] = "0,1,0,1";
  expectError(j, {"attn_type_list", "expected an array"});
  j = tinyRelease();
  j["vocab_size"] = json::array();
  expectError(j, {"vocab_size"});
  j = tinyRelease();
  j["num_hidden_layers"] = 18446744073709551615ull;
  expectError(j, {"num_hidden_layers"});
}

TEST(ModelConfig, NotAnObjectOrNotJson) {
  auto r = parseModelConfig("[1, 2]", "config.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("JSON object"), std::string::npos);
  r = parseModelConfig("{\"model_type\": ", "config.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not valid JSON"), std::string::npos);
  r = parseModelConfig("", "config.json");
  ASSERT_FALSE(r.ok());
}

TEST(ModelConfig, HugeConfigurationsAreRefused) {
  json j = tinyRelease();
  j["num_hidden_layers"] = 4000;
  j["num_local_experts"] = 4000;
  j["attn_type_list"] = std::vector<int>(4000, 0);
  expectError(j, {"num_local_experts", "exceeds"});
  j = tinyRelease();
  j["hidden_size"] = 1 << 24;
  j["intermediate_size"] = 1 << 24;
  expectError(j, {"1e15 parameters"});
}

TEST(ModelConfig, MissingFileIsNotFound) {
  auto r = folio::engine::loadModelConfig("/nonexistent/model");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
  EXPECT_NE(r.error().message.find("/nonexistent/model/config.json"), std::string::npos);
}

TEST(ModelConfig, LightningLayerFactor) {
  ModelConfig c;
  c.num_layers = 80;
  EXPECT_DOUBLE_EQ(c.lightningLayerFactor(0), 1.0 + 1e-5);
  EXPECT_DOUBLE_EQ(c.lightningLayerFactor(79), 1e-5);
  EXPECT_DOUBLE_EQ(c.lightningLayerFactor(40), 1.0 - 40.0 / 79.0 + 1e-5);
  c.num_layers = 1;  // l/(L−1) undefined
  EXPECT_DOUBLE_EQ(c.lightningLayerFactor(0), 1.0 + 1e-5);
}

TEST(ModelConfig, AlibiSlopesPowerOfTwo) {
  ModelConfig c;
  c.num_heads = 64;
  const auto s = c.alibiSlopes();
  ASSERT_EQ(s.size(), 64u);
  for (int h = 0; h < 64; ++h) EXPECT_DOUBLE_EQ(s[static_cast<size_t>(h)], std::exp2(-8.0 * (h + 1) / 64)) << h;
  c.num_heads = 4;
  EXPECT_EQ(c.alibiSlopes(), (std::vector<double>{0.25, 0.0625, 0.015625, 0.00390625}));
}

TEST(ModelConfig, AlibiSlopesOtherHeadCounts) {
  ModelConfig c;
  // H = 6: slopes(4) ++ slopes(8)[0::2][:2] = [2^-2, 2^-4, 2^-6, 2^-8] ++ [2^-1, 2^-3]
  c.num_heads = 6;
  EXPECT_EQ(c.alibiSlopes(), (std::vector<double>{0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125}));
  // H = 3: slopes(2) ++ slopes(4)[0::2][:1] = [2^-4, 2^-8] ++ [2^-2]
  c.num_heads = 3;
  EXPECT_EQ(c.alibiSlopes(), (std::vector<double>{0.0625, 0.00390625, 0.25}));
  // H = 1: 2^-8
  c.num_heads = 1;
  EXPECT_EQ(c.alibiSlopes(), (std::vector<double>{0.00390625}));
}
