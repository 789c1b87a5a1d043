// Loads model runtimes for a long-lived front end (the GUI's model panel) and hands the same one back
// while it is in use: asking again for a directory whose files have not changed returns the runtime
// already loaded (the same Model, so the weights it uploaded to devices stay there) instead of mapping,
// validating and binding the weights and parsing the tokenizer again. Only a weak reference is kept, so
// a runtime nobody holds any more is freed as usual and the next request loads it afresh.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "app/pipeline/model_runtime.h"
#include "engine/common/result.h"

namespace folio::app {

class ModelLoader {
 public:
  // The runtime of `dir` (loadModelRuntime), reused when it is the last one loaded, still held by someone,
  // and no file in `dir` changed size or modification time since. Thread-safe.
  Result<std::shared_ptr<const ModelRuntime>> load(const std::filesystem::path& dir);

  int64_t loads() const;  // how many times load() read a model from disk

 private:
  mutable std::mutex mutex_;
  std::filesystem::path dir_;  // canonical path of the last load
  std::string stamp_;          // its files' names, sizes and modification times then
  std::weak_ptr<const ModelRuntime> last_;
  int64_t loads_ = 0;
};

}  // namespace folio::app
