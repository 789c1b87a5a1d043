#include "app/pipeline/model_description.h"

#include <array>
#include <cstdio>

namespace folio::app {

int64_t parameterCount(const engine::WeightStore& weights) {
  int64_t total = 0;
  for (const std::string& name : weights.names()) total += weights.get(name).numel();
  return total;
}

std::string formatParameterCount(int64_t n) {
  constexpr std::array<const char*, 5> kSuffix{"", "K", "M", "B", "T"};
  double value = static_cast<double>(n);
  size_t unit = 0;
  // 999,950 rounds to "1e+03K" at three digits: such values take the next suffix.
  while (unit + 1 < kSuffix.size() && value >= 999.5) {
    value /= 1000.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%s", value, kSuffix[unit]);
  return buf;
}

std::string describeModel(const ModelRuntime& rt, double expert_threshold) {
  FOLIO_CHECK(rt.model);
  const engine::ModelConfig& c = rt.model->config();
  std::string details = c.model_type;
  const auto add = [&](const std::string& part) { details += (details.empty() ? "" : ", ") + part; };
  add(formatParameterCount(parameterCount(rt.model->weights())) + " parameters");
  if (expert_threshold < 1.0) {
    char tau[32];
    std::snprintf(tau, sizeof tau, "τ %g", expert_threshold);
    add(tau);
  }
  if (rt.model->expertsInt8()) add("experts int8");
  return (rt.name.empty() ? std::string("model") : rt.name) + " — " + details;
}

std::string shownModelName(const std::string& name, const std::string& identity) {
  return name.empty() ? "model identity " + identity : name;
}

}  // namespace folio::app
