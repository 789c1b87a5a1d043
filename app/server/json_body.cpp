#include "app/server/json_body.h"

#include <string>

namespace folio::app::server {

int jsonNestingDepth(std::string_view text, int max_depth) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > deepest) deepest = depth;
        if (deepest > max_depth) return deepest;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

Result<nlohmann::json> parseJsonObject(std::string_view body, int max_depth) {
  if (body.empty()) return badInput("body: empty; expected a JSON object");
  if (body.size() > kMaxBodyBytes)
    return badInput("body: " + std::to_string(body.size()) + " bytes is over the limit of " +
                    std::to_string(kMaxBodyBytes));
  if (jsonNestingDepth(body, max_depth) > max_depth)
    return badInput("body: JSON nested deeper than " + std::to_string(max_depth) + " levels");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    return badInput("body: not valid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {  // e.g. a number too large for a double
    return badInput(std::string("body: not valid JSON: ") + e.what());
  }
  if (!j.is_object()) return badInput(std::string("body: expected a JSON object, got ") + j.type_name());
  return j;
}

}  // namespace folio::app::server
