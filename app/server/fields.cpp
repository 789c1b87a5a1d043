#include "app/server/fields.h"

#include <cmath>
#include <cstdio>

namespace folio::app::server {
namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A short rendering of a value for messages: numbers as written, other types by their name.
std::string describe(const nlohmann::json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return num(v.get<double>());
  return std::string("a JSON ") + v.type_name();
}

const nlohmann::json* present(const nlohmann::json& obj, const char* field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

std::string fieldOfMessage(std::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return {};
  const std::string_view head = message.substr(0, colon);
  for (char c : head)
    if (c == ' ') return {};
  return std::string(head);
}

Result<std::optional<int64_t>> readInt(const nlohmann::json& obj, const char* field, int64_t lo, int64_t hi) {
  const nlohmann::json* v = present(obj, field);
  if (!v) return std::optional<int64_t>{};
  const std::string range = "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (v->is_number_integer()) {
    const int64_t x = v->get<int64_t>();
    if (x >= lo && x <= hi) return std::optional<int64_t>{x};
  } else if (v->is_number_unsigned()) {
    const uint64_t x = v->get<uint64_t>();
    if (hi >= 0 && x <= static_cast<uint64_t>(hi) && static_cast<int64_t>(x) >= lo)
      return std::optional<int64_t>{static_cast<int64_t>(x)};
  } else if (v->is_number_float()) {
    const double x = v->get<double>();
    if (std::isfinite(x) && x == std::floor(x) && x >= static_cast<double>(lo) && x <= static_cast<double>(hi))
      return std::optional<int64_t>{static_cast<int64_t>(x)};
  }
  return badInput(std::string(field) + ": " + range + ", got " + describe(*v));
}

Result<std::optional<uint64_t>> readUint64(const nlohmann::json& obj, const char* field) {
  const nlohmann::json* v = present(obj, field);
  if (!v) return std::optional<uint64_t>{};
  if (v->is_number_unsigned()) return std::optional<uint64_t>{v->get<uint64_t>()};
  if (v->is_number_integer() && v->get<int64_t>() >= 0)
    return std::optional<uint64_t>{static_cast<uint64_t>(v->get<int64_t>())};
  return badInput(std::string(field) + ": must be an integer in [0, 18446744073709551615], got " + describe(*v));
}

Result<std::optional<double>> readNumber(const nlohmann::json& obj, const char* field, double lo, double hi,
                                         bool lo_open) {
  const nlohmann::json* v = present(obj, field);
  if (!v) return std::optional<double>{};
  if (v->is_number()) {
    const double x = v->get<double>();
    if (std::isfinite(x) && (lo_open ? x > lo : x >= lo) && x <= hi) return std::optional<double>{x};
  }
  return badInput(std::string(field) + ": must be a number in " + (lo_open ? "(" : "[") + num(lo) + ", " + num(hi) +
                  "], got " + describe(*v));
}

Result<std::optional<bool>> readBool(const nlohmann::json& obj, const char* field) {
  const nlohmann::json* v = present(obj, field);
  if (!v) return std::optional<bool>{};
  if (!v->is_boolean()) return badInput(std::string(field) + ": must be true or false, got " + describe(*v));
  return std::optional<bool>{v->get<bool>()};
}

Result<std::optional<std::string>> readString(const nlohmann::json& obj, const char* field, size_t max_bytes) {
  const nlohmann::json* v = present(obj, field);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return badInput(std::string(field) + ": must be a string, got " + describe(*v));
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_bytes)
    return badInput(std::string(field) + ": " + std::to_string(s.size()) + " bytes is over the limit of " +
                    std::to_string(max_bytes));
  return std::optional<std::string>{s};
}

Result<std::vector<std::string>> readStringList(const nlohmann::json& obj, const char* field, size_t max_items,
                                                size_t max_bytes) {
  std::vector<std::string> out;
  const nlohmann::json* v = present(obj, field);
  if (!v) return out;
  auto take = [&](const nlohmann::json& item, const std::string& name) -> Status {
    if (!item.is_string()) return badInput(name + ": must be a string, got " + describe(item));
    const auto& s = item.get_ref<const std::string&>();
    if (s.empty()) return badInput(name + ": may not be empty");
    if (s.size() > max_bytes)
      return badInput(name + ": " + std::to_string(s.size()) + " bytes is over the limit of " + std::to_string(max_bytes));
    out.push_back(s);
    return {};
  };
  if (v->is_string()) {
    FOLIO_TRY(take(*v, field));
    return out;
  }
  if (!v->is_array()) return badInput(std::string(field) + ": must be a string or an array of strings, got " + describe(*v));
  if (v->size() > max_items)
    return badInput(std::string(field) + ": at most " + std::to_string(max_items) + " items, got " +
                    std::to_string(v->size()));
  for (size_t i = 0; i < v->size(); ++i) FOLIO_TRY(take((*v)[i], std::string(field) + "[" + std::to_string(i) + "]"));
  return out;
}

}  // namespace folio::app::server
