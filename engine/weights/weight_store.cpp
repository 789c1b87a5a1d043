// WeightStore over memory-mapped safetensors files: one model.safetensors or the shards of an index.
// open() validates everything up front (each header, the index against the shards, and the tensors the
// config implies), so the model can take names and shapes for granted afterwards.
#include "engine/weights/weight_store.h"

#include <cstdio>
#include <map>

#include "engine/common/fnv1a.h"
#include "engine/weights/expected_tensors.h"
#include "engine/weights/safetensors.h"
#include "engine/weights/safetensors_index.h"

namespace folio::engine {

namespace fs = std::filesystem;

namespace {

// engine/common/fnv1a.h over the fields of a file identity (not a security boundary).
class Fnv1a64 {
 public:
  void add(const void* data, size_t n) { h_ = fnv1a64(data, n, h_); }
  void add(const std::string& s) { add(s.data(), s.size() + 1); }  // include the NUL as a separator
  void add(uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    add(b, 8);
  }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  uint64_t h_ = kFnv1a64Offset;
};

class MappedWeightStore final : public WeightStore {
 public:
  const TensorView* find(const std::string& name) const override {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second.view;
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    out.reserve(tensors_.size());
    for (const auto& [name, t] : tensors_) out.push_back(name);
    return out;
  }
  uint64_t totalBytes() const override { return total_bytes_; }
  std::string identity() const override { return identity_; }

  // Maps every file and collects its tensors; a name in two files is an error.
  Status addFiles(const fs::path& dir, const std::vector<std::string>& file_names, const std::string& listed_in) {
    Fnv1a64 hash;
    for (const std::string& file_name : file_names) {
      const fs::path path = dir / file_name;
      std::error_code ec;
      if (!fs::exists(path, ec)) {
        return notFound(path.string() + ": missing" + (listed_in.empty() ? "" : " (shard listed in " + listed_in + ")"));
      }
      auto file = SafetensorsFile::open(path);
      if (!file.ok()) return file.error();
      files_.push_back(std::make_unique<SafetensorsFile>(std::move(*file)));
      const SafetensorsFile& f = *files_.back();
      for (const SafetensorsEntry& e : f.header().tensors) {
        auto [it, inserted] = tensors_.try_emplace(e.name);
        if (!inserted) {
          return badInput(path.string() + ": tensor '" + e.name + "' is also in " + it->second.file->path().string());
        }
        it->second = Stored{TensorView{e.dtype, e.shape, f.tensorData(e)}, &f, e.end - e.begin};
        total_bytes_ += e.end - e.begin;
      }
      hash.add(file_name);
      hash.add(f.fileSize());
      hash.add(f.headerBytes().data(), f.headerBytes().size());
    }
    identity_ = "fnv1a64:" + hash.hex();
    return {};
  }

  // Every tensor the index lists is in the shard it names, and metadata.total_size adds up.
  Status checkIndex(const SafetensorsIndex& index, const std::string& index_path) const {
    uint64_t listed_bytes = 0;
    for (const auto& [name, shard] : index.weight_map) {
      auto it = tensors_.find(name);
      if (it == tensors_.end() || it->second.file->path().filename() != shard) {
        return badInput(shard + ": tensor '" + name + "' is listed in " + index_path + " but is not in this shard" +
                        (it == tensors_.end() ? "" : " (found in " + it->second.file->path().filename().string() + ")"));
      }
      listed_bytes += it->second.bytes;
    }
    if (index.total_size && *index.total_size != listed_bytes) {
      return badInput(index_path + ": metadata.total_size is " + std::to_string(*index.total_size) +
                      " but the listed tensors hold " + std::to_string(listed_bytes) + " bytes");
    }
    return {};
  }

  // Every tensor the config implies exists with exactly the implied shape.
  Status checkAgainstConfig(const ModelConfig& config, const std::string& where_missing) {
    for (const ExpectedTensor& x : expectedTensors(config)) {
      auto it = tensors_.find(x.name);
      if (it == tensors_.end()) {
        return badInput(where_missing + ": tensor '" + x.name + "' is missing; the config implies it with shape " +
                        formatShape(x.shape));
      }
      if (it->second.view.shape != x.shape) {
        return badInput(it->second.file->path().filename().string() + ": tensor '" + x.name + "': shape " +
                        formatShape(it->second.view.shape) + " but the config implies " + formatShape(x.shape));
      }
    }
    // Tied embeddings: the head reads the embedding matrix.
    if (config.tie_word_embeddings && !tensors_.count("lm_head.weight")) {
      Stored alias = tensors_.at("model.embed_tokens.weight");
      alias.bytes = 0;  // not counted twice in totalBytes()
      tensors_.emplace("lm_head.weight", alias);
    }
    return {};
  }

 private:
  struct Stored {
    TensorView view;
    const SafetensorsFile* file = nullptr;
    uint64_t bytes = 0;
  };
  std::vector<std::unique_ptr<SafetensorsFile>> files_;  // unique_ptr: Stored keeps pointers to them
  std::map<std::string, Stored> tensors_;
  uint64_t total_bytes_ = 0;
  std::string identity_;
};

}  // namespace

const TensorView& WeightStore::get(const std::string& name) const {
  const TensorView* t = find(name);
  FOLIO_CHECK_MSG(t != nullptr, name.c_str());
  return *t;
}

Result<std::unique_ptr<WeightStore>> WeightStore::open(const fs::path& model_dir, const ModelConfig& config) {
  auto store = std::make_unique<MappedWeightStore>();
  const fs::path index_path = model_dir / kSafetensorsIndexName;
  const fs::path single_path = model_dir / kSingleSafetensorsName;
  std::error_code ec;
  if (fs::exists(index_path, ec)) {
    auto index = loadSafetensorsIndex(model_dir);
    if (!index.ok()) return index.error();
    FOLIO_TRY(store->addFiles(model_dir, index->shards(), index_path.string()));
    FOLIO_TRY(store->checkIndex(*index, index_path.string()));
    FOLIO_TRY(store->checkAgainstConfig(config, index_path.string()));
  } else if (fs::exists(single_path, ec)) {
    FOLIO_TRY(store->addFiles(model_dir, {kSingleSafetensorsName}, ""));
    FOLIO_TRY(store->checkAgainstConfig(config, single_path.string()));
  } else {
    return notFound(model_dir.string() + ": no " + kSingleSafetensorsName + " and no " + kSafetensorsIndexName);
  }
  return std::unique_ptr<WeightStore>(std::move(store));
}

}  // namespace folio::engine
