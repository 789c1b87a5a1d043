#include "app/pipeline/model_loader.h"

#include <algorithm>
#include <vector>

namespace folio::app {
namespace {

// Names, sizes and modification times of the files directly in `dir` (config, tokenizer, weight shards),
// sorted; empty when the directory cannot be listed.
std::string directoryStamp(const std::filesystem::path& dir) {
  std::vector<std::string> lines;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (!it->is_regular_file(fec)) continue;
    const auto size = it->file_size(fec);
    const auto time = it->last_write_time(fec);
    if (fec) continue;
    lines.push_back(it->path().filename().string() + '\t' + std::to_string(size) + '\t' +
                    std::to_string(time.time_since_epoch().count()));
  }
  if (ec) return {};
  std::sort(lines.begin(), lines.end());
  std::string stamp;
  for (const auto& line : lines) stamp += line + '\n';
  return stamp;
}

}  // namespace

Result<std::shared_ptr<const ModelRuntime>> ModelLoader::load(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(dir, ec);
  if (ec) canonical = dir;
  const std::string stamp = directoryStamp(canonical);
  std::lock_guard lock(mutex_);  // one load at a time: a second request for the same model waits and reuses it
  if (auto last = last_.lock(); last && canonical == dir_ && !stamp.empty() && stamp == stamp_) return last;
  auto loaded = loadModelRuntime(dir);
  if (!loaded) return loaded.error();
  ++loads_;
  auto runtime = std::make_shared<const ModelRuntime>(std::move(*loaded));
  dir_ = canonical;
  stamp_ = stamp;
  last_ = runtime;
  return runtime;
}

int64_t ModelLoader::loads() const {
  std::lock_guard lock(mutex_);
  return loads_;
}

}  // namespace folio::app
