// Writes small safetensors files for tests, so that every malformed-input case starts from a valid file
// and changes exactly one thing. No dependencies beyond the standard library.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace folio::test {

struct StTensor {
  std::string name;
  std::string dtype = "F32";  // written as given, so tests can use unsupported names
  std::vector<int64_t> shape;
  std::string bytes;          // empty: a deterministic pattern of product(shape) × dtype size bytes
};

// Element size of a safetensors dtype name (F32/I32 4, F16/BF16/I16 2, F64/I64 8, else 1).
size_t stDTypeSize(const std::string& dtype);

// The header JSON for `tensors` laid out back to back in the given order, plus their data. The
// pattern for tensor i, byte k is (i * 37 + k) & 0xff.
std::pair<std::string, std::string> safetensorsParts(const std::vector<StTensor>& tensors,
                                                     const std::string& metadata_json = R"({"format":"pt"})");

// The 8-byte little-endian encoding of v (the length prefix of a safetensors file).
std::string le64Bytes(uint64_t v);

// 8-byte little-endian length + header + data; the header is padded with spaces to a multiple of 8.
std::string safetensorsFile(const std::string& header_json, const std::string& data);
std::string safetensorsFile(const std::vector<StTensor>& tensors);

void writeBinaryFile(const std::filesystem::path& path, const std::string& bytes);
std::string readBinaryFile(const std::filesystem::path& path);

// A tiny MiniMax-M1-format model written by hand from the spec (independent of the engine's own tensor
// list): C 8, L 2 (lightning, softmax), H 2, KV 1, D 4, E 2 (top-1), I 6, V 16; routers F32, the rest BF16.
struct TinyModel {
  bool shared = false;  // shared expert S 5 (+ coefficient)
  bool tied = false;    // tie_word_embeddings, no lm_head.weight
};
std::string tinyModelConfigJson(const TinyModel& m);
std::vector<StTensor> tinyModelTensors(const TinyModel& m);

// "model-00001-of-00003.safetensors"
std::string shardFileName(int index, int count);
uint64_t stTensorBytes(const StTensor& t);

// A fresh directory with config.json and the tensors: one model.safetensors (shards == 0) or `shards`
// contiguous shards plus model.safetensors.index.json (total_size = the sum of the tensor bytes).
std::filesystem::path writeModelDir(const std::string& config_json, const std::vector<StTensor>& tensors,
                                    int shards = 0);

// A fresh, empty directory under the system temp dir (unique per process and call).
std::filesystem::path freshTempDir(const std::string& tag);

}  // namespace folio::test
