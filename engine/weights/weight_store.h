// The weights of a model directory: one model.safetensors or the shards listed in
// model.safetensors.index.json, memory-mapped and validated strictly before use (header bounds,
// offsets, sizes, file lengths, and every tensor the config implies present with the right shape).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model_config.h"
#include "kernels/cpu/dtype.h"

namespace folio::engine {

using kernels::DType;

// A read-only view of one tensor's bytes inside a mapped file (row-major, torch [out, in] layout).
struct TensorView {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const void* data = nullptr;  // aligned as the file allows; kernels must not assume more than 2 bytes

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  int64_t rows() const { return shape.empty() ? 1 : shape[0]; }
  int64_t cols() const { return shape.size() < 2 ? (shape.empty() ? 1 : shape[0]) : shape[1]; }
};

class WeightStore {
 public:
  virtual ~WeightStore() = default;

  // Opens and validates the weights of `model_dir` against `config`. Errors name the file, the tensor
  // and what is wrong (kind BadInput or NotFound).
  static Result<std::unique_ptr<WeightStore>> open(const std::filesystem::path& model_dir, const ModelConfig& config);

  // The tensor, or nullptr when absent (open() has already checked that every required one exists).
  virtual const TensorView* find(const std::string& name) const = 0;
  // The tensor; FOLIO_CHECK-fails when absent (use for names open() validated).
  const TensorView& get(const std::string& name) const;

  virtual std::vector<std::string> names() const = 0;
  virtual uint64_t totalBytes() const = 0;
  // A stable identity of the weights (hash of the headers and file sizes), used by state snapshots.
  virtual std::string identity() const = 0;
};

}  // namespace folio::engine
