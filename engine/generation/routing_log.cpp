#include "engine/generation/routing_log.h"

#include <nlohmann/json.hpp>

#include "engine/common/file_io.h"

namespace folio::engine {

RoutingLog::RoutingLog(int num_layers, int num_experts, int top_k)
    : num_layers_(num_layers), num_experts_(num_experts), top_k_(top_k) {
  FOLIO_CHECK(num_layers > 0 && num_experts > 0 && top_k > 0 && top_k <= num_experts && top_k <= 127);
  aggregate_.reset(num_layers, num_experts);
}

void RoutingLog::reserve(int64_t tokens) {
  std::lock_guard lock(mutex_);
  const auto rows = static_cast<size_t>(numTokens() + tokens);
  ids_.reserve(rows);
  choices_.reserve(rows * static_cast<size_t>(num_layers_ * top_k_));
  counts_.reserve(rows * static_cast<size_t>(num_layers_));
}

void RoutingLog::growTo(int64_t rows) {
  if (rows <= numTokens()) return;
  const auto r = static_cast<size_t>(rows);
  ids_.resize(r, -1);
  choices_.resize(r * static_cast<size_t>(num_layers_ * top_k_));
  counts_.resize(r * static_cast<size_t>(num_layers_), -1);
}

void RoutingLog::onRouting(int64_t position, int layer, const ExpertChoice* choices, int n) {
  FOLIO_CHECK(layer >= 0 && layer < num_layers_ && n >= 1 && n <= top_k_ && position >= 0);
  std::lock_guard lock(mutex_);
  if (first_position_ < 0) first_position_ = position;
  FOLIO_CHECK_MSG(position >= first_position_, "routing reported for a position before the log started");
  const int64_t row = position - first_position_;
  growTo(row + 1);
  const size_t slot = static_cast<size_t>(row) * static_cast<size_t>(num_layers_) + static_cast<size_t>(layer);
  FOLIO_CHECK_MSG(counts_[slot] < 0, "routing reported twice for one token and layer");
  counts_[slot] = static_cast<int8_t>(n);
  std::copy(choices, choices + n, choices_.begin() + static_cast<std::ptrdiff_t>(slot * static_cast<size_t>(top_k_)));
  aggregate_.add(layer, choices, n, top_k_);
}

void RoutingLog::noteTokens(int64_t first_position, std::span<const int32_t> ids) {
  if (ids.empty()) return;
  std::lock_guard lock(mutex_);
  if (first_position_ < 0) first_position_ = first_position;
  FOLIO_CHECK(first_position >= first_position_);
  const int64_t row0 = first_position - first_position_;
  growTo(row0 + static_cast<int64_t>(ids.size()));
  std::copy(ids.begin(), ids.end(), ids_.begin() + row0);
}

std::span<const ExpertChoice> RoutingLog::choices(int64_t row, int layer) const {
  FOLIO_CHECK(row >= 0 && row < numTokens() && layer >= 0 && layer < num_layers_);
  const size_t slot = static_cast<size_t>(row) * static_cast<size_t>(num_layers_) + static_cast<size_t>(layer);
  const int n = counts_[slot];
  if (n < 0) return {};
  return {choices_.data() + slot * static_cast<size_t>(top_k_), static_cast<size_t>(n)};
}

std::string RoutingLog::toJson(const std::string& model_name) const {
  std::lock_guard lock(mutex_);
  nlohmann::json tokens = nlohmann::json::array();
  for (int64_t row = 0; row < numTokens(); ++row) {
    nlohmann::json layers = nlohmann::json::array();
    for (int l = 0; l < num_layers_; ++l) {
      nlohmann::json kept = nlohmann::json::array();
      for (const ExpertChoice& c : choices(row, l)) kept.push_back({c.expert, c.weight});
      layers.push_back(std::move(kept));
    }
    tokens.push_back({{"position", first_position_ + row}, {"id", ids_[static_cast<size_t>(row)]}, {"layers", std::move(layers)}});
  }
  nlohmann::json counts = nlohmann::json::array(), sums = nlohmann::json::array();
  for (int l = 0; l < num_layers_; ++l) {
    const auto begin = static_cast<std::ptrdiff_t>(l) * num_experts_;
    counts.push_back(std::vector<int64_t>(aggregate_.counts.begin() + begin, aggregate_.counts.begin() + begin + num_experts_));
    sums.push_back(std::vector<double>(aggregate_.weight_sums.begin() + begin,
                                       aggregate_.weight_sums.begin() + begin + num_experts_));
  }
  nlohmann::json out = {{"model", model_name},
                        {"num_layers", num_layers_},
                        {"num_experts", num_experts_},
                        {"top_k", top_k_},
                        {"tokens", std::move(tokens)},
                        {"counts", std::move(counts)},
                        {"weight_sums", std::move(sums)},
                        {"experts_evaluated", aggregate_.experts_evaluated},
                        {"experts_skipped", aggregate_.experts_skipped}};
  return out.dump();
}

Status RoutingLog::writeJson(const std::filesystem::path& path, const std::string& model_name) const {
  Status st = writeFileAtomic(path, toJson(model_name) + "\n");
  if (!st.ok()) return st.error().context("routing log " + path.string());
  return {};
}

}  // namespace folio::engine
