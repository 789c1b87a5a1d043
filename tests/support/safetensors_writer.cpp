#include "support/safetensors_writer.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace folio::test {

size_t stDTypeSize(const std::string& dtype) {
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  return 1;
}

std::pair<std::string, std::string> safetensorsParts(const std::vector<StTensor>& tensors,
                                                     const std::string& metadata_json) {
  std::string header = "{";
  if (!metadata_json.empty()) header += "\"__metadata__\":" + metadata_json;
  std::string data;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const StTensor& t = tensors[i];
    std::string bytes = t.bytes;
    if (bytes.empty()) {
      int64_t n = 1;
      for (int64_t d : t.shape) n *= d;
      bytes.resize(static_cast<size_t>(n) * stDTypeSize(t.dtype));
      for (size_t k = 0; k < bytes.size(); ++k) bytes[k] = static_cast<char>((i * 37 + k) & 0xff);
    }
    std::string shape;
    for (size_t d = 0; d < t.shape.size(); ++d) {
      if (d) shape += ',';
      shape += std::to_string(t.shape[d]);
    }
    if (header.size() > 1) header += ",";
    header += "\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":[" + shape + "],\"data_offsets\":[" +
              std::to_string(data.size()) + "," + std::to_string(data.size() + bytes.size()) + "]}";
    data += bytes;
  }
  return {header + "}", data};
}

std::string le64Bytes(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

std::string safetensorsFile(const std::string& header_json, const std::string& data) {
  std::string header = header_json;
  while (header.size() % 8 != 0) header += ' ';
  return le64Bytes(header.size()) + header + data;
}

std::string safetensorsFile(const std::vector<StTensor>& tensors) {
  auto [header, data] = safetensorsParts(tensors);
  return safetensorsFile(header, data);
}

void writeBinaryFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

std::string readBinaryFile(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::string tinyModelConfigJson(const TinyModel& m) {
  return std::string(R"({"model_type": "minimax_m1", "hidden_size": 8, "num_hidden_layers": 2,
    "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 4, "vocab_size": 16,
    "num_local_experts": 2, "num_experts_per_tok": 1, "intermediate_size": 6, "rotary_dim": 2,
    "attn_type_list": [0, 1], "shared_intermediate_size": )") +
         (m.shared ? "5" : "0") + ", \"tie_word_embeddings\": " + (m.tied ? "true" : "false") + "}\n";
}

std::vector<StTensor> tinyModelTensors(const TinyModel& m) {
  std::vector<StTensor> v = {{"model.embed_tokens.weight", "BF16", {16, 8}, {}}};
  for (int l = 0; l < 2; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    v.push_back({p + "input_layernorm.weight", "BF16", {8}, {}});
    if (l == 0) {
      v.push_back({p + "self_attn.qkv_proj.weight", "BF16", {24, 8}, {}});
      v.push_back({p + "self_attn.output_gate.weight", "BF16", {8, 8}, {}});
      v.push_back({p + "self_attn.norm.weight", "BF16", {8}, {}});
      v.push_back({p + "self_attn.out_proj.weight", "BF16", {8, 8}, {}});
    } else {
      v.push_back({p + "self_attn.q_proj.weight", "BF16", {8, 8}, {}});
      v.push_back({p + "self_attn.k_proj.weight", "BF16", {4, 8}, {}});
      v.push_back({p + "self_attn.v_proj.weight", "BF16", {4, 8}, {}});
      v.push_back({p + "self_attn.o_proj.weight", "BF16", {8, 8}, {}});
    }
    v.push_back({p + "post_attention_layernorm.weight", "BF16", {8}, {}});
    v.push_back({p + "block_sparse_moe.gate.weight", "F32", {2, 8}, {}});
    for (int e = 0; e < 2; ++e) {
      const std::string x = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
      v.push_back({x + "w1.weight", "BF16", {6, 8}, {}});
      v.push_back({x + "w3.weight", "BF16", {6, 8}, {}});
      v.push_back({x + "w2.weight", "BF16", {8, 6}, {}});
    }
    if (m.shared) {
      v.push_back({p + "shared_mlp.gate_proj.weight", "BF16", {5, 8}, {}});
      v.push_back({p + "shared_mlp.up_proj.weight", "BF16", {5, 8}, {}});
      v.push_back({p + "shared_mlp.down_proj.weight", "BF16", {8, 5}, {}});
      v.push_back({p + "coefficient.weight", "BF16", {1, 8}, {}});
    }
  }
  v.push_back({"model.norm.weight", "BF16", {8}, {}});
  if (!m.tied) v.push_back({"lm_head.weight", "BF16", {16, 8}, {}});
  return v;
}

std::string shardFileName(int index, int count) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "model-%05d-of-%05d.safetensors", index, count);
  return buf;
}

uint64_t stTensorBytes(const StTensor& t) {
  uint64_t n = stDTypeSize(t.dtype);
  for (int64_t d : t.shape) n *= static_cast<uint64_t>(d);
  return n;
}

std::filesystem::path writeModelDir(const std::string& config_json, const std::vector<StTensor>& tensors, int shards) {
  const std::filesystem::path dir = freshTempDir("model");
  writeBinaryFile(dir / "config.json", config_json);
  if (shards == 0) {
    writeBinaryFile(dir / "model.safetensors", safetensorsFile(tensors));
    return dir;
  }
  std::string weight_map;
  uint64_t total = 0;
  const size_t per = (tensors.size() + static_cast<size_t>(shards) - 1) / static_cast<size_t>(shards);
  for (int s = 0; s < shards; ++s) {
    const size_t begin = std::min(tensors.size(), per * static_cast<size_t>(s));
    const size_t end = std::min(tensors.size(), begin + per);
    const std::vector<StTensor> part(tensors.begin() + static_cast<long>(begin), tensors.begin() + static_cast<long>(end));
    writeBinaryFile(dir / shardFileName(s, shards), safetensorsFile(part));
    for (const StTensor& t : part) {
      if (!weight_map.empty()) weight_map += ",\n";
      weight_map += "    \"" + t.name + "\": \"" + shardFileName(s, shards) + "\"";
      total += stTensorBytes(t);
    }
  }
  writeBinaryFile(dir / "model.safetensors.index.json", "{\n  \"metadata\": {\"total_size\": " + std::to_string(total) +
                                                            "},\n  \"weight_map\": {\n" + weight_map + "\n  }\n}\n");
  return dir;
}

std::filesystem::path freshTempDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("folio-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace folio::test
